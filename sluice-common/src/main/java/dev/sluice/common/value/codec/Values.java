package dev.sluice.common.value.codec;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.type.TypeKind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Assignment of typed values to columns: PostgreSQL's length, precision and range rules. */
public final class Values {
    private static final BigInteger UINT8_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private Values() {
    }

    /**
     * Checks and adjusts a value for storage in a column of {@code target}: varchar length (22001),
     * char blank-padding, numeric precision/scale rounding and overflow (22003), time precision
     * rounding, unsigned ranges, element-wise for lists, arrays and maps. {@code null} stays null.
     */
    public static Object coerce(SqlType target, Object value) {
        if (value == null) {
            return null;
        }
        return switch (target.kind()) {
            case VARCHAR -> {
                String text = (String) value;
                if (target.hasPrecision() && text.codePointCount(0, text.length()) > target.precision()) {
                    String head = text.substring(0, text.offsetByCodePoints(0, target.precision()));
                    if (!text.substring(head.length()).isBlank()) {
                        throw SluiceException.of(ErrorCode.STRING_DATA_RIGHT_TRUNCATION, "value too long for type character varying(%d)",
                                target.precision());
                    }
                    yield head;
                }
                yield text;
            }
            case CHAR -> {
                String text = (String) value;
                int length = target.hasPrecision() ? target.precision() : 1;
                int count = text.codePointCount(0, text.length());
                if (count > length) {
                    String head = text.substring(0, text.offsetByCodePoints(0, length));
                    if (!text.substring(head.length()).isBlank()) {
                        throw SluiceException.of(ErrorCode.STRING_DATA_RIGHT_TRUNCATION, "value too long for type character(%d)", length);
                    }
                    yield head;
                }
                yield text + " ".repeat(length - count);
            }
            case NUMERIC -> coerceNumeric(target, (BigDecimal) value);
            case TIME -> roundTime(target, (LocalTime) value);
            case TIMESTAMP -> {
                LocalDateTime timestamp = (LocalDateTime) value;
                int precision = target.hasPrecision() ? target.precision() : 6;
                long unit = (long) Math.pow(10, 9 - precision);
                long nanos = timestamp.getNano();
                long rounded = Math.round((double) nanos / unit) * unit;
                yield timestamp.withNano(0).plusNanos(rounded);
            }
            case TIMESTAMPTZ -> {
                Instant instant = (Instant) value;
                int precision = target.hasPrecision() ? target.precision() : 6;
                long unit = (long) Math.pow(10, 9 - precision);
                long rounded = Math.round((double) instant.getNano() / unit) * unit;
                yield instant.truncatedTo(ChronoUnit.SECONDS).plusNanos(rounded);
            }
            case UINT2 -> Math.toIntExact(checkUnsigned(target, toBigInteger(value), BigInteger.valueOf(65_535)).longValueExact());
            case UINT4 -> checkUnsigned(target, toBigInteger(value), BigInteger.valueOf(4_294_967_295L)).longValueExact();
            case UINT8 -> checkUnsigned(target, toBigInteger(value), UINT8_MAX);
            case LIST, ARRAY -> {
                List<Object> result = new ArrayList<>();
                for (Object element : (List<?>) value) {
                    result.add(element instanceof List && target.elementType().kind() != TypeKind.LIST && target.elementType().kind() != TypeKind.ARRAY
                            ? coerce(target, element) : coerce(target.elementType(), element));
                }
                yield Collections.unmodifiableList(result);
            }
            case MAP -> {
                SortedMap<String, Object> result = new TreeMap<>();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    result.put((String) entry.getKey(), coerce(target.elementType(), entry.getValue()));
                }
                yield Collections.unmodifiableSortedMap(result);
            }
            default -> value;
        };
    }

    private static BigInteger toBigInteger(Object value) {
        if (value instanceof BigInteger big) {
            return big;
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.setScale(0, RoundingMode.HALF_UP).toBigInteger();
        }
        return BigInteger.valueOf(((Number) value).longValue());
    }

    private static BigInteger checkUnsigned(SqlType type, BigInteger value, BigInteger max) {
        if (value.signum() < 0 || value.compareTo(max) > 0) {
            throw SluiceException.of(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE, "%s out of range", type.displayName());
        }
        return value;
    }

    private static LocalTime roundTime(SqlType target, LocalTime time) {
        int precision = target.hasPrecision() ? target.precision() : 6;
        long unit = (long) Math.pow(10, 9 - precision);
        long rounded = Math.round((double) time.getNano() / unit) * unit;
        return time.withNano(0).plusNanos(rounded);
    }

    private static BigDecimal coerceNumeric(SqlType target, BigDecimal value) {
        BigDecimal result = value;
        if (target.hasScale()) {
            result = result.setScale(target.scale(), RoundingMode.HALF_UP);
        } else if (target.hasPrecision()) {
            result = result.setScale(0, RoundingMode.HALF_UP);
        }
        if (target.hasPrecision()) {
            int scale = Math.max(target.hasScale() ? target.scale() : 0, 0);
            int integerDigits = result.precision() - result.scale();
            if (result.signum() != 0 && integerDigits > target.precision() - scale) {
                throw SluiceException.of(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE, "numeric field overflow")
                        .withDetail(String.format(java.util.Locale.ROOT,
                                "A field with precision %d, scale %d must round to an absolute value less than 10^%d.",
                                target.precision(), scale, target.precision() - scale));
            }
        }
        if (result.precision() > 39 + Math.max(result.scale(), 0) && !target.hasPrecision()) {
            throw SluiceException.of(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE, "numeric field overflow");
        }
        return result;
    }

    /** A total order over non-null values of {@code type}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static int compare(SqlType type, Object left, Object right) {
        if (left instanceof Comparable comparable && left.getClass() == right.getClass() && !(left instanceof List)) {
            return comparable.compareTo(right);
        }
        return PgText.format(type, left).compareTo(PgText.format(type, right));
    }
}
