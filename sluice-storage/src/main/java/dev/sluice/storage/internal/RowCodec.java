package dev.sluice.storage.internal;

import dev.sluice.common.value.ByteString;
import dev.sluice.common.value.Interval;
import dev.sluice.common.value.Jsonb;
import dev.sluice.common.value.Row;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/** Binary encoding of rows: one type tag per value, so rows decode without their schema. */
public final class RowCodec {
    private RowCodec() {
    }

    public static void writeRow(DataOutputStream out, Row row) throws IOException {
        out.writeShort(row.size());
        for (int i = 0; i < row.size(); i++) {
            writeValue(out, row.get(i));
        }
    }

    public static Row readRow(DataInputStream in) throws IOException {
        int size = in.readUnsignedShort();
        Object[] values = new Object[size];
        for (int i = 0; i < size; i++) {
            values[i] = readValue(in);
        }
        return Row.wrap(values);
    }

    static void writeValue(DataOutputStream out, Object value) throws IOException {
        if (value == null) {
            out.writeByte(0);
        } else if (value instanceof Boolean b) {
            out.writeByte(1);
            out.writeBoolean(b);
        } else if (value instanceof Short s) {
            out.writeByte(2);
            out.writeShort(s);
        } else if (value instanceof Integer i) {
            out.writeByte(3);
            out.writeInt(i);
        } else if (value instanceof Long l) {
            out.writeByte(4);
            out.writeLong(l);
        } else if (value instanceof Float f) {
            out.writeByte(5);
            out.writeFloat(f);
        } else if (value instanceof Double d) {
            out.writeByte(6);
            out.writeDouble(d);
        } else if (value instanceof BigDecimal d) {
            out.writeByte(7);
            byte[] unscaled = d.unscaledValue().toByteArray();
            out.writeInt(d.scale());
            out.writeInt(unscaled.length);
            out.write(unscaled);
        } else if (value instanceof String s) {
            out.writeByte(8);
            writeString(out, s);
        } else if (value instanceof ByteString b) {
            out.writeByte(9);
            out.writeInt(b.length());
            out.write(b.toByteArray());
        } else if (value instanceof LocalDate d) {
            out.writeByte(10);
            out.writeLong(d.toEpochDay());
        } else if (value instanceof LocalTime t) {
            out.writeByte(11);
            out.writeLong(t.toNanoOfDay());
        } else if (value instanceof LocalDateTime t) {
            out.writeByte(12);
            out.writeLong(t.toEpochSecond(ZoneOffset.UTC));
            out.writeInt(t.getNano());
        } else if (value instanceof Instant t) {
            out.writeByte(13);
            out.writeLong(t.getEpochSecond());
            out.writeInt(t.getNano());
        } else if (value instanceof Interval i) {
            out.writeByte(14);
            out.writeInt(i.months());
            out.writeInt(i.days());
            out.writeLong(i.micros());
        } else if (value instanceof Jsonb j) {
            out.writeByte(15);
            writeString(out, j.text());
        } else if (value instanceof UUID u) {
            out.writeByte(16);
            out.writeLong(u.getMostSignificantBits());
            out.writeLong(u.getLeastSignificantBits());
        } else if (value instanceof BigInteger b) {
            out.writeByte(17);
            byte[] bytes = b.toByteArray();
            out.writeInt(bytes.length);
            out.write(bytes);
        } else if (value instanceof Map<?, ?> map) {
            out.writeByte(18);
            out.writeInt(map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                writeString(out, (String) entry.getKey());
                writeValue(out, entry.getValue());
            }
        } else if (value instanceof List<?> list) {
            out.writeByte(19);
            out.writeInt(list.size());
            for (Object element : list) {
                writeValue(out, element);
            }
        } else {
            throw new IllegalArgumentException("cannot store a value of " + value.getClass());
        }
    }

    static Object readValue(DataInputStream in) throws IOException {
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case 0 -> null;
            case 1 -> in.readBoolean();
            case 2 -> in.readShort();
            case 3 -> in.readInt();
            case 4 -> in.readLong();
            case 5 -> in.readFloat();
            case 6 -> in.readDouble();
            case 7 -> {
                int scale = in.readInt();
                byte[] unscaled = in.readNBytes(in.readInt());
                yield new BigDecimal(new BigInteger(unscaled), scale);
            }
            case 8 -> readString(in);
            case 9 -> ByteString.wrap(in.readNBytes(in.readInt()));
            case 10 -> LocalDate.ofEpochDay(in.readLong());
            case 11 -> LocalTime.ofNanoOfDay(in.readLong());
            case 12 -> LocalDateTime.ofEpochSecond(in.readLong(), in.readInt(), ZoneOffset.UTC);
            case 13 -> Instant.ofEpochSecond(in.readLong(), in.readInt());
            case 14 -> new Interval(in.readInt(), in.readInt(), in.readLong());
            case 15 -> new Jsonb(readString(in));
            case 16 -> new UUID(in.readLong(), in.readLong());
            case 17 -> new BigInteger(in.readNBytes(in.readInt()));
            case 18 -> {
                int size = in.readInt();
                SortedMap<String, Object> map = new TreeMap<>();
                for (int i = 0; i < size; i++) {
                    map.put(readString(in), readValue(in));
                }
                yield Collections.unmodifiableSortedMap(map);
            }
            case 19 -> {
                int size = in.readInt();
                List<Object> list = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    list.add(readValue(in));
                }
                yield Collections.unmodifiableList(list);
            }
            default -> throw new IOException("unknown value tag " + tag);
        };
    }

    static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static String readString(DataInputStream in) throws IOException {
        return new String(in.readNBytes(in.readInt()), java.nio.charset.StandardCharsets.UTF_8);
    }
}
