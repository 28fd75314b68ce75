package dev.sluice.sql.query.internal;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.value.Interval;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/** Helpers generated code calls for object types. Public for generated code. */
public final class PgRuntime {
    private PgRuntime() {
    }

    /** The sign of comparing two values of one object type (timestamps, intervals, jsonb, uuid). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static int compare(Object left, Object right) {
        if (left instanceof Interval a && right instanceof Interval b) {
            // PostgreSQL compares intervals by their span, a month being 30 days: '1 day' = '24 hours'
            return spanMicros(a).compareTo(spanMicros(b));
        }
        return Integer.signum(((Comparable) left).compareTo(right));
    }

    private static BigInteger spanMicros(Interval interval) {
        return BigInteger.valueOf((long) interval.months() * 30 + interval.days()).multiply(BigInteger.valueOf(86_400_000_000L))
                .add(BigInteger.valueOf(interval.micros()));
    }

    public static BigDecimal truncate(BigDecimal value) {
        return value.setScale(0, RoundingMode.DOWN);
    }

    public static BigDecimal truncateTo(BigDecimal value, long digits) {
        return value.setScale((int) digits, RoundingMode.DOWN);
    }

    public static double truncateDouble(double value) {
        return value < 0 ? Math.ceil(value) : Math.floor(value);
    }

    /** PostgreSQL's numeric division: the scale gives at least 16 significant digits, and no less than either input's. */
    public static BigDecimal divideNumeric(BigDecimal dividend, BigDecimal divisor) {
        if (divisor.signum() == 0) {
            throw new SluiceException(ErrorCode.DIVISION_BY_ZERO, "division by zero");
        }
        int quotientWeight = weight(dividend) - weight(divisor);
        if (firstDigit(dividend) <= firstDigit(divisor)) {
            quotientWeight--;
        }
        int scale = Math.max(16 - quotientWeight * 4, Math.max(Math.max(dividend.scale(), 0), Math.max(divisor.scale(), 0)));
        return dividend.divide(divisor, Math.min(Math.max(scale, 0), 1000), RoundingMode.HALF_UP);
    }

    /** The weight of a number in PostgreSQL's base-10000 digits. */
    private static int weight(BigDecimal value) {
        return value.signum() == 0 ? 0 : Math.floorDiv(value.precision() - value.scale() - 1, 4);
    }

    private static int firstDigit(BigDecimal value) {
        if (value.signum() == 0) {
            return 0;
        }
        return value.abs().movePointLeft(weight(value) * 4).intValue();
    }

    public static BigDecimal div(BigDecimal dividend, BigDecimal divisor) {
        if (divisor.signum() == 0) {
            throw new SluiceException(ErrorCode.DIVISION_BY_ZERO, "division by zero");
        }
        return dividend.divideToIntegralValue(divisor).setScale(0, RoundingMode.DOWN);
    }

    public static long gcd(long a, long b) {
        return BigInteger.valueOf(a).gcd(BigInteger.valueOf(b)).longValueExact();
    }

    public static long lcm(long a, long b) {
        return a == 0 || b == 0 ? 0 : Math.abs(Math.multiplyExact(a / gcd(a, b), b));
    }

    public static double log10(double value) {
        return Math.log10(value);
    }

    public static double power(double base, double exponent) {
        return Math.pow(base, exponent);
    }

    /** {@code greatest(…)} of object-type values; NULLs are ignored. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Object greatest(Object... values) {
        Object best = null;
        for (Object value : values) {
            if (value != null && (best == null || ((Comparable) value).compareTo(best) > 0)) {
                best = value;
            }
        }
        return best;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Object least(Object... values) {
        Object best = null;
        for (Object value : values) {
            if (value != null && (best == null || ((Comparable) value).compareTo(best) < 0)) {
                best = value;
            }
        }
        return best;
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
