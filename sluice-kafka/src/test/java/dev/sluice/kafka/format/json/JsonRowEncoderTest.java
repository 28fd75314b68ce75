package dev.sluice.kafka.format.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.type.Column;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.value.ByteString;
import dev.sluice.common.value.Interval;
import dev.sluice.common.value.Row;
import dev.sluice.common.value.codec.JsonbText;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Byte-exact JSON of reference §9.1 for every type Sluice has. */
class JsonRowEncoderTest {
    private static String json(SqlType type, Object value) {
        return new String(new JsonRowEncoder(List.of(new Column("c", type, true))).encode(Row.of(Arrays.asList(value))), StandardCharsets.UTF_8);
    }

    @Test
    void membersFollowColumnOrderCompactly() {
        JsonRowEncoder encoder = new JsonRowEncoder(List.of(new Column("b", SqlType.INTEGER, false), new Column("a", SqlType.TEXT, true)));
        assertThat(new String(encoder.encode(Row.of(2, null)), StandardCharsets.UTF_8)).isEqualTo("{\"b\":2,\"a\":null}");
    }

    @Test
    void integersAndBooleansAreNumbersAndLiterals() {
        assertThat(json(SqlType.BOOLEAN, true)).isEqualTo("{\"c\":true}");
        assertThat(json(SqlType.SMALLINT, (short) -3)).isEqualTo("{\"c\":-3}");
        assertThat(json(SqlType.INTEGER, Integer.MIN_VALUE)).isEqualTo("{\"c\":-2147483648}");
        assertThat(json(SqlType.BIGINT, Long.MAX_VALUE)).isEqualTo("{\"c\":9223372036854775807}");
        assertThat(json(SqlType.UINT2, 65535)).isEqualTo("{\"c\":65535}");
        assertThat(json(SqlType.UINT4, 4294967295L)).isEqualTo("{\"c\":4294967295}");
        assertThat(json(SqlType.UINT8, new BigInteger("18446744073709551615"))).isEqualTo("{\"c\":18446744073709551615}");
    }

    @Test
    void floatingPointUsesShortestRoundTripTextAsSerdeJson() {
        assertThat(json(SqlType.DOUBLE, 1.0)).isEqualTo("{\"c\":1.0}");
        assertThat(json(SqlType.DOUBLE, -0.0)).isEqualTo("{\"c\":-0.0}");
        assertThat(json(SqlType.DOUBLE, 0.1)).isEqualTo("{\"c\":0.1}");
        assertThat(json(SqlType.DOUBLE, 123456.789)).isEqualTo("{\"c\":123456.789}");
        assertThat(json(SqlType.DOUBLE, 1e7)).isEqualTo("{\"c\":10000000.0}");
        assertThat(json(SqlType.DOUBLE, 1e15)).isEqualTo("{\"c\":1000000000000000.0}");
        assertThat(json(SqlType.DOUBLE, 1e16)).isEqualTo("{\"c\":1e16}");
        assertThat(json(SqlType.DOUBLE, 1.5e300)).isEqualTo("{\"c\":1.5e300}");
        assertThat(json(SqlType.DOUBLE, 0.00001)).isEqualTo("{\"c\":0.00001}");
        assertThat(json(SqlType.DOUBLE, 1.5e-7)).isEqualTo("{\"c\":1.5e-7}");
        assertThat(json(SqlType.DOUBLE, -2.5e-10)).isEqualTo("{\"c\":-2.5e-10}");
        assertThat(json(SqlType.DOUBLE, 2e-3)).isEqualTo("{\"c\":0.002}");
        assertThat(json(SqlType.REAL, 1.5f)).isEqualTo("{\"c\":1.5}");
        // real is widened to double before printing, as the reference does.
        assertThat(json(SqlType.REAL, 0.1f)).isEqualTo("{\"c\":0.10000000149011612}");
    }

    @Test
    void nanAndInfinityBecomeNull() {
        assertThat(json(SqlType.DOUBLE, Double.NaN)).isEqualTo("{\"c\":null}");
        assertThat(json(SqlType.DOUBLE, Double.POSITIVE_INFINITY)).isEqualTo("{\"c\":null}");
        assertThat(json(SqlType.REAL, Float.NEGATIVE_INFINITY)).isEqualTo("{\"c\":null}");
    }

