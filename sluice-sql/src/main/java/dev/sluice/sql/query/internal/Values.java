package dev.sluice.sql.query.internal;

import dev.sluice.common.type.SqlType;
import dev.sluice.common.type.TypeKind;
import dev.sluice.common.value.ByteString;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Conversion between Sluice's Java values and Calcite's runtime representation (see {@link Types}):
 * dates are days since the epoch, bytea is Avatica's {@code ByteString}, uint8 a {@code BigDecimal};
 * object types (time, timestamp, timestamptz, interval, jsonb, uuid) are Sluice's values unchanged.
 */
public final class Values {
    private Values() {
    }

    /** Sluice value to Calcite internal value. */
    public static Object toCalcite(SqlType type, Object value) {
        if (value == null) {
            return null;
        }
        return switch (type.kind()) {
            case UINT8 -> new BigDecimal((BigInteger) value);
            case BYTEA -> new org.apache.calcite.avatica.util.ByteString(((ByteString) value).toByteArray());
            case DATE -> (int) ((LocalDate) value).toEpochDay();
            case LIST, ARRAY -> {
                List<Object> result = new ArrayList<>();
                for (Object element : (List<?>) value) {
                    result.add(element instanceof List && type.elementType().kind() != TypeKind.ARRAY && type.elementType().kind() != TypeKind.LIST
                            ? toCalcite(type, element) : toCalcite(type.elementType(), element));
                }
                yield result;
            }
            case MAP -> {
                Map<String, Object> result = new TreeMap<>();
                ((Map<?, ?>) value).forEach((key, element) -> result.put((String) key, toCalcite(type.elementType(), element)));
                yield result;
            }
            default -> value;
        };
    }

    /** Calcite internal value to the Sluice value of {@code type}. */
    public static Object fromCalcite(SqlType type, Object value) {
        if (value == null) {
            return null;
        }
        return switch (type.kind()) {
            case BOOLEAN -> (Boolean) value;
            case SMALLINT -> ((Number) value).shortValue();
            case INTEGER, UINT2 -> ((Number) value).intValue();
            case BIGINT, UINT4 -> ((Number) value).longValue();
            case UINT8 -> value instanceof BigDecimal decimal ? decimal.toBigInteger() : value instanceof BigInteger big ? big
                    : BigInteger.valueOf(((Number) value).longValue());
            case REAL -> ((Number) value).floatValue();
            case DOUBLE -> ((Number) value).doubleValue();
            case NUMERIC -> value instanceof BigDecimal decimal ? decimal : new BigDecimal(value.toString());
            case TEXT, VARCHAR, CHAR -> value.toString();
            case BYTEA -> value instanceof org.apache.calcite.avatica.util.ByteString bytes ? ByteString.wrap(bytes.getBytes())
                    : value instanceof ByteString bytes ? bytes : ByteString.wrap((byte[]) value);
            case DATE -> value instanceof LocalDate date ? date : LocalDate.ofEpochDay(((Number) value).longValue());
            // Calcite's own datetime functions still produce milliseconds.
            case TIME -> value instanceof LocalTime time ? time : LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000_000L);
            case TIMESTAMP -> value instanceof LocalDateTime timestamp ? timestamp
                    : LocalDateTime.ofEpochSecond(Math.floorDiv(((Number) value).longValue(), 1000L),
                            (int) Math.floorMod(((Number) value).longValue(), 1000L) * 1_000_000, ZoneOffset.UTC);
            case TIMESTAMPTZ -> value instanceof Instant instant ? instant : Instant.ofEpochMilli(((Number) value).longValue());
            case LIST, ARRAY -> {
                List<Object> result = new ArrayList<>();
                for (Object element : (List<?>) value) {
                    result.add(fromCalcite(type.elementType(), element));
                }
                yield Collections.unmodifiableList(result);
            }
            case MAP -> {
                TreeMap<String, Object> result = new TreeMap<>();
                ((Map<?, ?>) value).forEach((key, element) -> result.put(key.toString(), fromCalcite(type.elementType(), element)));
                yield Collections.unmodifiableSortedMap(result);
            }
            default -> value;
        };
    }
}
