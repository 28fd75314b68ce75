package dev.sluice.common.value.codec;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.type.TypeKind;
import dev.sluice.common.value.ByteString;
import dev.sluice.common.value.Interval;
import dev.sluice.common.value.Jsonb;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/** PostgreSQL's binary wire format for the types that have one (used by pgwire and FORMAT BYTES). */
public final class PgBinary {
    private static final LocalDate PG_EPOCH_DATE = LocalDate.of(2000, 1, 1);
    private static final LocalDateTime PG_EPOCH = LocalDateTime.of(2000, 1, 1, 0, 0);

    private PgBinary() {
    }

    /** Whether {@code type} has a binary encoding (list, map and types containing them do not). */
    public static boolean isEncodable(SqlType type) {
        return switch (type.kind()) {
            case LIST, MAP -> false;
            case ARRAY -> isEncodable(type.elementType());
            default -> true;
        };
    }

    /** The binary encoding of a non-null value. */
    public static byte[] encode(SqlType type, Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(type, value, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void write(SqlType type, Object value, DataOutputStream out) throws IOException {
        switch (type.kind()) {
            case BOOLEAN -> out.writeByte((Boolean) value ? 1 : 0);
            case SMALLINT -> out.writeShort((Short) value);
            case INTEGER -> out.writeInt((Integer) value);
            case BIGINT -> out.writeLong((Long) value);
            case REAL -> out.writeFloat((Float) value);
            case DOUBLE -> out.writeDouble((Double) value);
            case NUMERIC -> writeNumeric((BigDecimal) value, out);
            case TEXT, VARCHAR, CHAR -> out.write(((String) value).getBytes(StandardCharsets.UTF_8));
            case BYTEA -> out.write(((ByteString) value).toByteArray());
            case DATE -> out.writeInt((int) ChronoUnit.DAYS.between(PG_EPOCH_DATE, (LocalDate) value));
            case TIME -> out.writeLong(((LocalTime) value).toNanoOfDay() / 1000);
            case TIMESTAMP -> out.writeLong(ChronoUnit.MICROS.between(PG_EPOCH, (LocalDateTime) value));
            case TIMESTAMPTZ -> out.writeLong(ChronoUnit.MICROS.between(PG_EPOCH.toInstant(ZoneOffset.UTC), (Instant) value));
            case INTERVAL -> {
                Interval interval = (Interval) value;
                out.writeLong(interval.micros());
                out.writeInt(interval.days());
                out.writeInt(interval.months());
            }
            case JSONB -> {
                out.writeByte(1);
                out.write(((Jsonb) value).text().getBytes(StandardCharsets.UTF_8));
            }
            case UUID -> {
                UUID uuid = (UUID) value;
                out.writeLong(uuid.getMostSignificantBits());
                out.writeLong(uuid.getLeastSignificantBits());
            }
            case UINT2 -> out.writeShort((Integer) value);
            case UINT4 -> out.writeInt((int) (long) (Long) value);
            case UINT8 -> out.writeLong(((BigInteger) value).longValue());
            case ARRAY -> writeArray(type, (List<?>) value, out);
            case LIST, MAP -> throw SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED, "binary encoding of type %s is not supported",
                    type.displayName());
        }
    }

    private static void writeArray(SqlType type, List<?> list, DataOutputStream out) throws IOException {
        SqlType element = type.elementType();
        List<Integer> dimensions = new ArrayList<>();
        List<Object> flat = new ArrayList<>();
        flatten(list, dimensions, 0, flat);
        boolean hasNull = flat.contains(null);
        out.writeInt(list.isEmpty() ? 0 : dimensions.size());
        out.writeInt(hasNull ? 1 : 0);
        out.writeInt(element.kind() == TypeKind.ARRAY ? element.elementType().oid() : element.oid());
        if (!list.isEmpty()) {
            for (int dimension : dimensions) {
                out.writeInt(dimension);
                out.writeInt(1);
            }
        }
        SqlType scalar = element.kind() == TypeKind.ARRAY ? element.elementType() : element;
        for (Object item : flat) {
            if (item == null) {
                out.writeInt(-1);
            } else {
                byte[] encoded = encode(scalar, item);
                out.writeInt(encoded.length);
                out.write(encoded);
            }
        }
    }

    private static void flatten(List<?> list, List<Integer> dimensions, int depth, List<Object> flat) {
        if (dimensions.size() <= depth) {
            dimensions.add(list.size());
        }
        for (Object item : list) {
            if (item instanceof List<?> nested) {
                flatten(nested, dimensions, depth + 1, flat);
            } else {
                flat.add(item);
            }
        }
    }

    private static void writeNumeric(BigDecimal value, DataOutputStream out) throws IOException {
        BigDecimal absolute = value.abs();
        int dscale = Math.max(value.scale(), 0);
        String digits = absolute.setScale(dscale).unscaledValue().toString();
        int integerLength = digits.length() - dscale;
        // Pad so that the integer part is a multiple of 4 digits and the fraction too.
        int integerPad = (4 - Math.floorMod(integerLength, 4)) % 4;
        int fractionPad = (4 - dscale % 4) % 4;
        String padded = "0".repeat(integerPad) + digits + "0".repeat(fractionPad);
        List<Short> groups = new ArrayList<>();
        for (int i = 0; i < padded.length(); i += 4) {
            groups.add(Short.parseShort(padded.substring(i, i + 4)));
        }
        int weight = (integerLength + integerPad) / 4 - 1;
        while (!groups.isEmpty() && groups.get(0) == 0) {
            groups.remove(0);
            weight--;
        }
        while (!groups.isEmpty() && groups.get(groups.size() - 1) == 0) {
            groups.remove(groups.size() - 1);
        }
        if (groups.isEmpty()) {
            weight = 0;
        }
        out.writeShort(groups.size());
        out.writeShort(weight);
        out.writeShort(value.signum() < 0 ? 0x4000 : 0);
        out.writeShort(dscale);
        for (short group : groups) {
            out.writeShort(group);
        }
    }

    /** Decodes a binary parameter value; 22P03 on malformed input. */
    public static Object decode(SqlType type, byte[] bytes) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            Object value = read(type, buffer, bytes.length);
            return Values.coerce(type, value);
        } catch (RuntimeException e) {
            if (e instanceof SluiceException sluiceException) {
                throw sluiceException;
            }
            throw SluiceException.of(ErrorCode.INVALID_BINARY_REPRESENTATION, "incorrect binary data format for type %s", type.displayName());
        }
    }

    private static Object read(SqlType type, ByteBuffer buffer, int length) {
        return switch (type.kind()) {
            case BOOLEAN -> buffer.get() != 0;
            case SMALLINT -> buffer.getShort();
            case INTEGER -> buffer.getInt();
            case BIGINT -> buffer.getLong();
            case REAL -> buffer.getFloat();
            case DOUBLE -> buffer.getDouble();
            case NUMERIC -> readNumeric(buffer);
            case TEXT, VARCHAR, CHAR -> new String(remaining(buffer, length), StandardCharsets.UTF_8);
            case BYTEA -> ByteString.wrap(remaining(buffer, length));
            case DATE -> PG_EPOCH_DATE.plusDays(buffer.getInt());
            case TIME -> LocalTime.ofNanoOfDay(buffer.getLong() * 1000);
            case TIMESTAMP -> PG_EPOCH.plus(buffer.getLong(), ChronoUnit.MICROS);
            case TIMESTAMPTZ -> PG_EPOCH.toInstant(ZoneOffset.UTC).plus(buffer.getLong(), ChronoUnit.MICROS);
            case INTERVAL -> {
                long micros = buffer.getLong();
                int days = buffer.getInt();
                int months = buffer.getInt();
                yield new Interval(months, days, micros);
            }
            case JSONB -> {
                byte version = buffer.get();
                if (version != 1) {
                    throw new IllegalArgumentException("jsonb version");
                }
                yield JsonbText.canonicalize(new String(remaining(buffer, length - 1), StandardCharsets.UTF_8));
            }
            case UUID -> new UUID(buffer.getLong(), buffer.getLong());
            case UINT2 -> Short.toUnsignedInt(buffer.getShort());
            case UINT4 -> Integer.toUnsignedLong(buffer.getInt());
            case UINT8 -> new BigInteger(Long.toUnsignedString(buffer.getLong()));
            case ARRAY -> readArray(type, buffer);
            case LIST, MAP -> throw SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED, "binary encoding of type %s is not supported",
                    type.displayName());
        };
    }

    private static byte[] remaining(ByteBuffer buffer, int length) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static Object readArray(SqlType type, ByteBuffer buffer) {
        int dimensions = buffer.getInt();
        buffer.getInt();
        buffer.getInt();
        if (dimensions == 0) {
            return List.of();
        }
        int[] sizes = new int[dimensions];
        for (int i = 0; i < dimensions; i++) {
            sizes[i] = buffer.getInt();
            buffer.getInt();
        }
        SqlType scalar = type.elementType().kind() == TypeKind.ARRAY ? type.elementType().elementType() : type.elementType();
        return readDimension(scalar, buffer, sizes, 0);
    }

    private static List<Object> readDimension(SqlType scalar, ByteBuffer buffer, int[] sizes, int depth) {
        List<Object> result = new ArrayList<>();
        for (int i = 0; i < sizes[depth]; i++) {
            if (depth + 1 < sizes.length) {
                result.add(readDimension(scalar, buffer, sizes, depth + 1));
                continue;
            }
            int length = buffer.getInt();
            if (length < 0) {
                result.add(null);
                continue;
            }
            byte[] element = new byte[length];
            buffer.get(element);
            result.add(read(scalar, ByteBuffer.wrap(element), length));
        }
        return Collections.unmodifiableList(result);
    }

    private static BigDecimal readNumeric(ByteBuffer buffer) {
        int count = buffer.getShort();
        int weight = buffer.getShort();
        int sign = buffer.getShort() & 0xffff;
        int dscale = buffer.getShort();
        BigDecimal value = BigDecimal.ZERO;
        for (int i = 0; i < count; i++) {
            value = value.add(BigDecimal.valueOf(buffer.getShort()).scaleByPowerOfTen(4 * (weight - i)));
        }
        value = value.setScale(dscale, java.math.RoundingMode.UNNECESSARY);
        if (sign == 0xC000) {
            throw SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED, "numeric NaN is not supported");
        }
        return sign == 0x4000 ? value.negate() : value;
    }
}
