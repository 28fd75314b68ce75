package dev.sluice.storage.internal;

import dev.sluice.common.value.ByteString;
import dev.sluice.common.value.Interval;
import dev.sluice.common.value.Jsonb;
import dev.sluice.common.value.Row;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Compact binary encoding of rows. Every value starts with a one-byte tag naming its Java type, so a
 * row decodes without its schema (the log holds rows of collections whose description may have
 * been dropped since). Integers and lengths are variable-length (zig-zag for signed values).
 *
 * <pre>
 * row    := varint(arity) value*
 * value  := tag payload     (tags below; NULL, FALSE and TRUE have no payload)
 * </pre>
 *
 * The tags are part of the on-disk format: never renumber them.
 */
public final class RowCodec {
    static final int NULL = 0;
    static final int FALSE = 1;
    static final int TRUE = 2;
    static final int SHORT = 3;
    static final int INT = 4;
    static final int LONG = 5;
    static final int FLOAT = 6;
    static final int DOUBLE = 7;
    static final int DECIMAL = 8;
    static final int STRING = 9;
    static final int BYTES = 10;
    static final int DATE = 11;
    static final int TIME = 12;
    static final int TIMESTAMP = 13;
    static final int TIMESTAMPTZ = 14;
    static final int INTERVAL = 15;
    static final int JSONB = 16;
    static final int UUID_TAG = 17;
    static final int BIG_INTEGER = 18;
    static final int MAP = 19;
    static final int LIST = 20;

    private RowCodec() {
    }

    public static void writeRow(DataOutput out, Row row) throws IOException {
        writeVarLong(out, row.size());
        for (int i = 0; i < row.size(); i++) {
            writeValue(out, row.get(i));
        }
    }

    public static Row readRow(DataInput in) throws IOException {
        int size = readLength(in);
        Object[] values = new Object[size];
        for (int i = 0; i < size; i++) {
            values[i] = readValue(in);
        }
        return Row.wrap(values);
    }

