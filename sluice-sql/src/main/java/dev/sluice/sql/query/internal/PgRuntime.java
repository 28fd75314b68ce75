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

    public static java.math.BigDecimal truncate(java.math.BigDecimal value) {
        return value.setScale(0, java.math.RoundingMode.DOWN);
    }

    public static java.math.BigDecimal truncateTo(java.math.BigDecimal value, long digits) {
        return value.setScale((int) digits, java.math.RoundingMode.DOWN);
    }

    public static double truncateDouble(double value) {
        return value < 0 ? Math.ceil(value) : Math.floor(value);
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
