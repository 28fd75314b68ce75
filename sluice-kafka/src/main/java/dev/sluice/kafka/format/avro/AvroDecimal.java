package dev.sluice.kafka.format.avro;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The {@code decimal} encoding of numerics (reference §9.2): {@code numeric(p, s)} and {@code numeric(p)}
 * declare precision 39 and the column's scale, {@code numeric} precision 81 and scale 39; the value is
 * rescaled to that scale and written as a fixed-width big-endian two's complement (17 resp. 33 bytes,
 * leading sign bytes kept), so the bytes of equal values are equal.
 */
final class AvroDecimal {
    static final int SCALED_PRECISION = 39;
    static final int UNSCALED_PRECISION = 81;
    static final int UNSCALED_SCALE = 39;
    private static final int SCALED_WIDTH = 17;
    private static final int UNSCALED_WIDTH = 33;

    private final int scale;
    private final int width;

    AvroDecimal(int precision, int scale) {
        this.scale = scale;
        this.width = precision == UNSCALED_PRECISION ? UNSCALED_WIDTH : SCALED_WIDTH;
    }

    /** The unscaled two's complement bytes; wider than the fixed width only for values beyond 39 digits, which stay exact. */
    byte[] bytes(BigDecimal value) {
        BigInteger unscaled = value.setScale(scale, RoundingMode.HALF_UP).unscaledValue();
        byte[] minimal = unscaled.toByteArray();
        if (minimal.length >= width) {
            return minimal;
        }
        byte[] fixed = new byte[width];
        byte sign = unscaled.signum() < 0 ? (byte) 0xff : 0;
        int padding = width - minimal.length;
        for (int i = 0; i < padding; i++) {
            fixed[i] = sign;
        }
        System.arraycopy(minimal, 0, fixed, padding, minimal.length);
        return fixed;
    }
}
