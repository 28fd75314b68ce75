package dev.sluice.common.value;

/**
 * A PostgreSQL interval: months, days and microseconds, kept apart as PostgreSQL does
 * ({@code '1 month'} is not {@code '30 days'}).
 */
public record Interval(int months, int days, long micros) implements Comparable<Interval> {
    public static final Interval ZERO = new Interval(0, 0, 0);

    /** Ordering as PostgreSQL's: by the total with a month as 30 days and a day as 24 hours. */
    @Override
    public int compareTo(Interval other) {
        int byTotal = java.math.BigInteger.valueOf(normalizedMicrosHigh()).compareTo(java.math.BigInteger.valueOf(other.normalizedMicrosHigh()));
        if (byTotal != 0) {
            return byTotal;
        }
        return Long.compare(micros, other.micros);
    }

    private long normalizedMicrosHigh() {
        // months*30 days + days, in microseconds; fits a long for all representable intervals we accept.
        return ((long) months * 30L + days) * 86_400_000_000L + micros;
    }
}
