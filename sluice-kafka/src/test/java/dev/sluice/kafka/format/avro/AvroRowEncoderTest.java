package dev.sluice.kafka.format.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.hash.SeaHash;
import dev.sluice.common.type.Column;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.type.TypeKind;
import dev.sluice.common.value.ByteString;
import dev.sluice.common.value.Interval;
import dev.sluice.common.value.Row;
import dev.sluice.common.value.codec.JsonbText;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;

/** The encoder's bytes decoded by Apache Avro's own reader, with Avro's logical-type conversions. */
class AvroRowEncoderTest {
    private static final GenericData MODEL = new GenericData();

    static {
        MODEL.addLogicalTypeConversion(new Conversions.DecimalConversion());
        MODEL.addLogicalTypeConversion(new Conversions.UUIDConversion());
        MODEL.addLogicalTypeConversion(new TimeConversions.DateConversion());
        MODEL.addLogicalTypeConversion(new TimeConversions.TimeMicrosConversion());
        MODEL.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
        MODEL.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    }

    /** Decodes one framed message: checks the header, reads exactly the whole datum. */
    static GenericRecord decode(String schemaText, int schemaId, byte[] message) {
        assertThat(message[0]).isZero();
        assertThat(ByteBuffer.wrap(message, 1, 4).getInt()).isEqualTo(schemaId);
        Schema schema = new Schema.Parser().parse(schemaText);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(message, 5, message.length - 5, null);
        try {
            GenericRecord record = new GenericDatumReader<GenericRecord>(schema, schema, MODEL).read(null, decoder);
            assertThat(decoder.isEnd()).as("the whole datum was read").isTrue();
            return record;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Avro's JSON encoding of a record (union branches named), as the reference renders Avro messages. */
    static String avroJson(GenericRecord record) {
        try {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            org.apache.avro.io.JsonEncoder encoder = org.apache.avro.io.EncoderFactory.get().jsonEncoder(record.getSchema(), bytes);
            new org.apache.avro.generic.GenericDatumWriter<GenericRecord>(record.getSchema(), MODEL).write(record, encoder);
            encoder.flush();
            return bytes.toString(StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Object> values(Object... values) {
        return new ArrayList<>(Arrays.asList(values));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyTypeRoundTripsThroughApacheAvro() {
        List<Column> columns = List.of(
                new Column("b", SqlType.BOOLEAN, false),
                new Column("i2", SqlType.SMALLINT, false),
                new Column("i4", SqlType.INTEGER, false),
                new Column("i8", SqlType.BIGINT, false),
                new Column("f4", SqlType.REAL, false),
                new Column("f8", SqlType.DOUBLE, false),
                new Column("n_scaled", SqlType.numeric(10, 2), false),
                new Column("n", SqlType.NUMERIC, false),
                new Column("t", SqlType.TEXT, false),
                new Column("c", SqlType.character(4), false),
                new Column("by", SqlType.BYTEA, false),
                new Column("d", SqlType.DATE, false),
                new Column("tm", SqlType.TIME, false),
                new Column("ts", SqlType.TIMESTAMP, false),
                new Column("ts3", SqlType.withPrecision(TypeKind.TIMESTAMP, 3), false),
                new Column("tz", SqlType.TIMESTAMPTZ, false),
                new Column("iv", SqlType.INTERVAL, false),
                new Column("j", SqlType.JSONB, false),
                new Column("u", SqlType.UUID, false),
                new Column("u2", SqlType.UINT2, false),
                new Column("u4", SqlType.UINT4, false),
                new Column("u8", SqlType.UINT8, false),
                new Column("l", SqlType.list(SqlType.INTEGER), false),
                new Column("a", SqlType.array(SqlType.INTEGER), false),
                new Column("m", SqlType.map(SqlType.TEXT), false));
        UUID uuid = UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        TreeMap<String, Object> map = new TreeMap<>();
        map.put("a", "x");
        map.put("b", null);
        Row row = Row.of(true, (short) -7, 123_456, -9_000_000_000L, 1.5f, -2.25, new BigDecimal("-1234.50"),
                new BigDecimal("3.14159"), "héllo", "ab  ", ByteString.copyOf(new byte[] {1, 2, (byte) 0xff}), LocalDate.of(2000, 1, 1),
                LocalTime.of(1, 2, 3, 456_000), LocalDateTime.of(2000, 1, 1, 10, 10, 10, 111_000_000), LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_000_000),
                Instant.parse("2000-01-01T08:10:10.111222Z"), new Interval(1, 1, 1), JsonbText.canonicalize("{\"b\": [1, 2], \"a\": null}"), uuid,
                65_535, 4_294_967_295L, new BigInteger("18446744073709551615"), values(1, null, 3), values(values(1, 2), values(3, null)), map);
        String schema = AvroSchemaGenerator.valueSchema(columns, AvroSchemaOptions.defaults(), false);
        GenericRecord record = decode(schema, 42, new AvroRowEncoder(42, schema, columns).encode(row));

        assertThat(record.get("b")).isEqualTo(true);
        assertThat(record.get("i2")).isEqualTo(-7);
        assertThat(record.get("i4")).isEqualTo(123_456);
        assertThat(record.get("i8")).isEqualTo(-9_000_000_000L);
        assertThat(record.get("f4")).isEqualTo(1.5f);
        assertThat(record.get("f8")).isEqualTo(-2.25);
        assertThat(record.get("n_scaled")).isEqualTo(new BigDecimal("-1234.50"));
        assertThat(record.get("n")).isEqualTo(new BigDecimal("3.141590000000000000000000000000000000000"));
        assertThat(record.get("t").toString()).isEqualTo("héllo");
        assertThat(record.get("c").toString()).isEqualTo("ab  ");
        assertThat(((ByteBuffer) record.get("by")).array()).containsExactly(1, 2, 0xff);
        assertThat(record.get("d")).isEqualTo(LocalDate.of(2000, 1, 1));
        assertThat(record.get("tm")).isEqualTo(LocalTime.of(1, 2, 3, 456_000));
        assertThat(record.get("ts")).isEqualTo(Instant.parse("2000-01-01T10:10:10.111Z"));
        assertThat(record.get("ts3")).isEqualTo(Instant.parse("1969-12-31T23:59:59.999Z"));
        assertThat(record.get("tz")).isEqualTo(Instant.parse("2000-01-01T08:10:10.111222Z"));
        assertThat(((GenericFixed) record.get("iv")).bytes()).containsExactly(1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0);
        assertThat(record.get("j").toString()).isEqualTo("{\"a\":null,\"b\":[1,2]}");
        assertThat(record.get("u")).isEqualTo(uuid);
        assertThat(((GenericFixed) record.get("u2")).bytes()).containsExactly(0xff, 0xff);
        assertThat(((GenericFixed) record.get("u4")).bytes()).containsExactly(0xff, 0xff, 0xff, 0xff);
        assertThat(((GenericFixed) record.get("u8")).bytes()).containsExactly(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
        assertThat((List<Object>) record.get("l")).containsExactly(1, null, 3);
        assertThat((List<Object>) record.get("a")).as("a 2-D array is flattened").containsExactly(1, 2, 3, null);
        Map<?, ?> decodedMap = (Map<?, ?>) record.get("m");
        assertThat(decodedMap).hasSize(2);
        assertThat(decodedMap.get(new org.apache.avro.util.Utf8("a")).toString()).isEqualTo("x");
        assertThat(decodedMap.containsKey(new org.apache.avro.util.Utf8("b"))).isTrue();
        assertThat(decodedMap.get(new org.apache.avro.util.Utf8("b"))).isNull();
    }

    @Test
    void bytesEqualApacheAvrosOwnWriterForEveryTypeButDecimals() throws java.io.IOException {
        // Decimals differ on purpose: the reference writes them fixed-width, Apache Avro minimal-width (both decode alike).
        List<Column> columns = List.of(new Column("b", SqlType.BOOLEAN, false), new Column("i", SqlType.INTEGER, true), new Column("l", SqlType.BIGINT, false),
                new Column("f4", SqlType.REAL, false), new Column("f8", SqlType.DOUBLE, true), new Column("t", SqlType.TEXT, true),
                new Column("by", SqlType.BYTEA, false), new Column("d", SqlType.DATE, false), new Column("tm", SqlType.TIME, false),
                new Column("ts", SqlType.TIMESTAMPTZ, false), new Column("ts3", SqlType.withPrecision(TypeKind.TIMESTAMPTZ, 3), true),
                new Column("u", SqlType.UUID, false), new Column("iv", SqlType.INTERVAL, false), new Column("u4", SqlType.UINT4, false),
                new Column("l2", SqlType.list(SqlType.BIGINT), false), new Column("m", SqlType.map(SqlType.TEXT), false));
        String schemaText = AvroSchemaGenerator.valueSchema(columns, AvroSchemaOptions.defaults(), false);
        Schema schema = new Schema.Parser().parse(schemaText);
        UUID uuid = UUID.randomUUID();
        TreeMap<String, Object> map = new TreeMap<>();
        map.put("k", "v");
        map.put("n", null);
        Instant instant = Instant.parse("1960-06-01T12:34:56.789012Z");
        Row row = Row.of(false, null, Long.MIN_VALUE, Float.MIN_VALUE, null, "ü€𝄞", ByteString.copyOf(new byte[300]), LocalDate.of(1900, 2, 28),
                LocalTime.MAX.withNano(999_999_000), instant, Instant.parse("2100-01-01T00:00:00.123Z"), uuid, new Interval(-3, 40, -5_000_000_000L),
                123_456_789L, values(1L, null, Long.MAX_VALUE), map);

        GenericData.Record record = new GenericData.Record(schema);
        record.put("b", false);
        record.put("i", null);
        record.put("l", Long.MIN_VALUE);
        record.put("f4", Float.MIN_VALUE);
        record.put("f8", null);
        record.put("t", "ü€𝄞");
        record.put("by", ByteBuffer.wrap(new byte[300]));
        record.put("d", LocalDate.of(1900, 2, 28));
        record.put("tm", LocalTime.MAX.withNano(999_999_000));
        record.put("ts", instant);
        record.put("ts3", Instant.parse("2100-01-01T00:00:00.123Z"));
        record.put("u", uuid);
        ByteBuffer interval = ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(-3).putInt(40).putLong(-5_000_000_000L);
        record.put("iv", new GenericData.Fixed(schema.getField("iv").schema(), interval.array()));
        record.put("u4", new GenericData.Fixed(schema.getField("u4").schema(), new byte[] {0x07, 0x5b, (byte) 0xcd, 0x15}));
        record.put("l2", values(1L, null, Long.MAX_VALUE));
        Map<String, Object> avroMap = new java.util.LinkedHashMap<>(map);
        record.put("m", avroMap);
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        org.apache.avro.io.BinaryEncoder encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(expected, null);
        new org.apache.avro.generic.GenericDatumWriter<GenericRecord>(schema, MODEL).write(record, encoder);
        encoder.flush();

        byte[] ours = new AvroRowEncoder(5, schemaText, columns).encode(row);
        assertThat(Arrays.copyOfRange(ours, 5, ours.length)).isEqualTo(expected.toByteArray());
    }

    @Test
    void intervalsMatchTheReferenceBytes() {
        List<Column> columns = List.of(new Column("interval", SqlType.INTERVAL, false));
        String schema = AvroSchemaGenerator.valueSchema(columns, AvroSchemaOptions.defaults(), false);
        AvroRowEncoder encoder = new AvroRowEncoder(1, schema, columns);
        assertThat(Arrays.copyOfRange(encoder.encode(Row.of(new Interval(-1, -1, -1))), 5, 21)).containsOnly(0xff);
        assertThat(Arrays.copyOfRange(encoder.encode(Row.of(new Interval(178_000_000 * 12, 0, 0))), 5, 21))
                .containsExactly(0, 198, 80, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void decimalsAreFixedWidthTwosComplement() {
        List<Column> columns = List.of(new Column("scaled", SqlType.numeric(10, 2), false), new Column("free", SqlType.NUMERIC, false));
        String schema = AvroSchemaGenerator.valueSchema(columns, AvroSchemaOptions.defaults(), false);
        byte[] message = new AvroRowEncoder(1, schema, columns).encode(Row.of(new BigDecimal("-1.00"), new BigDecimal("1")));
        // length 17 (zig-zag 34), 16 sign bytes then 0x9c (-100); then length 33 (zig-zag 66) of 10^39.
        assertThat(message[5]).isEqualTo((byte) 34);
        byte[] scaled = Arrays.copyOfRange(message, 6, 23);
        assertThat(Arrays.copyOfRange(scaled, 0, 16)).containsOnly(0xff);
        assertThat(scaled[16]).isEqualTo((byte) 0x9c);
        assertThat(message[23]).isEqualTo((byte) 66);
        assertThat(new BigInteger(Arrays.copyOfRange(message, 24, 57))).isEqualTo(BigInteger.TEN.pow(39));
        assertThat(message).hasSize(57);
    }

    @Test
    void nullsAreUnionBranchZeroAndValuesBranchOne() {
        List<Column> columns = List.of(new Column("a", SqlType.INTEGER, true), new Column("b", SqlType.TEXT, true));
        String schema = AvroSchemaGenerator.valueSchema(columns, AvroSchemaOptions.defaults(), false);
        byte[] message = new AvroRowEncoder(7, schema, columns).encode(Row.of(null, "x"));
        assertThat(Arrays.copyOfRange(message, 5, message.length)).containsExactly(0x00, 0x02, 0x02, 'x');
        GenericRecord record = decode(schema, 7, message);
        assertThat(record.get("a")).isNull();
        assertThat(record.get("b").toString()).isEqualTo("x");
    }

    @Test
    void nullableTextKeyMatchesTheReferenceVectorAndPartition() {
        List<Column> key = List.of(new Column("key", SqlType.TEXT, true));
        String schema = AvroSchemaGenerator.keySchema(key, AvroSchemaOptions.defaults());
        byte[] first = new AvroRowEncoder(1, schema, key).encode(Row.of("v1"));
        byte[] second = new AvroRowEncoder(99, schema, key).encode(Row.of("v1"));
        assertThat(HexFormat.of().formatHex(first)).isEqualTo("000000000102047631");
        long hash = SeaHash.hash(second, AvroRowEncoder.HEADER_LENGTH, second.length - AvroRowEncoder.HEADER_LENGTH);
        assertThat(Long.remainderUnsigned(hash, 100)).isEqualTo(75);
        assertThat(Long.remainderUnsigned(hash, 200)).isEqualTo(175);
    }

    @Test
    void emptyCollectionsAreASingleZeroCount() {
        List<Column> columns = List.of(new Column("l", SqlType.list(SqlType.INTEGER), false), new Column("m", SqlType.map(SqlType.INTEGER), false));
        String schema = AvroSchemaGenerator.valueSchema(columns, AvroSchemaOptions.defaults(), false);
        byte[] message = new AvroRowEncoder(1, schema, columns).encode(Row.of(List.of(), new TreeMap<String, Object>()));
        assertThat(Arrays.copyOfRange(message, 5, message.length)).containsExactly(0, 0);
    }

    @Test
    void debeziumEnvelopeHasBeforeAndAfterAsRowUnions() {
        List<Column> columns = List.of(new Column("k", SqlType.INTEGER, false), new Column("v", SqlType.TEXT, true));
        String schema = AvroSchemaGenerator.valueSchema(columns, AvroSchemaOptions.defaults(), true);
        AvroDebeziumEncoder encoder = new AvroDebeziumEncoder(3, schema, columns);
        GenericRecord insert = decode(schema, 3, encoder.encode(Optional.empty(), Optional.of(Row.of(1, "a"))));
        assertThat(insert.get("before")).isNull();
        assertThat(((GenericRecord) insert.get("after")).get("k")).isEqualTo(1);
        assertThat(((GenericRecord) insert.get("after")).getSchema().getName()).isEqualTo("row");
        assertThat(avroJson(insert)).isEqualTo("{\"before\":null,\"after\":{\"row\":{\"k\":1,\"v\":{\"string\":\"a\"}}}}");
        GenericRecord update = decode(schema, 3, encoder.encode(Optional.of(Row.of(1, "a")), Optional.of(Row.of(1, null))));
        assertThat(((GenericRecord) update.get("before")).get("v").toString()).isEqualTo("a");
        assertThat(((GenericRecord) update.get("after")).get("v")).isNull();
        GenericRecord delete = decode(schema, 3, encoder.encode(Optional.of(Row.of(1, "b")), Optional.empty()));
        assertThat(delete.get("after")).isNull();
    }

    @Test
    void aNullInANonNullableColumnIsRefused() {
        List<Column> columns = List.of(new Column("a", SqlType.INTEGER, false));
        String schema = AvroSchemaGenerator.valueSchema(columns, AvroSchemaOptions.defaults(), false);
        assertThatThrownBy(() -> new AvroRowEncoder(1, schema, columns).encode(Row.of((Object) null)))
                .hasMessageContaining("NULL in non-nullable column a");
    }

    @Test
    void aSchemaThatDoesNotDescribeTheColumnsIsRefused() {
        List<Column> columns = List.of(new Column("a", SqlType.INTEGER, false));
        String schema = AvroSchemaGenerator.valueSchema(List.of(new Column("a", SqlType.TEXT, false)), AvroSchemaOptions.defaults(), false);
        assertThatThrownBy(() -> new AvroRowEncoder(1, schema, columns)).isInstanceOf(IllegalArgumentException.class);
        assertThat(StandardCharsets.UTF_8).isNotNull();
    }
}
