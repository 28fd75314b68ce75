package dev.sluice.kafka.format.avro;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable buffer with Avro's binary encoding (zig-zag varints, little-endian IEEE floats,
 * length-prefixed bytes and strings). Reused across messages by one encoder; not thread-safe.
 */
final class AvroOutput {
    private byte[] buffer = new byte[256];
    private int size;

    void reset() {
        size = 0;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private void ensure(int extra) {
        if (size + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
        }
    }

    void writeByte(int value) {
        ensure(1);
        buffer[size++] = (byte) value;
    }

    /** The Confluent header: magic byte 0 and the schema id as a 4-byte big-endian integer. */
    void writeHeader(int schemaId) {
        ensure(5);
        buffer[size++] = 0;
        buffer[size++] = (byte) (schemaId >>> 24);
        buffer[size++] = (byte) (schemaId >>> 16);
        buffer[size++] = (byte) (schemaId >>> 8);
        buffer[size++] = (byte) schemaId;
    }

    void writeBoolean(boolean value) {
        writeByte(value ? 1 : 0);
    }

    void writeInt(int value) {
        writeLong(value);
    }

    /** A zig-zag variable-length long (also used for ints, lengths, counts and union indexes). */
    void writeLong(long value) {
        ensure(10);
        long encoded = (value << 1) ^ (value >> 63);
        while ((encoded & ~0x7fL) != 0) {
            buffer[size++] = (byte) ((encoded & 0x7f) | 0x80);
            encoded >>>= 7;
        }
        buffer[size++] = (byte) encoded;
    }

    void writeFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        ensure(4);
        for (int i = 0; i < 4; i++) {
            buffer[size++] = (byte) (bits >>> (8 * i));
        }
    }

    void writeDouble(double value) {
        writeLittleEndianLong(Double.doubleToRawLongBits(value));
    }

    void writeLittleEndianInt(int value) {
        ensure(4);
        for (int i = 0; i < 4; i++) {
            buffer[size++] = (byte) (value >>> (8 * i));
        }
    }

    void writeLittleEndianLong(long value) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buffer[size++] = (byte) (value >>> (8 * i));
        }
    }

    /** The low {@code width} bytes of {@code value}, big-endian (the unsigned fixed types). */
    void writeBigEndian(long value, int width) {
        ensure(width);
        for (int i = width - 1; i >= 0; i--) {
            buffer[size++] = (byte) (value >>> (8 * i));
        }
    }

    void writeBytes(byte[] bytes) {
        writeLong(bytes.length);
        writeFixed(bytes);
    }

    void writeFixed(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
    }

    void writeString(String value) {
        writeBytes(value.getBytes(StandardCharsets.UTF_8));
    }
}
