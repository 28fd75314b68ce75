package dev.sluice.kafka.format.avro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.common.type.Column;
import dev.sluice.common.type.SqlType;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Generates the Avro schemas of a sink from its columns (reference §9.2): one record field per
 * column in column order, nullable columns as {@code ["null", T]} unions (null first), sanitised and
 * de-duplicated field names, named fixed types ({@code com.materialize.sink.interval},
 * {@code .uint2/4/8}) defined once per schema and referenced by name afterwards, {@code NULL DEFAULTS}
 * and {@code doc} attributes. The result is the canonical text Apache Avro prints for the parsed
 * JSON: the string stored in the catalog and published to the registry.
 */
public final class AvroSchemaGenerator {
    /** The namespace of the named types Sluice generates. */
    public static final String NAMESPACE = "com.materialize.sink";
    public static final String DEFAULT_KEY_NAME = "row";
    public static final String DEFAULT_VALUE_NAME = "envelope";
    /** The Debezium envelope's inner record. */
    static final String DEBEZIUM_ROW_NAME = "row";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AvroSchemaGenerator() {
    }

    /** The key schema: a record named {@code row} (or the KEY FULLNAME) of the key columns. */
    public static String keySchema(List<Column> columns, AvroSchemaOptions options) {
        ObjectNode record = record(options.fullName().orElse(DEFAULT_KEY_NAME), options.recordDoc(), fields(columns, new TypeNamer(), options));
        return canonical(record);
    }

    /**
     * The value schema: for UPSERT a record named {@code envelope} (or the VALUE FULLNAME) of all
     * columns; for DEBEZIUM that record holds {@code before: ["null", row]} and {@code after: ["null", "row"]},
     * and the record doc goes to {@code row}.
     */
    public static String valueSchema(List<Column> columns, AvroSchemaOptions options, boolean debezium) {
        String name = options.fullName().orElse(DEFAULT_VALUE_NAME);
        if (!debezium) {
            return canonical(record(name, options.recordDoc(), fields(columns, new TypeNamer(), options)));
        }
        ObjectNode row = record(DEBEZIUM_ROW_NAME, options.recordDoc(), fields(columns, new TypeNamer(), options));
        ArrayNode envelopeFields = JSON.arrayNode();
        envelopeFields.add(field("before", nullable(row), options.nullDefaults()));
        envelopeFields.add(field("after", nullable(JSON.textNode(DEBEZIUM_ROW_NAME)), options.nullDefaults()));
        return canonical(record(name, Optional.empty(), envelopeFields));
    }

    private static ObjectNode record(String name, Optional<String> doc, ArrayNode fields) {
        ObjectNode record = JSON.objectNode();
        record.put("type", "record");
        record.put("name", name);
        doc.ifPresent(text -> record.put("doc", text));
        record.set("fields", fields);
        return record;
    }

    private static ArrayNode fields(List<Column> columns, TypeNamer types, AvroSchemaOptions options) {
        AvroNames.FieldNamer names = new AvroNames.FieldNamer();
        ArrayNode fields = JSON.arrayNode();
        for (Column column : columns) {
            JsonNode type = type(column.type(), types);
            ObjectNode field = field(names.next(column.name()), column.nullable() ? nullable(type) : type, options.nullDefaults() && column.nullable());
            String doc = options.fieldDocs().get(column.name());
            if (doc != null) {
                field.put("doc", doc);
            }
            fields.add(field);
        }
        return fields;
    }

    private static ObjectNode field(String name, JsonNode type, boolean nullDefault) {
        ObjectNode field = JSON.objectNode();
        field.put("name", name);
        field.set("type", type);
        if (nullDefault) {
            field.putNull("default");
        }
        return field;
    }

    private static ArrayNode nullable(JsonNode type) {
        ArrayNode union = JSON.arrayNode();
        union.add("null");
        union.add(type);
        return union;
    }

    /** The Avro type of a non-null value of {@code type} (the mapping table of §9.2). */
    private static JsonNode type(SqlType type, TypeNamer types) {
        return switch (type.kind()) {
            case BOOLEAN -> JSON.textNode("boolean");
            case SMALLINT, INTEGER -> JSON.textNode("int");
            case BIGINT -> JSON.textNode("long");
            case REAL -> JSON.textNode("float");
            case DOUBLE -> JSON.textNode("double");
            case NUMERIC -> {
                ObjectNode decimal = logical("bytes", "decimal");
                boolean scaled = type.hasScale() || type.hasPrecision();
                decimal.put("precision", scaled ? AvroDecimal.SCALED_PRECISION : AvroDecimal.UNSCALED_PRECISION);
                decimal.put("scale", scaled ? Math.max(type.scale(), 0) : AvroDecimal.UNSCALED_SCALE);
                yield decimal;
            }
            case TEXT, VARCHAR, CHAR -> JSON.textNode("string");
            case BYTEA -> JSON.textNode("bytes");
            case DATE -> logical("int", "date");
            case TIME -> logical("long", "time-micros");
            case TIMESTAMP, TIMESTAMPTZ -> logical("long", type.hasPrecision() && type.precision() <= 3 ? "timestamp-millis" : "timestamp-micros");
            case INTERVAL -> types.fixed("interval", 16);
            case JSONB -> {
                ObjectNode json = JSON.objectNode();
                json.put("type", "string");
                json.put("connect.name", "io.debezium.data.Json");
                yield json;
            }
            case UUID -> logical("string", "uuid");
            case UINT2 -> types.fixed("uint2", 2);
            case UINT4 -> types.fixed("uint4", 4);
            case UINT8 -> types.fixed("uint8", 8);
            case LIST, ARRAY -> {
                ObjectNode array = JSON.objectNode();
                array.put("type", "array");
                array.set("items", nullable(type(type.elementType(), types)));
                yield array;
            }
            case MAP -> {
                ObjectNode map = JSON.objectNode();
                map.put("type", "map");
                map.set("values", nullable(type(type.elementType(), types)));
                yield map;
            }
        };
    }

    private static ObjectNode logical(String base, String logicalType) {
        ObjectNode node = JSON.objectNode();
        node.put("type", base);
        node.put("logicalType", logicalType);
        return node;
    }

    private static String canonical(JsonNode json) {
        try {
            return new Schema.Parser().parse(MAPPER.writeValueAsString(json)).toString();
        } catch (com.fasterxml.jackson.core.JsonProcessingException | SchemaParseException e) {
            throw new IllegalStateException("generated an invalid Avro schema: " + json, e);
        }
    }

    /** Named types of one schema: each is defined at its first use and referenced by fullname afterwards. */
    private static final class TypeNamer {
        private final Set<String> defined = new HashSet<>();

        JsonNode fixed(String name, int size) {
            String fullName = NAMESPACE + "." + name;
            if (!defined.add(fullName)) {
                return JSON.textNode(fullName);
            }
            ObjectNode fixed = JSON.objectNode();
            fixed.put("type", "fixed");
            fixed.put("name", fullName);
            fixed.put("size", size);
            return fixed;
        }
    }
}
