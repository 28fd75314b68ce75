package dev.sluice.registry;

import java.util.Optional;

/**
 * What a registry (globally, or for one subject) accepts: {@code READWRITE} everything,
 * {@code READONLY} no registrations, deletions or configuration changes, {@code IMPORT}
 * registrations that carry their own id and version, without compatibility checks (for copying
 * another registry's contents). Mode changes are always accepted, so a read-only registry can be
 * made writable again.
 */
public enum Mode {
    READWRITE,
    READONLY,
    IMPORT;

    public static final Mode DEFAULT = READWRITE;

    /** Parses a mode name case-insensitively, as Confluent does; empty for an unknown name. */
    public static Optional<Mode> forName(String name) {
        return EnumNames.parse(Mode.class, name);
    }
}
