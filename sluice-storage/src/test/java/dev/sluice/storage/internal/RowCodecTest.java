package dev.sluice.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.value.ByteString;
import dev.sluice.common.value.Interval;
import dev.sluice.common.value.Jsonb;
import dev.sluice.common.value.Row;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RowCodecTest {
    private static Row roundTrip(Row row) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RowCodec.writeRow(new DataOutputStream(bytes), row);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        Row decoded = RowCodec.readRow(in);
        assertThat(in.read()).as("no trailing bytes").isEqualTo(-1);
        return decoded;
    }

    @Test
    void everyScalarTypeRoundTripsWithItsJavaType() throws IOException {
        Row row = Row.of(true, false, (short) -7, Integer.MIN_VALUE, 42, Long.MAX_VALUE, -1L, 1.5f, Float.NaN, -0.0d,
                Double.NEGATIVE_INFINITY, new BigDecimal("-12345678901234567890.000123"), new BigDecimal("1E+5"), "", "héllo 🌍",
                "ab  ", ByteString.wrap(new byte[] {0, -1, 127}), ByteString.EMPTY, LocalDate.of(-4712, 1, 1), LocalDate.MAX,
                LocalTime.of(23, 59, 59, 999_999_000), LocalTime.MIDNIGHT, LocalDateTime.of(1999, 12, 31, 23, 59, 59, 123_456_000),
                LocalDateTime.MIN, Instant.parse("2024-02-29T12:00:00.000001Z"), Instant.ofEpochSecond(-1, 5), new Interval(-14, 3, -1_000_001),
                new Jsonb("{\"a\": [1, null]}"), UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), 65535, 4294967295L,
                new BigInteger("18446744073709551615"), BigInteger.ZERO, null);
        Row decoded = roundTrip(row);
        assertThat(decoded).isEqualTo(row);
        for (int i = 0; i < row.size(); i++) {
            if (row.get(i) != null) {
                assertThat(decoded.get(i)).as("column %d", i).isInstanceOf(row.get(i).getClass());
            }
        }
        assertThat(((BigDecimal) decoded.get(11)).scale()).isEqualTo(6);
        assertThat(((BigDecimal) decoded.get(12)).scale()).isEqualTo(-5);
    }

    @Test
    void nestedListsMapsAndArraysWithNullsRoundTrip() throws IOException {
        SortedMap<String, Object> inner = new TreeMap<>();
        inner.put("a", 1);
        inner.put("b", null);
        inner.put("c", Arrays.asList("x", null));
        SortedMap<String, Object> outer = new TreeMap<>();
        outer.put("inner", Collections.unmodifiableSortedMap(inner));
        outer.put("empty", Collections.emptySortedMap());
        List<Object> matrix = List.of(Arrays.asList(1L, null, 3L), List.of(), Arrays.asList((Object) null));
        Row row = Row.of(Collections.unmodifiableSortedMap(outer), matrix, Arrays.asList(null, null), List.of(List.of(List.of("deep"))),
                List.of(new BigDecimal("1.10"), new BigDecimal("0")), null);
        Row decoded = roundTrip(row);
        assertThat(decoded).isEqualTo(row);
        assertThat(decoded.get(0)).isInstanceOf(SortedMap.class);
        assertThat(decoded.get(1)).isInstanceOf(List.class);
    }

    @Test
    void emptyRowAndAllNullRowRoundTrip() throws IOException {
        assertThat(roundTrip(Row.EMPTY)).isEqualTo(Row.EMPTY);
        Row nulls = Row.of(null, null, null);
        assertThat(roundTrip(nulls)).isEqualTo(nulls);
    }

    @Test
    void variableLengthIntegersCoverTheWholeRange() throws IOException {
        long[] values = {0, 1, -1, 63, -64, 64, 127, 128, 300, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE};
        for (long value : values) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            RowCodec.writeSignedVarLong(new DataOutputStream(bytes), value);
            assertThat(RowCodec.readSignedVarLong(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())))).isEqualTo(value);
        }
    }

    @Test
    void smallIntegersAreCompact() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RowCodec.writeRow(new DataOutputStream(bytes), Row.of(1, 2L, "a"));
        assertThat(bytes.size()).isEqualTo(1 + 2 + 2 + 3);
    }

    @Test
    void unsupportedJavaTypeIsRejected() {
        assertThatThrownBy(() -> RowCodec.writeRow(new DataOutputStream(new ByteArrayOutputStream()), Row.of(new Object())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
    }

    @Test
    void unknownTagFailsAsCorruption() {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(new byte[] {1, (byte) 99}));
        assertThatThrownBy(() -> RowCodec.readRow(in)).isInstanceOf(IOException.class).hasMessageContaining("99");
    }
}
