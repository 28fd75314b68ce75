package dev.sluice.kafka.format.avro;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.type.Column;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.type.TypeKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class AvroSchemaGeneratorTest {
    private static Column column(String name, SqlType type) {
        return new Column(name, type, false);
    }

    private static Column nullable(String name, SqlType type) {
        return new Column(name, type, true);
    }

    private static String fieldsOf(String schema) {
        return schema.substring(schema.indexOf("\"fields\":") + "\"fields\":".length(), schema.length() - 1);
    }

    @Test
    void everySqlTypeMapsToTheReferenceAvroType() {
        List<Column> columns = List.of(
                column("b", SqlType.BOOLEAN),
                column("i2", SqlType.SMALLINT),
                column("i4", SqlType.INTEGER),
                column("i8", SqlType.BIGINT),
                column("f4", SqlType.REAL),
                column("f8", SqlType.DOUBLE),
                column("n_scaled", SqlType.numeric(10, 2)),
                column("n_precision", SqlType.numeric(5, -1)),
                column("n", SqlType.NUMERIC),
                column("t", SqlType.TEXT),
                column("vc", SqlType.varchar(5)),
                column("c", SqlType.character(3)),
                column("by", SqlType.BYTEA),
                column("d", SqlType.DATE),
                column("tm", SqlType.TIME),
                column("ts", SqlType.TIMESTAMP),
                column("ts3", SqlType.withPrecision(TypeKind.TIMESTAMP, 3)),
                column("ts6", SqlType.withPrecision(TypeKind.TIMESTAMP, 6)),
                column("tz", SqlType.TIMESTAMPTZ),
                column("tz0", SqlType.withPrecision(TypeKind.TIMESTAMPTZ, 0)),
                column("iv", SqlType.INTERVAL),
                column("j", SqlType.JSONB),
                column("u", SqlType.UUID),
                column("u2", SqlType.UINT2),
                column("u4", SqlType.UINT4),
                column("u8", SqlType.UINT8),
                column("l", SqlType.list(SqlType.INTEGER)),
                column("a", SqlType.array(SqlType.TEXT)),
                column("m", SqlType.map(SqlType.BOOLEAN)));
        String schema = AvroSchemaGenerator.valueSchema(columns, AvroSchemaOptions.defaults(), false);
        assertThat(schema).isEqualTo("{\"type\":\"record\",\"name\":\"envelope\",\"fields\":["
                + "{\"name\":\"b\",\"type\":\"boolean\"},"
                + "{\"name\":\"i2\",\"type\":\"int\"},"
                + "{\"name\":\"i4\",\"type\":\"int\"},"
                + "{\"name\":\"i8\",\"type\":\"long\"},"
                + "{\"name\":\"f4\",\"type\":\"float\"},"
                + "{\"name\":\"f8\",\"type\":\"double\"},"
                + "{\"name\":\"n_scaled\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":39,\"scale\":2}},"
                + "{\"name\":\"n_precision\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":39,\"scale\":0}},"
                + "{\"name\":\"n\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":81,\"scale\":39}},"
                + "{\"name\":\"t\",\"type\":\"string\"},"
                + "{\"name\":\"vc\",\"type\":\"string\"},"
                + "{\"name\":\"c\",\"type\":\"string\"},"
                + "{\"name\":\"by\",\"type\":\"bytes\"},"
                + "{\"name\":\"d\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"}},"
                + "{\"name\":\"tm\",\"type\":{\"type\":\"long\",\"logicalType\":\"time-micros\"}},"
                + "{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}},"
                + "{\"name\":\"ts3\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
                + "{\"name\":\"ts6\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}},"
                + "{\"name\":\"tz\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}},"
                + "{\"name\":\"tz0\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
                + "{\"name\":\"iv\",\"type\":{\"type\":\"fixed\",\"name\":\"interval\",\"namespace\":\"com.materialize.sink\",\"size\":16}},"
                + "{\"name\":\"j\",\"type\":{\"type\":\"string\",\"connect.name\":\"io.debezium.data.Json\"}},"
                + "{\"name\":\"u\",\"type\":{\"type\":\"string\",\"logicalType\":\"uuid\"}},"
                + "{\"name\":\"u2\",\"type\":{\"type\":\"fixed\",\"name\":\"uint2\",\"namespace\":\"com.materialize.sink\",\"size\":2}},"
                + "{\"name\":\"u4\",\"type\":{\"type\":\"fixed\",\"name\":\"uint4\",\"namespace\":\"com.materialize.sink\",\"size\":4}},"
                + "{\"name\":\"u8\",\"type\":{\"type\":\"fixed\",\"name\":\"uint8\",\"namespace\":\"com.materialize.sink\",\"size\":8}},"
                + "{\"name\":\"l\",\"type\":{\"type\":\"array\",\"items\":[\"null\",\"int\"]}},"
                + "{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":[\"null\",\"string\"]}},"
                + "{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":[\"null\",\"boolean\"]}}]}");
    }

    @Test
    void nullableColumnsAreUnionsWithNullFirst() {
        String schema = AvroSchemaGenerator.keySchema(List.of(nullable("key", SqlType.TEXT), column("id", SqlType.INTEGER)),
                AvroSchemaOptions.defaults());
        assertThat(schema).isEqualTo("{\"type\":\"record\",\"name\":\"row\",\"fields\":[{\"name\":\"key\",\"type\":[\"null\",\"string\"]},"
                + "{\"name\":\"id\",\"type\":\"int\"}]}");
    }

    @Test
    void namedFixedTypesAreDefinedOnceAndReferencedAfterwards() {
        List<Column> columns = List.of(column("a", SqlType.INTERVAL), nullable("b", SqlType.INTERVAL), column("c", SqlType.UINT8),
                column("d", SqlType.list(SqlType.UINT8)), column("e", SqlType.map(SqlType.INTERVAL)));
        String schema = AvroSchemaGenerator.valueSchema(columns, AvroSchemaOptions.defaults(), false);
        assertThat(fieldsOf(schema)).isEqualTo("["
                + "{\"name\":\"a\",\"type\":{\"type\":\"fixed\",\"name\":\"interval\",\"namespace\":\"com.materialize.sink\",\"size\":16}},"
                + "{\"name\":\"b\",\"type\":[\"null\",\"com.materialize.sink.interval\"]},"
                + "{\"name\":\"c\",\"type\":{\"type\":\"fixed\",\"name\":\"uint8\",\"namespace\":\"com.materialize.sink\",\"size\":8}},"
                + "{\"name\":\"d\",\"type\":{\"type\":\"array\",\"items\":[\"null\",\"com.materialize.sink.uint8\"]}},"
                + "{\"name\":\"e\",\"type\":{\"type\":\"map\",\"values\":[\"null\",\"com.materialize.sink.interval\"]}}]");
        assertThat(new Schema.Parser().parse(schema).getField("b").schema().getTypes().get(1).getFixedSize()).isEqualTo(16);
    }

    @Test
    void nestedCollectionsHaveNullableItemsAtEveryLevel() {
        String schema = AvroSchemaGenerator.valueSchema(List.of(column("ll", SqlType.list(SqlType.list(SqlType.BIGINT))),
                column("lm", SqlType.list(SqlType.map(SqlType.TEXT)))), AvroSchemaOptions.defaults(), false);
        assertThat(fieldsOf(schema)).isEqualTo("["
                + "{\"name\":\"ll\",\"type\":{\"type\":\"array\",\"items\":[\"null\",{\"type\":\"array\",\"items\":[\"null\",\"long\"]}]}},"
                + "{\"name\":\"lm\",\"type\":{\"type\":\"array\",\"items\":[\"null\",{\"type\":\"map\",\"values\":[\"null\",\"string\"]}]}}]");
    }

    @Test
    void fieldNamesAreSanitisedAndDeduplicatedInOrder() {
        List<Column> columns = List.of(column("tricky-name", SqlType.INTEGER), column("tricky!name", SqlType.INTEGER),
                column("tricky@name", SqlType.INTEGER), column("666", SqlType.INTEGER), column("c3_map[text=>text]", SqlType.INTEGER),
                column("tricky_name1", SqlType.INTEGER), column("ä", SqlType.INTEGER));
        String schema = AvroSchemaGenerator.valueSchema(columns, AvroSchemaOptions.defaults(), true);
        assertThat(new Schema.Parser().parse(schema).getField("before").schema().getTypes().get(1).getFields())
                .extracting(Schema.Field::name)
                .containsExactly("tricky_name", "tricky_name1", "tricky_name2", "_666", "c3_map_text__text_", "tricky_name11", "_");
    }

    @Test
    void referenceTrickyNamesSchemaIsReproducedExactly() {
        List<Column> columns = List.of(column("tricky-name", SqlType.INTEGER), column("tricky!name", SqlType.INTEGER),
                column("tricky@name", SqlType.INTEGER), column("666", SqlType.INTEGER));
        assertThat(AvroSchemaGenerator.valueSchema(columns, AvroSchemaOptions.defaults(), true)).isEqualTo(
                "{\"type\":\"record\",\"name\":\"envelope\",\"fields\":[{\"name\":\"before\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"row\","
                        + "\"fields\":[{\"name\":\"tricky_name\",\"type\":\"int\"},{\"name\":\"tricky_name1\",\"type\":\"int\"},"
                        + "{\"name\":\"tricky_name2\",\"type\":\"int\"},{\"name\":\"_666\",\"type\":\"int\"}]}]},"
                        + "{\"name\":\"after\",\"type\":[\"null\",\"row\"]}]}");
    }

    @Test
    void valueFullnameIsSplitIntoNameAndNamespace() {
        AvroSchemaOptions options = new AvroSchemaOptions(Optional.of("abc.def.ghi"), false, Optional.empty(), Map.of());
        assertThat(AvroSchemaGenerator.valueSchema(List.of(column("namespace", SqlType.INTEGER)), options, true)).isEqualTo(
                "{\"type\":\"record\",\"name\":\"ghi\",\"namespace\":\"abc.def\",\"fields\":[{\"name\":\"before\",\"type\":[\"null\","
                        + "{\"type\":\"record\",\"name\":\"row\",\"fields\":[{\"name\":\"namespace\",\"type\":\"int\"}]}]},"
                        + "{\"name\":\"after\",\"type\":[\"null\",\"row\"]}]}");
    }

    @Test
    void keyAndValueFullnamesNameTheirRecords() {
        List<Column> columns = List.of(column("a", SqlType.INTEGER), column("b", SqlType.INTEGER));
        String key = AvroSchemaGenerator.keySchema(List.of(column("b", SqlType.INTEGER)),
                new AvroSchemaOptions(Optional.of("some.neat.class.foo"), false, Optional.empty(), Map.of()));
        String value = AvroSchemaGenerator.valueSchema(columns,
                new AvroSchemaOptions(Optional.of("some.neat.class.bar"), false, Optional.empty(), Map.of()), true);
        assertThat(key).isEqualTo("{\"type\":\"record\",\"name\":\"foo\",\"namespace\":\"some.neat.class\",\"fields\":[{\"name\":\"b\",\"type\":\"int\"}]}");
        assertThat(value).isEqualTo("{\"type\":\"record\",\"name\":\"bar\",\"namespace\":\"some.neat.class\",\"fields\":[{\"name\":\"before\","
                + "\"type\":[\"null\",{\"type\":\"record\",\"name\":\"row\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"int\"}]}]},"
                + "{\"name\":\"after\",\"type\":[\"null\",\"row\"]}]}");
    }

    @Test
    void nullDefaultsGiveEveryNullableFieldADefaultOfNull() {
        List<Column> columns = List.of(column("key1", SqlType.TEXT), nullable("key2", SqlType.BIGINT), nullable("f1", SqlType.TEXT),
                nullable("f2", SqlType.BIGINT), nullable("f31", SqlType.BIGINT), nullable("f32", SqlType.TEXT));
        AvroSchemaOptions on = new AvroSchemaOptions(Optional.empty(), true, Optional.empty(), Map.of());
        assertThat(AvroSchemaGenerator.valueSchema(columns, on, false)).isEqualTo("{\"type\":\"record\",\"name\":\"envelope\",\"fields\":["
                + "{\"name\":\"key1\",\"type\":\"string\"},{\"name\":\"key2\",\"type\":[\"null\",\"long\"],\"default\":null},"
                + "{\"name\":\"f1\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"f2\",\"type\":[\"null\",\"long\"],\"default\":null},"
                + "{\"name\":\"f31\",\"type\":[\"null\",\"long\"],\"default\":null},{\"name\":\"f32\",\"type\":[\"null\",\"string\"],\"default\":null}]}");
        assertThat(AvroSchemaGenerator.valueSchema(columns, AvroSchemaOptions.defaults(), false)).doesNotContain("default");
    }

    @Test
    void nullDefaultsAlsoApplyToTheDebeziumBeforeAndAfterFields() {
        AvroSchemaOptions on = new AvroSchemaOptions(Optional.empty(), true, Optional.empty(), Map.of());
        Schema envelope = new Schema.Parser().parse(AvroSchemaGenerator.valueSchema(List.of(nullable("a", SqlType.INTEGER)), on, true));
        assertThat(envelope.getField("before").hasDefaultValue()).isTrue();
        assertThat(envelope.getField("after").hasDefaultValue()).isTrue();
        assertThat(envelope.getField("before").schema().getTypes().get(1).getField("a").hasDefaultValue()).isTrue();
    }

    @Test
    void docsAttachToTheRecordAndItsFields() {
        AvroSchemaOptions docs = new AvroSchemaOptions(Optional.empty(), false, Optional.of("comment on table t with a \\ '"),
                Map.of("c2", "doc on t.c2", "c4", "äöü"));
        List<Column> columns = List.of(column("c1", SqlType.INTEGER), column("c2", SqlType.TEXT), nullable("c4", SqlType.list(SqlType.INTEGER)));
        assertThat(AvroSchemaGenerator.valueSchema(columns, docs, false)).isEqualTo("{\"type\":\"record\",\"name\":\"envelope\","
                + "\"doc\":\"comment on table t with a \\\\ '\",\"fields\":[{\"name\":\"c1\",\"type\":\"int\"},"
                + "{\"name\":\"c2\",\"type\":\"string\",\"doc\":\"doc on t.c2\"},"
                + "{\"name\":\"c4\",\"type\":[\"null\",{\"type\":\"array\",\"items\":[\"null\",\"int\"]}],\"doc\":\"äöü\"}]}");
    }

    @Test
    void debeziumPutsTheRelationDocOnTheInnerRowRecord() {
        AvroSchemaOptions docs = new AvroSchemaOptions(Optional.empty(), false, Optional.of("the table"), Map.of("c2", "doc on t.c2"));
        assertThat(AvroSchemaGenerator.valueSchema(List.of(column("c2", SqlType.TEXT)), docs, true)).isEqualTo(
                "{\"type\":\"record\",\"name\":\"envelope\",\"fields\":[{\"name\":\"before\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"row\","
                        + "\"doc\":\"the table\",\"fields\":[{\"name\":\"c2\",\"type\":\"string\",\"doc\":\"doc on t.c2\"}]}]},"
                        + "{\"name\":\"after\",\"type\":[\"null\",\"row\"]}]}");
    }

    @Test
    void fullnameValidationNamesTheInvalidComponent() {
        assertThat(AvroNames.fullNameError("goodname")).isEmpty();
        assertThat(AvroNames.fullNameError("some.neat.class.foo")).isEmpty();
        assertThat(AvroNames.fullNameError("bad-name"))
                .contains("Invalid name. Must start with [A-Za-z_] and subsequently only contain [A-Za-z0-9_]. Found: bad-name");
        assertThat(AvroNames.fullNameError("ok.9lives")).get().asString().endsWith("Found: 9lives");
    }
}
