package dev.sluice.common.hash;

import java.util.zip.CRC32;

/** Standard CRC-32 (IEEE, zlib) as an unsigned 32-bit value. */
public final class Crc32 {
    private Crc32() {
    }

    public static long hash(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }
}