    @Test
    void numericIsAPlainDecimalString() {
        assertThat(json(SqlType.numeric(8, 4), new BigDecimal("1234.5678"))).isEqualTo("{\"c\":\"1234.5678\"}");
        assertThat(json(SqlType.numeric(6, 2), new BigDecimal("1.50"))).isEqualTo("{\"c\":\"1.50\"}");
        assertThat(json(SqlType.NUMERIC, new BigDecimal("1E+3"))).isEqualTo("{\"c\":\"1000\"}");
        assertThat(json(SqlType.NUMERIC, new BigDecimal("-1E-7"))).isEqualTo("{\"c\":\"-0.0000001\"}");
    }

    @Test
    void datesTimesAndTimestampsAsTheReferencePrintsThem() {
        assertThat(json(SqlType.DATE, LocalDate.of(2011, 11, 11))).isEqualTo("{\"c\":\"2011-11-11\"}");
        assertThat(json(SqlType.TIME, LocalTime.of(11, 11, 11))).isEqualTo("{\"c\":\"11:11:11\"}");
        assertThat(json(SqlType.TIME, LocalTime.of(11, 11, 11, 123_000_000))).isEqualTo("{\"c\":\"11:11:11.123\"}");
        assertThat(json(SqlType.TIME, LocalTime.of(11, 11, 11, 123_456_000))).isEqualTo("{\"c\":\"11:11:11.123456\"}");
        assertThat(json(SqlType.TIME, LocalTime.of(11, 11, 11, 100_000))).isEqualTo("{\"c\":\"11:11:11.000100\"}");
        assertThat(json(SqlType.TIMESTAMP, LocalDateTime.of(2011, 11, 11, 11, 11, 11, 123_450_000))).isEqualTo("{\"c\":\"1321009871123.450\"}");
        assertThat(json(SqlType.TIMESTAMPTZ, Instant.parse("2011-11-11T11:11:11.123450Z"))).isEqualTo("{\"c\":\"1321009871123.450\"}");
        assertThat(json(SqlType.TIMESTAMP, LocalDateTime.of(1970, 1, 1, 0, 0))).isEqualTo("{\"c\":\"0.000\"}");
        assertThat(json(SqlType.TIMESTAMPTZ, Instant.parse("1969-12-31T23:59:59.999999Z"))).isEqualTo("{\"c\":\"-1.999\"}");
    }

    @Test
    void intervalsUsePostgresText() {
        assertThat(json(SqlType.INTERVAL, new Interval(12, 0, 0))).isEqualTo("{\"c\":\"1 year\"}");
        assertThat(json(SqlType.INTERVAL, new Interval(0, 1, 7_384_000_000L))).isEqualTo("{\"c\":\"1 day 02:03:04\"}");
        assertThat(json(SqlType.INTERVAL, Interval.ZERO)).isEqualTo("{\"c\":\"00:00:00\"}");
    }

    @Test
    void byteaIsAnArrayOfByteValues() {
        assertThat(json(SqlType.BYTEA, ByteString.copyOf(new byte[] {(byte) 0xd1, (byte) 0x82, 0, 127}))).isEqualTo("{\"c\":[209,130,0,127]}");
        assertThat(json(SqlType.BYTEA, ByteString.EMPTY)).isEqualTo("{\"c\":[]}");
    }

    @Test
    void textKindsAreStringsWithCharBlankPadded() {
        assertThat(json(SqlType.TEXT, "hello")).isEqualTo("{\"c\":\"hello\"}");
        assertThat(json(SqlType.varchar(10), "v")).isEqualTo("{\"c\":\"v\"}");
        // char(n) values are stored blank-padded; the encoder keeps the padding.
        assertThat(json(SqlType.character(4), "ab  ")).isEqualTo("{\"c\":\"ab  \"}");
    }

