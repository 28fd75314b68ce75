package dev.sluice.common.value;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.HexFormat;

/** An immutable byte string: the Java value of {@code bytea}. */
public final class ByteString implements Comparable<ByteString> {
    public static final ByteString EMPTY = new ByteString(new byte[0]);

    private final byte[] bytes;

    private ByteString(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Copies {@code bytes}. */
    public static ByteString copyOf(byte[] bytes) {
        return new ByteString(requireNonNull(bytes, "bytes is null").clone());
    }

    /** Takes ownership of {@code bytes}: the caller must not change the array afterwards. */
    public static ByteString wrap(byte[] bytes) {
        return new ByteString(requireNonNull(bytes, "bytes is null"));
    }

    public int length() {
        return bytes.length;
    }

    public byte byteAt(int index) {
        return bytes[index];
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** PostgreSQL's hex text form: {@code \x0102ff}. */
    public String toHexText() {
        return "\\x" + HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ByteString that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(ByteString other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public String toString() {
        return toHexText();
    }
}
