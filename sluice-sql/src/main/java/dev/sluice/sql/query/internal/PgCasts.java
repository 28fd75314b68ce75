package dev.sluice.sql.query.internal;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.type.TypeKind;
import dev.sluice.common.value.Interval;
import dev.sluice.common.value.Jsonb;
import dev.sluice.common.value.codec.JsonbText;
import dev.sluice.common.value.codec.PgText;
import dev.sluice.sql.parser.StatementParser;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.calcite.linq4j.function.Deterministic;

/**
 * PostgreSQL's casts between Sluice values: which exist ({@link #castable}) and what they do
 * ({@link #convert}). Text casts use PostgreSQL's input and output functions ({@link PgText}), so
 * {@code x::text} prints what psql prints. Public for generated code ({@link #cast}).
 */
public final class PgCasts {
    private static final Set<TypeKind> TEXT = Set.of(TypeKind.TEXT, TypeKind.VARCHAR, TypeKind.CHAR);
    private static final Set<TypeKind> NUMBERS = Set.of(TypeKind.SMALLINT, TypeKind.INTEGER, TypeKind.BIGINT, TypeKind.REAL, TypeKind.DOUBLE,
            TypeKind.NUMERIC, TypeKind.UINT2, TypeKind.UINT4, TypeKind.UINT8);
    private static final Set<TypeKind> INTEGERS = Set.of(TypeKind.SMALLINT, TypeKind.INTEGER, TypeKind.BIGINT, TypeKind.UINT2, TypeKind.UINT4,
            TypeKind.UINT8);
    private static final Set<TypeKind> DATETIMES = Set.of(TypeKind.DATE, TypeKind.TIMESTAMP, TypeKind.TIMESTAMPTZ);
    private static final Map<String, SqlType> PARSED = new ConcurrentHashMap<>();

    private PgCasts() {
    }

    /** Whether PostgreSQL can cast {@code from} to {@code to} explicitly. */
    public static boolean castable(SqlType from, SqlType to) {
        TypeKind source = from.kind();
        TypeKind target = to.kind();
        if (source == target && source != TypeKind.ARRAY && source != TypeKind.LIST && source != TypeKind.MAP) {
            return true;
        }
        if (TEXT.contains(source) || TEXT.contains(target)) {
            return true;
        }
        if (NUMBERS.contains(source) && NUMBERS.contains(target)) {
            return true;
        }
        if (source == TypeKind.BOOLEAN && INTEGERS.contains(target) || INTEGERS.contains(source) && target == TypeKind.BOOLEAN) {
            return true;
        }
        if (DATETIMES.contains(source) && DATETIMES.contains(target)) {
            return true;
        }
        if ((source == TypeKind.TIMESTAMP || source == TypeKind.TIMESTAMPTZ) && target == TypeKind.TIME) {
            return true;
        }
        if (source == TypeKind.TIME && target == TypeKind.INTERVAL || source == TypeKind.INTERVAL && target == TypeKind.TIME) {
            return true;
        }
        if (source == TypeKind.JSONB && (NUMBERS.contains(target) || target == TypeKind.BOOLEAN)) {
            return true;
        }
        if ((source == TypeKind.ARRAY || source == TypeKind.LIST) && (target == TypeKind.ARRAY || target == TypeKind.LIST)) {
            return castable(from.elementType(), to.elementType());
        }
        if (source == TypeKind.MAP && target == TypeKind.MAP) {
            return castable(from.elementType(), to.elementType());
        }
        return false;
    }

    /** The error for a cast that does not exist. */
    public static SluiceException notCastable(SqlType from, SqlType to) {
        return SluiceException.of(ErrorCode.CANNOT_COERCE, "cannot cast type %s to %s", from.displayName(), to.displayName());
    }

    /** Called by generated code: casts a value in Calcite's representation, given the types' SQL names. */
    @Deterministic
    public static Object cast(String fromName, String toName, Object value) {
        if (value == null) {
            return null;
        }
        SqlType from = type(fromName);
        SqlType to = type(toName);
        return Values.toCalcite(to, convert(from, to, Values.fromCalcite(from, value)));
    }

    private static SqlType type(String name) {
        return PARSED.computeIfAbsent(name, StatementParser::parseType);
    }