    @Test
    void stringsEscapeAsSerdeJson() {
        assertThat(json(SqlType.TEXT, "q\"b\\n\nt\tr\rb\bf\f")).isEqualTo("{\"c\":\"q\\\"b\\\\n\\nt\\tr\\rb\\bf\\f\"}");
        assertThat(json(SqlType.TEXT, "\u0000\u001f\u007f")).isEqualTo("{\"c\":\"\\u0000\\u001f\u007f\"}");
        assertThat(json(SqlType.TEXT, "/<>&'")).isEqualTo("{\"c\":\"/<>&'\"}");
        String nonAscii = "é€😀";
        byte[] encoded = new JsonRowEncoder(List.of(new Column("c", SqlType.TEXT, true))).encode(Row.of(nonAscii));
        assertThat(encoded).isEqualTo(("{\"c\":\"" + nonAscii + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void jsonbIsEmbeddedWithKeysSortedByBytes() {
        assertThat(json(SqlType.JSONB, JsonbText.canonicalize("{\"b\": 1, \"aa\": [true, null, \"x\"], \"a\": {\"z\": 1.50, \"y\": -2}}")))
                .isEqualTo("{\"c\":{\"a\":{\"y\":-2,\"z\":1.50},\"aa\":[true,null,\"x\"],\"b\":1}}");
        assertThat(json(SqlType.JSONB, JsonbText.canonicalize("0.0000001"))).isEqualTo("{\"c\":0.0000001}");
        assertThat(json(SqlType.JSONB, JsonbText.canonicalize("\"s\""))).isEqualTo("{\"c\":\"s\"}");
    }

    @Test
    void uuidIsLowerCaseHyphenated() {
        assertThat(json(SqlType.UUID, UUID.fromString("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"))).isEqualTo("{\"c\":\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"}");
    }

    @Test
    void arraysListsAndMapsNest() {
        SqlType intArray = SqlType.array(SqlType.INTEGER);
        assertThat(json(intArray, List.of(List.of(1, 2), List.of(3, 4)))).isEqualTo("{\"c\":[[1,2],[3,4]]}");
        assertThat(json(intArray, List.of())).isEqualTo("{\"c\":[]}");
        assertThat(json(intArray, Arrays.asList(1, null))).isEqualTo("{\"c\":[1,null]}");
        assertThat(json(SqlType.list(SqlType.list(SqlType.TEXT)), List.of(List.of("a"), List.of()))).isEqualTo("{\"c\":[[\"a\"],[]]}");
        TreeMap<String, Object> map = new TreeMap<>();
        map.put("b", null);
        map.put("a", new BigDecimal("1.5"));
        assertThat(json(SqlType.map(SqlType.NUMERIC), map)).isEqualTo("{\"c\":{\"a\":\"1.5\",\"b\":null}}");
    }

    @Test
    void repeatedColumnNamesGetTheSmallestFreeSuffix() {
        assertThat(JsonRowEncoder.deduplicate(List.of("a", "a", "a", "b1", "b1", "a1"))).containsExactly("a", "a1", "a2", "b1", "b1_1", "a1_1");
    }

    @Test
    void debeziumValueNestsBeforeAndAfter() {
        JsonRowEncoder encoder = new JsonRowEncoder(List.of(new Column("k", SqlType.INTEGER, false), new Column("v", SqlType.TEXT, true)));
        assertThat(new String(encoder.encodeDebezium(Optional.empty(), Optional.of(Row.of(1, "a"))), StandardCharsets.UTF_8))
                .isEqualTo("{\"before\":null,\"after\":{\"k\":1,\"v\":\"a\"}}");
        assertThat(new String(encoder.encodeDebezium(Optional.of(Row.of(1, "a")), Optional.of(Row.of(1, "b"))), StandardCharsets.UTF_8))
                .isEqualTo("{\"before\":{\"k\":1,\"v\":\"a\"},\"after\":{\"k\":1,\"v\":\"b\"}}");
        assertThat(new String(encoder.encodeDebezium(Optional.of(Row.of(1, "b")), Optional.empty()), StandardCharsets.UTF_8))
                .isEqualTo("{\"before\":{\"k\":1,\"v\":\"b\"},\"after\":null}");
    }
}
