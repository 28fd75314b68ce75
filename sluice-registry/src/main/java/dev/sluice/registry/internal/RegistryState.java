package dev.sluice.registry.internal;

import dev.sluice.registry.CompatibilityLevel;
import dev.sluice.registry.Mode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registry's contents in memory, changed only by {@link #apply}. Not thread-safe: the
 * {@link Registry} guards it with its lock.
 *
 * <p>A schema keeps its global id for good: the same schema text registered again, under any
 * subject and even after every version holding it was deleted, gets the same id back. An id is
 * served by {@code /schemas/ids/{id}} while some version (soft-deleted ones included) holds it.
 */
final class RegistryState {
    /** One version of a subject. */
    record Version(int number, int id, boolean deleted) {
    }

    private final NavigableMap<String, NavigableMap<Integer, Version>> subjects = new TreeMap<>();
    private final Map<Integer, String> schemaById = new HashMap<>();
    private final Map<String, Integer> idBySchema = new HashMap<>();
    private int maxId;
    private Optional<CompatibilityLevel> globalLevel = Optional.empty();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private Optional<Mode> globalMode = Optional.empty();
    private final Map<String, Mode> subjectModes = new HashMap<>();

    void apply(Change change) {
        if (change instanceof Change.Register register) {
            subjects.computeIfAbsent(register.subject(), subject -> new TreeMap<>())
                    .put(register.version(), new Version(register.version(), register.id(), false));
            schemaById.put(register.id(), register.schema());
            idBySchema.put(register.schema(), register.id());
            maxId = Math.max(maxId, register.id());
        } else if (change instanceof Change.DeleteVersion delete) {
            NavigableMap<Integer, Version> versions = subjects.get(delete.subject());
            if (versions == null) {
                return;
            }
            if (delete.permanent()) {
                versions.remove(delete.version());
                if (versions.isEmpty()) {
                    forgetSubject(delete.subject());
                }
            } else {
                versions.computeIfPresent(delete.version(), (number, version) -> new Version(number, version.id(), true));
            }
        } else if (change instanceof Change.DeleteSubject delete) {
            if (delete.permanent()) {
                forgetSubject(delete.subject());
            } else {
                NavigableMap<Integer, Version> versions = subjects.get(delete.subject());
                if (versions != null) {
                    versions.replaceAll((number, version) -> new Version(number, version.id(), true));
                }
            }
        } else if (change instanceof Change.SetConfig config) {
            if (config.subject().isEmpty()) {
                globalLevel = config.level();
            } else if (config.level().isPresent()) {
                subjectLevels.put(config.subject().get(), config.level().get());
            } else {
                subjectLevels.remove(config.subject().get());
            }
        } else if (change instanceof Change.SetMode mode) {
            if (mode.subject().isEmpty()) {
                globalMode = mode.mode();
            } else if (mode.mode().isPresent()) {
                subjectModes.put(mode.subject().get(), mode.mode().get());
            } else {
                subjectModes.remove(mode.subject().get());
            }
        }
    }

    private void forgetSubject(String subject) {
        subjects.remove(subject);
        subjectLevels.remove(subject);
        subjectModes.remove(subject);
    }

    /** Every version of {@code subject}, soft-deleted ones included, by number; empty when none. */
    NavigableMap<Integer, Version> versions(String subject) {
        return subjects.getOrDefault(subject, new TreeMap<>());
    }

    /** Live (not soft-deleted) versions of {@code subject}, oldest first. */
    List<Version> liveVersions(String subject) {
        List<Version> live = new ArrayList<>();
        for (Version version : versions(subject).values()) {
            if (!version.deleted()) {
                live.add(version);
            }
        }
        return live;
    }

    Optional<Version> latestLive(String subject) {
        List<Version> live = liveVersions(subject);
        return live.isEmpty() ? Optional.empty() : Optional.of(live.get(live.size() - 1));
    }

    /** The number the next registration under {@code subject} gets: one past every version still known. */
    int nextVersion(String subject) {
        NavigableMap<Integer, Version> versions = versions(subject);
        return versions.isEmpty() ? 1 : versions.lastKey() + 1;
    }

    NavigableMap<String, NavigableMap<Integer, Version>> subjects() {
        return subjects;
    }

    Optional<String> schema(int id) {
        return Optional.ofNullable(schemaById.get(id));
    }

    Optional<Integer> idOf(String canonicalSchema) {
        return Optional.ofNullable(idBySchema.get(canonicalSchema));
    }

    int nextId() {
        return maxId + 1;
    }

    Optional<CompatibilityLevel> globalLevel() {
        return globalLevel;
    }

    Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    Optional<Mode> globalMode() {
        return globalMode;
    }

    Optional<Mode> subjectMode(String subject) {
        return Optional.ofNullable(subjectModes.get(subject));
    }
}
