package dev.sluice.kafka.format.avro;

import java.nio.charset.StandardCharsets;
import dev.sluice.kafka.format.GrowableBuffer;

/**
 * A growable buffer with Avro's binary encoding (zig-zag varints, little-endian IEEE floats,
 * length-prefixed bytes and strings). Reused across messages by one encoder; not thread-safe.
 */
final class AvroOutput extends GrowableBuffer {
    AvroOutput() {
        super(256);
    }

    void writeByte(int value) {
        write(value);
    }

    /** The Confluent header: magic byte 0 and the schema id as a 4-byte big-endian integer. */
    void writeHeader(int schemaId) {
        ensure(5);
        bytes[size++] = 0;
        bytes[size++] = (byte) (schemaId >>> 24);
        bytes[size++] = (byte) (schemaId >>> 16);
        bytes[size++] = (byte) (schemaId >>> 8);
        bytes[size++] = (byte) schemaId;
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
            bytes[size++] = (byte) ((encoded & 0x7f) | 0x80);
            encoded >>>= 7;
        }
        bytes[size++] = (byte) encoded;
    }

    void writeFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        ensure(4);
        for (int i = 0; i < 4; i++) {
            bytes[size++] = (byte) (bits >>> (8 * i));
        }
    }

    void writeDouble(double value) {
        writeLittleEndianLong(Double.doubleToRawLongBits(value));
    }

    void writeLittleEndianInt(int value) {
        ensure(4);
        for (int i = 0; i < 4; i++) {
            bytes[size++] = (byte) (value >>> (8 * i));
        }
    }

    void writeLittleEndianLong(long value) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            bytes[size++] = (byte) (value >>> (8 * i));
        }
    }

    /** The low {@code width} bytes of {@code value}, big-endian (the unsigned fixed types). */
    void writeBigEndian(long value, int width) {
        ensure(width);
        for (int i = width - 1; i >= 0; i--) {
            bytes[size++] = (byte) (value >>> (8 * i));
        }
    }

    void writeBytes(byte[] value) {
        writeLong(value.length);
        writeFixed(value);
    }

    void writeFixed(byte[] value) {
        write(value, 0, value.length);
    }

    void writeString(String value) {
        writeBytes(value.getBytes(StandardCharsets.UTF_8));
    }
}
