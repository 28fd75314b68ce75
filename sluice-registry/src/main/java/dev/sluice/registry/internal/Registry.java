package dev.sluice.registry.internal;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.registry.CompatibilityLevel;
import dev.sluice.registry.Mode;
import dev.sluice.registry.internal.RegistryState.Version;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's operations, with Confluent's semantics and error codes, over a durable log.
 *
 * <p>Every change is validated, appended to the {@link RecordLog} (which forces it to disk) and
 * only then applied in memory, so an answered request survives a crash and a refused or failed
 * one leaves no trace. If the log fails, the registry stops accepting changes (50001) and
 * reports the failure through {@link #problem()}; reads go on. Restarting recovers from the log.
 *
 * <p>Thread-safe: reads share a lock, changes take it exclusively.
 */
public final class Registry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Registry.class);
    static final String LOG_FILE = "registry.log";
    private static final String LOCK_FILE = "LOCK";
    private static final String GLOBAL_SUBJECT = "__GLOBAL";
    private static final String EMPTY_SUBJECT = "__EMPTY";

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final RegistryState state;
    private final RecordLog log;
    private final Optional<FileChannel> directoryLock;
    /** Earlier versions' parsed schemas, kept for compatibility checks; filled under either lock. */
    private final Map<Integer, Schema> parsedById = new ConcurrentHashMap<>();
    private volatile Optional<String> failure = Optional.empty();

    private Registry(RegistryState state, RecordLog log, Optional<FileChannel> directoryLock) {
        this.state = state;
        this.log = log;
        this.directoryLock = directoryLock;
    }

    /**
     * Opens the registry kept in {@code directory} (created if missing), replaying its log and
     * cutting a torn tail. Only one registry may have a directory open at a time.
     *
     * @throws SluiceException when the directory cannot be used or another registry holds it
     */
    public static Registry open(Path directory) {
        FileChannel lockChannel = null;
        try {
            Files.createDirectories(directory);
            lockChannel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (!tryLock(lockChannel)) {
                throw SluiceException.of(ErrorCode.OBJECT_IN_USE, "schema registry data directory %s is in use by another process", directory)
                        .withHint("Stop the other registry, or give this one another data directory.");
            }
            RegistryState state = new RegistryState();
            FileRecordLog log = FileRecordLog.open(directory.resolve(LOG_FILE), payload -> state.apply(Change.decode(payload)));
            return new Registry(state, log, Optional.of(lockChannel));
        } catch (IOException e) {
            closeQuietly(lockChannel);
            throw new SluiceException(ErrorCode.IO_ERROR, "cannot open the schema registry in " + directory + ": " + e.getMessage(), e);
        } catch (SluiceException e) {
            closeQuietly(lockChannel);
            throw e;
        } catch (RuntimeException e) {
            // An intact record this code cannot read: a newer format, or a bug; refuse rather than drop it.
            closeQuietly(lockChannel);
            throw new SluiceException(ErrorCode.INTERNAL_ERROR, "cannot open the schema registry in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** False when another process, or another registry in this one, holds the directory. */
    private static boolean tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock() != null;
        } catch (OverlappingFileLockException heldInThisProcess) {
            return false;
        }
    }

    /** An empty registry writing its changes to {@code log} (tests inject failing logs this way). */
    public static Registry over(RecordLog log) {
        return new Registry(new RegistryState(), requireNonNull(log, "log is null"), Optional.empty());
    }

    /** Empty while the registry accepts changes; otherwise why it does not. */
    public Optional<String> problem() {
        return failure;
    }

    // ---- subjects and versions ----

    /** Registers {@code request} under {@code subject}; returns its global id. */
    public int register(String subject, SchemaRequest request) {
        return write(() -> {
            checkValidSubject(subject);
            Mode mode = modeInScope(subject);
            if (mode == Mode.READONLY) {
                throw readOnly(subject);
            }
            AvroSchemas.Parsed parsed = request.parse();
            if (request.id().isPresent() && mode != Mode.IMPORT) {
                throw new RegistryException(RegistryError.OPERATION_NOT_PERMITTED, "Subject " + subject + " is not in import mode");
            }
            if (request.id().isEmpty() && mode != Mode.READWRITE) {
                throw new RegistryException(RegistryError.OPERATION_NOT_PERMITTED, "Subject " + subject + " is not in read-write mode");
            }
            Optional<Integer> existingId = state.idOf(parsed.canonical());
            if (existingId.isPresent() && request.version().isEmpty()
                    && (request.id().isEmpty() || request.id().getAsInt() == existingId.get())
                    && state.liveVersions(subject).stream().anyMatch(version -> version.id() == existingId.get())) {
                return existingId.get();
            }
            int next = state.nextVersion(subject);
            Change.Register change;
            if (mode == Mode.IMPORT) {
                change = importedVersion(subject, request, parsed, existingId, next);
            } else {
                List<String> messages = AvroSchemas.check(levelInScope(subject), parsed.schema(), earlier(state.liveVersions(subject)));
                if (!messages.isEmpty()) {
                    throw new RegistryException(RegistryError.INCOMPATIBLE_SCHEMA, subject, messages);
                }
                if (request.version().isPresent() && request.version().getAsInt() != next) {
                    throw new RegistryException(RegistryError.INVALID_SCHEMA, "Version is not one more than previous version");
                }
                change = new Change.Register(subject, next, existingId.orElse(state.nextId()), parsed.canonical());
            }
            int id = commit(change, change.id());
            parsedById.putIfAbsent(id, parsed.schema());
            return id;
        });
    }

    private Change.Register importedVersion(String subject, SchemaRequest request, AvroSchemas.Parsed parsed, Optional<Integer> existingId,
            int next) {
        int id = request.id().getAsInt();
        if (id <= 0) {
            throw new RegistryException(RegistryError.INVALID_SCHEMA, "An imported schema needs a positive id, not " + id);
        }
        if (existingId.isPresent() && existingId.get() != id) {
            throw new RegistryException(RegistryError.ID_DOES_NOT_MATCH, existingId.get(), id);
        }
        if (state.schema(id).filter(schema -> !schema.equals(parsed.canonical())).isPresent()) {
            throw new RegistryException(RegistryError.OPERATION_NOT_PERMITTED, "Overwrite new schema with id " + id + " is not permitted.");
        }
        int version = request.version().orElse(next);
        if (version <= 0) {
            throw new RegistryException(RegistryError.INVALID_VERSION, Integer.toString(version));
        }
        if (state.versions(subject).containsKey(version)) {
            throw new RegistryException(RegistryError.OPERATION_NOT_PERMITTED,
                    "Overwrite of version " + version + " of subject " + subject + " is not permitted.");
        }
        return new Change.Register(subject, version, id, parsed.canonical());
    }

    /** Subject names, sorted: those with a live version, or with {@code deleted} also soft-deleted ones, or only those. */
    public List<String> subjects(String prefix, boolean includeDeleted, boolean deletedOnly) {
        return read(() -> {
            List<String> names = new ArrayList<>();
            for (Map.Entry<String, NavigableMap<Integer, Version>> entry : state.subjects().entrySet()) {
                boolean live = entry.getValue().values().stream().anyMatch(version -> !version.deleted());
                boolean wanted = deletedOnly ? !live : live || includeDeleted;
                if (wanted && entry.getKey().startsWith(prefix)) {
                    names.add(entry.getKey());
                }
            }
            return names;
        });
    }

    /** Version numbers of {@code subject}, ascending; 40401 when it has none (live ones unless {@code deleted}). */
    public List<Integer> versions(String subject, boolean includeDeleted, boolean deletedOnly) {
        return read(() -> {
            requireSubject(subject, includeDeleted || deletedOnly);
            List<Integer> numbers = new ArrayList<>();
            for (Version version : state.versions(subject).values()) {
                if (deletedOnly ? version.deleted() : includeDeleted || !version.deleted()) {
                    numbers.add(version.number());
                }
            }
            return numbers;
        });
    }

    /** One registered version of a subject. */
    public record SubjectVersion(String subject, int version, int id, String schema) {
    }

    /** The version {@code ref} of {@code subject} ({@code latest}: the newest live one). */
    public SubjectVersion version(String subject, VersionRef ref, boolean includeDeleted) {
        return read(() -> {
            Optional<Version> version = find(subject, ref, includeDeleted);
            if (version.isEmpty()) {
                requireSubject(subject, includeDeleted);
                throw new RegistryException(RegistryError.VERSION_NOT_FOUND, ref.number());
            }
            return describe(subject, version.get());
        });
    }

    /** Which version of {@code subject} holds the schema of {@code request}: 40401 without the subject, 40403 without the schema. */
    public SubjectVersion lookup(String subject, SchemaRequest request, boolean includeDeleted) {
        return read(() -> {
            AvroSchemas.Parsed parsed = request.parse();
            Optional<Integer> id = state.idOf(parsed.canonical());
            Optional<Version> match = Optional.empty();
            if (id.isPresent()) {
                for (Version version : state.versions(subject).descendingMap().values()) {
                    if (version.id() == id.get() && (includeDeleted || !version.deleted())) {
                        match = Optional.of(version);
                        break;
                    }
                }
            }
            if (match.isEmpty()) {
                requireSubject(subject, includeDeleted);
                throw new RegistryException(RegistryError.SCHEMA_NOT_FOUND);
            }
            return describe(subject, match.get());
        });
    }

    /** Soft-deletes every live version of {@code subject}, or permanently deletes the soft-deleted subject; returns the versions. */
    public List<Integer> deleteSubject(String subject, boolean permanent) {
        return write(() -> {
            requireSubject(subject, true);
            List<Version> live = state.liveVersions(subject);
            if (!permanent && live.isEmpty()) {
                throw new RegistryException(RegistryError.SUBJECT_SOFT_DELETED, subject);
            }
            if (modeInScope(subject) == Mode.READONLY) {
                throw readOnly(subject);
            }
            if (permanent && !live.isEmpty()) {
                throw new RegistryException(RegistryError.SUBJECT_NOT_SOFT_DELETED, subject);
            }
            List<Integer> deleted = new ArrayList<>();
            for (Version version : permanent ? state.versions(subject).values() : live) {
                deleted.add(version.number());
            }
            return commit(new Change.DeleteSubject(subject, permanent), deleted);
        });
    }

    /** Soft-deletes one live version, or permanently deletes a soft-deleted one; returns its number. */
    public int deleteVersion(String subject, VersionRef ref, boolean permanent) {
        return write(() -> {
            Optional<Version> version = find(subject, ref, true);
            if (version.isPresent() && version.get().deleted() && !permanent) {
                throw new RegistryException(RegistryError.VERSION_SOFT_DELETED, subject, version.get().number());
            }
            if (version.isEmpty()) {
                requireSubject(subject, true);
                throw new RegistryException(RegistryError.VERSION_NOT_FOUND, ref.number());
            }
            if (modeInScope(subject) == Mode.READONLY) {
                throw readOnly(subject);
            }
            if (permanent && !version.get().deleted()) {
                throw new RegistryException(RegistryError.VERSION_NOT_SOFT_DELETED, subject, version.get().number());
            }
            return commit(new Change.DeleteVersion(subject, version.get().number(), permanent), version.get().number());
        });
    }

    // ---- schemas by id ----

    /** The schema with global id {@code id}: 40403 unless some version (soft-deleted ones included) holds it. */
    public String schema(int id) {
        return read(() -> {
            requireId(id);
            return state.schema(id).orElseThrow();
        });
    }

    /** The subject/version pairs holding schema {@code id}, by subject then version. */
    public List<SubjectVersion> versionsOf(int id, boolean includeDeleted) {
        return read(() -> {
            requireId(id);
            List<SubjectVersion> holders = new ArrayList<>();
            for (Map.Entry<String, NavigableMap<Integer, Version>> entry : state.subjects().entrySet()) {
                for (Version version : entry.getValue().values()) {
                    if (version.id() == id && (includeDeleted || !version.deleted())) {
                        holders.add(describe(entry.getKey(), version));
                    }
                }
            }
            return holders;
        });
    }

    // ---- compatibility ----

    /**
     * Checks {@code request} against version {@code ref} of {@code subject}, or with an empty
     * {@code ref} against its live versions as its level says; returns the messages, empty when
     * compatible. With {@code verbose}, an invalid schema is a message instead of a 42201.
     */
    public List<String> testCompatibility(String subject, Optional<VersionRef> ref, SchemaRequest request, boolean verbose) {
        return read(() -> {
            List<Version> against;
            if (ref.isPresent()) {
                Optional<Version> version = find(subject, ref.get(), false);
                if (version.isEmpty() && !ref.get().isLatest()) {
                    throw new RegistryException(RegistryError.VERSION_NOT_FOUND, ref.get().number());
                }
                against = version.map(List::of).orElse(List.of());
            } else {
                against = state.liveVersions(subject);
            }
            AvroSchemas.Parsed parsed;
            try {
                parsed = request.parse();
            } catch (RegistryException e) {
                if (verbose && e.error() == RegistryError.INVALID_SCHEMA) {
                    return List.of(e.getMessage());
                }
                throw e;
            }
            return AvroSchemas.check(levelInScope(subject), parsed.schema(), earlier(against));
        });
    }

    // ---- configuration ----

    /** The level of {@code subject} (or the global one when empty); 40408 for a subject without one unless {@code defaultToGlobal}. */
    public CompatibilityLevel level(Optional<String> subject, boolean defaultToGlobal) {
        return read(() -> {
            if (subject.isEmpty()) {
                return globalLevel();
            }
            Optional<CompatibilityLevel> own = state.subjectLevel(subject.get());
            if (own.isEmpty() && !defaultToGlobal) {
                throw new RegistryException(RegistryError.SUBJECT_COMPATIBILITY_NOT_CONFIGURED, subject.get());
            }
            return own.orElseGet(this::globalLevel);
        });
    }

    public CompatibilityLevel setLevel(Optional<String> subject, Optional<String> levelName) {
        return write(() -> {
            subject.ifPresent(Registry::checkValidSubject);
            CompatibilityLevel level = levelName.flatMap(CompatibilityLevel::forName)
                    .orElseThrow(() -> new RegistryException(RegistryError.INVALID_COMPATIBILITY_LEVEL));
            checkConfigWritable(subject);
            return commit(new Change.SetConfig(subject, Optional.of(level)), level);
        });
    }

    /** Removes the subject's level (40401 when it has none) or resets the global one; returns what it was. */
    public CompatibilityLevel deleteLevel(Optional<String> subject) {
        return write(() -> {
            CompatibilityLevel previous;
            if (subject.isPresent()) {
                previous = state.subjectLevel(subject.get())
                        .orElseThrow(() -> new RegistryException(RegistryError.SUBJECT_NOT_FOUND, subject.get()));
            } else {
                previous = globalLevel();
            }
            checkConfigWritable(subject);
            return commit(new Change.SetConfig(subject, Optional.empty()), previous);
        });
    }

    // ---- modes ----

    /** The mode of {@code subject} (or the global one when empty); 40409 for a subject without one unless {@code defaultToGlobal}. */
    public Mode mode(Optional<String> subject, boolean defaultToGlobal) {
        return read(() -> {
            if (subject.isEmpty()) {
                return globalMode();
            }
            Optional<Mode> own = state.subjectMode(subject.get());
            if (own.isEmpty() && !defaultToGlobal) {
                throw new RegistryException(RegistryError.SUBJECT_MODE_NOT_CONFIGURED, subject.get());
            }
            return own.orElseGet(this::globalMode);
        });
    }

    /** Sets a mode; entering IMPORT needs the subjects concerned to have no live version unless {@code force}. */
    public Mode setMode(Optional<String> subject, Optional<String> modeName, boolean force) {
        return write(() -> {
            subject.ifPresent(Registry::checkValidSubject);
            Mode mode = modeName.flatMap(Mode::forName).orElseThrow(() -> new RegistryException(RegistryError.INVALID_MODE));
            Mode current = subject.map(this::modeInScope).orElseGet(this::globalMode);
            if (mode == Mode.IMPORT && current != Mode.IMPORT && !force) {
                boolean existing = subject.map(name -> !state.liveVersions(name).isEmpty())
                        .orElseGet(() -> !subjects("", false, false).isEmpty());
                if (existing) {
                    throw new RegistryException(RegistryError.OPERATION_NOT_PERMITTED, "Cannot import since found existing subjects");
                }
            }
            return commit(new Change.SetMode(subject, Optional.of(mode)), mode);
        });
    }

    /** Removes the subject's mode (40401 when it has none) or resets the global one; returns what it was. */
    public Mode deleteMode(Optional<String> subject) {
        return write(() -> {
            Mode previous;
            if (subject.isPresent()) {
                previous = state.subjectMode(subject.get())
                        .orElseThrow(() -> new RegistryException(RegistryError.SUBJECT_NOT_FOUND, subject.get()));
            } else {
                previous = globalMode();
            }
            return commit(new Change.SetMode(subject, Optional.empty()), previous);
        });
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            log.close();
            if (directoryLock.isPresent()) {
                directoryLock.get().close();
            }
        } catch (IOException e) {
            LOG.warn("closing the schema registry log failed", e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---- helpers (callers hold the lock) ----

    private CompatibilityLevel globalLevel() {
        return state.globalLevel().orElse(CompatibilityLevel.DEFAULT);
    }

    private CompatibilityLevel levelInScope(String subject) {
        return state.subjectLevel(subject).orElseGet(this::globalLevel);
    }

    private Mode globalMode() {
        return state.globalMode().orElse(Mode.DEFAULT);
    }

    private Mode modeInScope(String subject) {
        return state.subjectMode(subject).orElseGet(this::globalMode);
    }

    private void checkConfigWritable(Optional<String> subject) {
        Mode mode = subject.map(this::modeInScope).orElseGet(this::globalMode);
        if (mode == Mode.READONLY) {
            throw subject.map(Registry::readOnly)
                    .orElseGet(() -> new RegistryException(RegistryError.OPERATION_NOT_PERMITTED, "The registry is in read-only mode"));
        }
    }

    private static RegistryException readOnly(String subject) {
        return new RegistryException(RegistryError.OPERATION_NOT_PERMITTED, "Subject " + subject + " is in read-only mode");
    }

    private static void checkValidSubject(String subject) {
        boolean control = subject.chars().anyMatch(Character::isISOControl);
        if (subject.isEmpty() || control || subject.equals(GLOBAL_SUBJECT) || subject.equals(EMPTY_SUBJECT)) {
            throw new RegistryException(RegistryError.INVALID_SUBJECT, subject);
        }
    }

    private void requireSubject(String subject, boolean includeDeleted) {
        boolean exists = includeDeleted ? !state.versions(subject).isEmpty() : !state.liveVersions(subject).isEmpty();
        if (!exists) {
            throw new RegistryException(RegistryError.SUBJECT_NOT_FOUND, subject);
        }
    }

    private void requireId(int id) {
        boolean held = state.subjects().values().stream().flatMap(versions -> versions.values().stream()).anyMatch(version -> version.id() == id);
        if (!held) {
            throw new RegistryException(RegistryError.SCHEMA_ID_NOT_FOUND, id);
        }
    }

    /** {@code latest} is the newest live version whatever {@code includeDeleted} says, as in Confluent. */
    private Optional<Version> find(String subject, VersionRef ref, boolean includeDeleted) {
        if (ref.isLatest()) {
            return state.latestLive(subject);
        }
        return Optional.ofNullable(state.versions(subject).get(ref.number())).filter(version -> includeDeleted || !version.deleted());
    }

    private SubjectVersion describe(String subject, Version version) {
        return new SubjectVersion(subject, version.number(), version.id(), state.schema(version.id()).orElseThrow());
    }

    private List<AvroSchemas.Earlier> earlier(List<Version> versions) {
        List<AvroSchemas.Earlier> earlier = new ArrayList<>(versions.size());
        for (Version version : versions) {
            Schema schema = parsedById.computeIfAbsent(version.id(), id -> AvroSchemas.parse(state.schema(id).orElseThrow()).schema());
            earlier.add(new AvroSchemas.Earlier(version.number(), schema));
        }
        return earlier;
    }

    /** Makes {@code change} durable, then applies it; a log failure refuses this and every later change. */
    private <T> T commit(Change change, T result) {
        try {
            log.append(Change.encode(change));
        } catch (IOException | RuntimeException e) {
            String reason = "writing to the schema registry's log failed: " + e.getMessage();
            LOG.error("{}; the registry refuses changes until restarted", reason, e);
            failure = Optional.of(reason);
            throw new RegistryException(RegistryError.STORE_ERROR, "Error while writing to the schema registry's store: " + e.getMessage());
        }
        state.apply(change);
        return result;
    }

    private <T> T write(Supplier<T> operation) {
        lock.writeLock().lock();
        try {
            if (failure.isPresent()) {
                throw new RegistryException(RegistryError.STORE_ERROR,
                        "The schema registry's store failed earlier (" + failure.get() + "); restart the registry to recover");
            }
            return operation.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private <T> T read(Supplier<T> operation) {
        lock.readLock().lock();
        try {
            return operation.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing the schema registry lock file failed", e);
        }
    }
}
