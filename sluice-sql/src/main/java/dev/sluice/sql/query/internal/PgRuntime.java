package dev.sluice.sql.query.internal;

/** Helpers generated code calls for object types. Public for generated code. */
public final class PgRuntime {
    private PgRuntime() {
    }

    /** The sign of comparing two values of one object type (timestamps, intervals, jsonb, uuid). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static int compare(Object left, Object right) {
        return Integer.signum(((Comparable) left).compareTo(right));
    }
}
