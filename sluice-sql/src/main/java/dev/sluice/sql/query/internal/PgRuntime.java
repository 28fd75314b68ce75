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

    public static long bitAnd(long left, long right) {
        return left & right;
    }

    public static long bitOr(long left, long right) {
        return left | right;
    }

    public static long bitXor(long left, long right) {
        return left ^ right;
    }

    public static long shiftLeft(long left, long right) {
        return left << right;
    }

    public static long shiftRight(long left, long right) {
        return left >> right;
    }
}
