package dev.sluice.common.hash;

/**
 * SeaHash (crate {@code seahash} 4.1, unseeded): the hash Sluice partitions keys with. The result
 * is an unsigned 64-bit value held in a {@code long}; use {@link Long#remainderUnsigned}.
 */
public final class SeaHash {
    private static final long PRIME = 0x6eed0e9da4d94a4fL;

    private SeaHash() {
    }

    public static long hash(byte[] bytes) {
        return hash(bytes, 0, bytes.length);
    }

    /** The hash of {@code length} bytes of {@code bytes} from {@code start} (Avro keys skip their 5-byte header). */
    public static long hash(byte[] bytes, int start, int length) {
        java.util.Objects.checkFromIndexSize(start, length, bytes.length);
        long a = 0x16f11fe89b0d677cL;
        long b = 0xb480a793d8e6c86cL;
        long c = 0x6fe2e5aaf078ebc9L;
        long d = 0x14f994a4c5259381L;
        for (int offset = 0; offset < length; offset += 8) {
            long value = 0;
            for (int i = 0; i < 8 && offset + i < length; i++) {
                value |= (bytes[start + offset + i] & 0xffL) << (8 * i);
            }
            long next = diffuse(a ^ value);
            a = b;
            b = c;
            c = d;
            d = next;
        }
        return diffuse(a ^ b ^ c ^ d ^ length);
    }

    private static long diffuse(long value) {
        long x = value * PRIME;
        x ^= (x >>> 32) >>> (x >>> 60);
        return x * PRIME;
    }
}
