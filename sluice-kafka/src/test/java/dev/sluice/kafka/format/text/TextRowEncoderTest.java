package dev.sluice.kafka.format.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.type.SqlType;
import dev.sluice.common.value.ByteString;
import dev.sluice.common.value.Row;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** TEXT and BYTES of reference §9.4: PostgreSQL text and binary forms of the one column; NULL is empty bytes. */
class TextRowEncoderTest {
    private static byte[] text(SqlType type, Object value) {
        return new TextRowEncoder(type, false).encode(Row.of(Arrays.asList(value)));
    }

    private static byte[] bytes(SqlType type, Object value) {
        return new TextRowEncoder(type, true).encode(Row.of(Arrays.asList(value)));
    }

    @Test
    void textIsThePostgresTextOutput() {
        assertThat(text(SqlType.BOOLEAN, true)).isEqualTo("t".getBytes(StandardCharsets.UTF_8));
        assertThat(text(SqlType.TEXT, "apple")).isEqualTo("apple".getBytes(StandardCharsets.UTF_8));
        assertThat(text(SqlType.INTEGER, -42)).isEqualTo("-42".getBytes(StandardCharsets.UTF_8));
        assertThat(text(SqlType.TIMESTAMP, LocalDateTime.of(2011, 11, 11, 11, 11, 11, 123_450_000)))
                .isEqualTo("2011-11-11 11:11:11.12345".getBytes(StandardCharsets.UTF_8));
        assertThat(text(SqlType.BYTEA, ByteString.copyOf(new byte[] {1, (byte) 0xff}))).isEqualTo("\\x01ff".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void bytesIsThePostgresBinaryFormat() {
        assertThat(bytes(SqlType.INTEGER, 1)).containsExactly(0, 0, 0, 1);
        assertThat(bytes(SqlType.INTEGER, -2)).containsExactly(0xff, 0xff, 0xff, 0xfe);
        assertThat(bytes(SqlType.TEXT, "é")).isEqualTo("é".getBytes(StandardCharsets.UTF_8));
        assertThat(bytes(SqlType.BYTEA, ByteString.copyOf(new byte[] {0, 1, (byte) 0x80}))).containsExactly(0, 1, 0x80);
        // PostgreSQL binary numeric: ndigits, weight, sign, dscale, then base-10000 digits; 1234.5678 → 1234 | 5678.
        assertThat(bytes(SqlType.numeric(8, 4), new BigDecimal("1234.5678")))
                .containsExactly(0, 2, 0, 0, 0, 0, 0, 4, 0x04, 0xd2, 0x16, 0x2e);
        assertThat(bytes(SqlType.NUMERIC, new BigDecimal("-1.5"))).containsExactly(0, 2, 0, 0, 0x40, 0, 0, 1, 0, 1, 0x13, 0x88);
    }

    @Test
    void nullIsAnEmptyByteStringNotAKafkaNull() {
        assertThat(text(SqlType.TEXT, null)).isEmpty();
        assertThat(bytes(SqlType.INTEGER, null)).isEmpty();
    }
}
