package dev.sluice.registry;

import java.util.Optional;

/**
 * How a new schema under a subject must relate to the ones registered before it (Confluent's
 * seven levels). "Backward" means the new schema can read data written with the old one;
 * "forward" means data written with the new schema can be read with the old one; "full" is both.
 * A transitive level checks against every live version, the others only against the latest.
 */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    /** What a registry uses while neither the subject nor the global configuration names a level. */
    public static final CompatibilityLevel DEFAULT = BACKWARD;

    private final boolean newReadsOld;
    private final boolean oldReadsNew;
    private final boolean transitive;

    CompatibilityLevel(boolean newReadsOld, boolean oldReadsNew, boolean transitive) {
        this.newReadsOld = newReadsOld;
        this.oldReadsNew = oldReadsNew;
        this.transitive = transitive;
    }

    /** The new schema must be able to read data written with an earlier one. */
    public boolean newReadsOld() {
        return newReadsOld;
    }

    /** An earlier schema must be able to read data written with the new one. */
    public boolean oldReadsNew() {
        return oldReadsNew;
    }

    /** Checked against every live version, not only the latest. */
    public boolean transitive() {
        return transitive;
    }

    /** Parses a level name case-insensitively, as Confluent does; empty for an unknown name. */
    public static Optional<CompatibilityLevel> forName(String name) {
        return EnumNames.parse(CompatibilityLevel.class, name);
    }
}
