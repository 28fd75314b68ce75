package dev.sluice.kafka.format;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte array that an encoder empties and refills for message after message without
 * reallocating: the JSON encoders' Jackson output and the base of the Avro binary encoder. Not
 * thread-safe: one per encoding thread.
 */
public class GrowableBuffer extends OutputStream {
    /** The bytes written since the last {@link #reset()} are {@code bytes[0, size)}. */
    protected byte[] bytes;
    protected int size;

    public GrowableBuffer(int initialCapacity) {
        this.bytes = new byte[initialCapacity];
    }

    /** Empties the buffer, keeping its capacity. */
    public final void reset() {
        size = 0;
    }

    /** A copy of what was written since the last {@link #reset()}. */
    public final byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /** Makes room for {@code extra} more bytes at {@code bytes[size]}. */
    protected final void ensure(int extra) {
        if (size + extra > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + extra));
        }
    }

    @Override
    public final void write(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public final void write(byte[] source, int offset, int length) {
        ensure(length);
        System.arraycopy(source, offset, bytes, size, length);
        size += length;
    }
}