    /** Writes one value; throws {@link IllegalArgumentException} for a Java type no SQL type maps to. */
    public static void writeValue(DataOutput out, Object value) throws IOException {
        if (value == null) {
            out.writeByte(NULL);
        } else if (value instanceof Boolean b) {
            out.writeByte(b ? TRUE : FALSE);
        } else if (value instanceof Short s) {
            out.writeByte(SHORT);
            out.writeShort(s);
        } else if (value instanceof Integer i) {
            out.writeByte(INT);
            writeSignedVarLong(out, i);
        } else if (value instanceof Long l) {
            out.writeByte(LONG);
            writeSignedVarLong(out, l);
        } else if (value instanceof Float f) {
            out.writeByte(FLOAT);
            out.writeFloat(f);
        } else if (value instanceof Double d) {
            out.writeByte(DOUBLE);
            out.writeDouble(d);
        } else if (value instanceof BigDecimal d) {
            out.writeByte(DECIMAL);
            writeSignedVarLong(out, d.scale());
            writeBytes(out, d.unscaledValue().toByteArray());
        } else if (value instanceof String s) {
            out.writeByte(STRING);
            writeString(out, s);
        } else if (value instanceof ByteString b) {
            out.writeByte(BYTES);
            writeBytes(out, b.toByteArray());
        } else if (value instanceof LocalDate d) {
            out.writeByte(DATE);
            writeSignedVarLong(out, d.toEpochDay());
        } else if (value instanceof LocalTime t) {
            out.writeByte(TIME);
            writeVarLong(out, t.toNanoOfDay());
        } else if (value instanceof LocalDateTime t) {
            out.writeByte(TIMESTAMP);
            writeSignedVarLong(out, t.toEpochSecond(ZoneOffset.UTC));
            writeVarLong(out, t.getNano());
        } else if (value instanceof Instant t) {
            out.writeByte(TIMESTAMPTZ);
            writeSignedVarLong(out, t.getEpochSecond());
            writeVarLong(out, t.getNano());
        } else if (value instanceof Interval i) {
            out.writeByte(INTERVAL);
            writeSignedVarLong(out, i.months());
            writeSignedVarLong(out, i.days());
            writeSignedVarLong(out, i.micros());
        } else if (value instanceof Jsonb j) {
            out.writeByte(JSONB);
            writeString(out, j.text());
        } else if (value instanceof UUID u) {
            out.writeByte(UUID_TAG);
            out.writeLong(u.getMostSignificantBits());
            out.writeLong(u.getLeastSignificantBits());
        } else if (value instanceof BigInteger b) {
            out.writeByte(BIG_INTEGER);
            writeBytes(out, b.toByteArray());
        } else if (value instanceof Map<?, ?> map) {
            out.writeByte(MAP);
            writeVarLong(out, map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("map keys must be text, not " + describe(entry.getKey()));
                }
                writeString(out, key);
                writeValue(out, entry.getValue());
            }
        } else if (value instanceof List<?> list) {
            out.writeByte(LIST);
            writeVarLong(out, list.size());
            for (Object element : list) {
                writeValue(out, element);
            }
        } else {
            throw new IllegalArgumentException("cannot store a value of Java type " + value.getClass().getName());
        }
    }

    public static Object readValue(DataInput in) throws IOException {
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case NULL -> null;
            case FALSE -> Boolean.FALSE;
            case TRUE -> Boolean.TRUE;
            case SHORT -> in.readShort();
            case INT -> (int) readSignedVarLong(in);
            case LONG -> readSignedVarLong(in);
            case FLOAT -> in.readFloat();
            case DOUBLE -> in.readDouble();
            case DECIMAL -> {
                int scale = (int) readSignedVarLong(in);
                yield new BigDecimal(new BigInteger(readBytes(in)), scale);
            }
            case STRING -> readString(in);
            case BYTES -> ByteString.wrap(readBytes(in));
            case DATE -> LocalDate.ofEpochDay(readSignedVarLong(in));
            case TIME -> LocalTime.ofNanoOfDay(readVarLong(in));
            case TIMESTAMP -> LocalDateTime.ofEpochSecond(readSignedVarLong(in), (int) readVarLong(in), ZoneOffset.UTC);
            case TIMESTAMPTZ -> Instant.ofEpochSecond(readSignedVarLong(in), readVarLong(in));
            case INTERVAL -> new Interval((int) readSignedVarLong(in), (int) readSignedVarLong(in), readSignedVarLong(in));
            case JSONB -> new Jsonb(readString(in));
            case UUID_TAG -> new UUID(in.readLong(), in.readLong());
            case BIG_INTEGER -> new BigInteger(readBytes(in));
            case MAP -> {
                int size = readLength(in);
                SortedMap<String, Object> map = new TreeMap<>();
                for (int i = 0; i < size; i++) {
                    String key = readString(in);
                    map.put(key, readValue(in));
                }
                yield Collections.unmodifiableSortedMap(map);
            }
            case LIST -> {
                int size = readLength(in);
                List<Object> list = new ArrayList<>(Math.min(size, 1024));
                for (int i = 0; i < size; i++) {
                    list.add(readValue(in));
                }
                yield Collections.unmodifiableList(list);
            }
            default -> throw new IOException("unknown value tag " + tag);
        };
    }

    public static void writeString(DataOutput out, String value) throws IOException {
        writeBytes(out, value.getBytes(StandardCharsets.UTF_8));
    }

    public static String readString(DataInput in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    static void writeBytes(DataOutput out, byte[] bytes) throws IOException {
        writeVarLong(out, bytes.length);
        out.write(bytes);
    }

    static byte[] readBytes(DataInput in) throws IOException {
        byte[] bytes = new byte[readLength(in)];
        in.readFully(bytes);
        return bytes;
    }

    /** Unsigned LEB128. */
    public static void writeVarLong(DataOutput out, long value) throws IOException {
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            out.writeByte((int) ((rest & 0x7F) | 0x80));
            rest >>>= 7;
        }
        out.writeByte((int) rest);
    }

    public static long readVarLong(DataInput in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int next = in.readUnsignedByte();
            value |= (long) (next & 0x7F) << shift;
            if ((next & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("variable-length integer is too long");
    }

    public static void writeSignedVarLong(DataOutput out, long value) throws IOException {
        writeVarLong(out, (value << 1) ^ (value >> 63));
    }

    public static long readSignedVarLong(DataInput in) throws IOException {
        long raw = readVarLong(in);
        return (raw >>> 1) ^ -(raw & 1);
    }

    /** A length or count: a corrupt record must fail with an IOException, not allocate gigabytes. */
    public static int readLength(DataInput in) throws IOException {
        long length = readVarLong(in);
        if (length < 0 || length > Integer.MAX_VALUE - 8) {
            throw new IOException("invalid length " + length);
        }
        return (int) length;
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }
}