    /** Casts a Sluice value of type {@code from} to {@code to}, as PostgreSQL's explicit cast. */
    public static Object convert(SqlType from, SqlType to, Object value) {
        if (value == null) {
            return null;
        }
        TypeKind source = from.kind();
        TypeKind target = to.kind();
        if (TEXT.contains(target)) {
            String text = source == TypeKind.BOOLEAN ? ((Boolean) value ? "true" : "false")
                    : source == TypeKind.CHAR ? stripTrailingBlanks((String) value) : PgText.format(from, value);
            return fitText(to, text);
        }
        if (TEXT.contains(source)) {
            String text = source == TypeKind.CHAR ? stripTrailingBlanks((String) value) : (String) value;
            return PgText.parse(to, text);
        }
        if (source == target && source != TypeKind.ARRAY && source != TypeKind.LIST && source != TypeKind.MAP) {
            return dev.sluice.common.value.codec.Values.coerce(to, value);
        }
        if (NUMBERS.contains(source) && NUMBERS.contains(target)) {
            return number(from, to, value);
        }
        if (source == TypeKind.BOOLEAN) {
            return number(SqlType.INTEGER, to, (Boolean) value ? 1 : 0);
        }
        if (target == TypeKind.BOOLEAN && INTEGERS.contains(source)) {
            return ((Number) value).longValue() != 0 || value instanceof BigInteger big && big.signum() != 0;
        }
        if (source == TypeKind.JSONB) {
            return fromJsonb(to, (Jsonb) value);
        }
        Object converted = switch (source) {
            case DATE -> switch (target) {
                case TIMESTAMP -> ((LocalDate) value).atStartOfDay();
                case TIMESTAMPTZ -> ((LocalDate) value).atStartOfDay().toInstant(ZoneOffset.UTC);
                default -> null;
            };
            case TIMESTAMP -> switch (target) {
                case DATE -> ((LocalDateTime) value).toLocalDate();
                case TIMESTAMPTZ -> ((LocalDateTime) value).toInstant(ZoneOffset.UTC);
                case TIME -> ((LocalDateTime) value).toLocalTime();
                default -> null;
            };
            case TIMESTAMPTZ -> switch (target) {
                case DATE -> LocalDateTime.ofInstant((Instant) value, ZoneOffset.UTC).toLocalDate();
                case TIMESTAMP -> LocalDateTime.ofInstant((Instant) value, ZoneOffset.UTC);
                case TIME -> LocalDateTime.ofInstant((Instant) value, ZoneOffset.UTC).toLocalTime();
                default -> null;
            };
            case TIME -> target == TypeKind.INTERVAL ? new Interval(0, 0, ((LocalTime) value).toNanoOfDay() / 1000) : null;
            case INTERVAL -> target == TypeKind.TIME
                    ? LocalTime.ofNanoOfDay(Math.floorMod(((Interval) value).micros(), 86_400_000_000L) * 1000) : null;
            case ARRAY, LIST -> {
                if (target != TypeKind.ARRAY && target != TypeKind.LIST) {
                    yield null;
                }
                List<Object> result = new ArrayList<>();
                for (Object element : (List<?>) value) {
                    result.add(convert(from.elementType(), to.elementType(), element));
                }
                yield Collections.unmodifiableList(result);
            }
            case MAP -> {
                if (target != TypeKind.MAP) {
                    yield null;
                }
                TreeMap<String, Object> result = new TreeMap<>();
                ((Map<?, ?>) value).forEach((key, element) -> result.put((String) key, convert(from.elementType(), to.elementType(), element)));
                yield Collections.unmodifiableSortedMap(result);
            }
            default -> null;
        };
        if (converted == null) {
            throw notCastable(from, to);
        }
        return dev.sluice.common.value.codec.Values.coerce(to, converted);
    }

    private static String stripTrailingBlanks(String text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == ' ') {
            end--;
        }
        return text.substring(0, end);
    }

    /** An explicit cast to {@code varchar(n)} or {@code char(n)} truncates, as PostgreSQL's does. */
    private static String fitText(SqlType to, String text) {
        if ((to.kind() == TypeKind.VARCHAR || to.kind() == TypeKind.CHAR) && to.hasPrecision()
                && text.codePointCount(0, text.length()) > to.precision()) {
            text = text.substring(0, text.offsetByCodePoints(0, to.precision()));
        }
        return (String) dev.sluice.common.value.codec.Values.coerce(to, text);
    }

    private static Object number(SqlType from, SqlType to, Object value) {
        TypeKind target = to.kind();
        if (target == TypeKind.REAL) {
            return ((Number) value).floatValue();
        }
        if (target == TypeKind.DOUBLE) {
            return ((Number) value).doubleValue();
        }
        BigDecimal decimal;
        if (value instanceof BigDecimal big) {
            decimal = big;
        } else if (value instanceof BigInteger big) {
            decimal = new BigDecimal(big);
        } else if (value instanceof Float || value instanceof Double) {
            double number = ((Number) value).doubleValue();
            if (Double.isNaN(number) || Double.isInfinite(number)) {
                if (target == TypeKind.NUMERIC && Double.isNaN(number)) {
                    throw SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED, "NaN is not supported for type numeric");
                }
                throw outOfRange(to);
            }
            decimal = new BigDecimal(value instanceof Float f ? Float.toString(f) : Double.toString(number));
            if (INTEGERS.contains(target)) {
                // float to integer rounds half to even (rint), as PostgreSQL's does
                decimal = decimal.setScale(0, RoundingMode.HALF_EVEN);
            }
        } else {
            decimal = BigDecimal.valueOf(((Number) value).longValue());
        }
        if (target == TypeKind.NUMERIC) {
            return dev.sluice.common.value.codec.Values.coerce(to, decimal);
        }
        // numeric to integer rounds half away from zero
        BigInteger integer = decimal.setScale(0, RoundingMode.HALF_UP).toBigInteger();
        return switch (target) {
            case SMALLINT -> (short) checked(integer, Short.MIN_VALUE, Short.MAX_VALUE, to);
            case INTEGER -> (int) checked(integer, Integer.MIN_VALUE, Integer.MAX_VALUE, to);
            case BIGINT -> checked(integer, Long.MIN_VALUE, Long.MAX_VALUE, to);
            default -> dev.sluice.common.value.codec.Values.coerce(to, integer);
        };
    }

    private static long checked(BigInteger value, long min, long max, SqlType type) {
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw outOfRange(type);
        }
        return value.longValue();
    }

    static SluiceException outOfRange(SqlType type) {
        return SluiceException.of(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE, "%s out of range", type.displayName());
    }

    private static Object fromJsonb(SqlType to, Jsonb value) {
        com.fasterxml.jackson.databind.JsonNode node = JsonbText.tree(value);
        if (to.kind() == TypeKind.BOOLEAN) {
            if (!node.isBoolean()) {
                throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "cannot cast jsonb %s to type boolean", PgJson.typeOf(node));
            }
            return node.booleanValue();
        }
        if (!node.isNumber()) {
            throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "cannot cast jsonb %s to type %s", PgJson.typeOf(node), to.displayName());
        }
        return convert(SqlType.NUMERIC, to, node.decimalValue());
    }
}
