package dev.sluice.kafka.format.avro;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.common.type.Column;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.type.TypeKind;
import dev.sluice.common.value.ByteString;
import dev.sluice.common.value.Interval;
import dev.sluice.common.value.Jsonb;
import dev.sluice.common.value.Row;
import dev.sluice.common.value.codec.JsonbText;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Writers of Avro binary datums, built once per sink by walking a schema (as stored in the catalog)
 * alongside the columns it was generated from, so what is written always matches what was published.
 */
final class AvroDatumWriters {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Writes one non-null or null value. */
    @FunctionalInterface
    interface ValueWriter {
        void write(Object value, AvroOutput out);
    }

    /** Writes all fields of a row as one record datum. */
    static final class RecordWriter {
        private final ValueWriter[] fields;

        RecordWriter(Schema record, List<Column> columns) {
            if (record.getType() != Schema.Type.RECORD || record.getFields().size() != columns.size()) {
                throw new IllegalArgumentException("schema " + record.getFullName() + " does not describe " + columns.size() + " columns");
            }
            fields = new ValueWriter[columns.size()];
            for (int i = 0; i < columns.size(); i++) {
                Column column = columns.get(i);
                fields[i] = nullable(record.getFields().get(i).schema(), column.type(), column.nullable(), column.name());
            }
        }

        void write(Row row, AvroOutput out) {
            for (int i = 0; i < fields.length; i++) {
                fields[i].write(row.get(i), out);
            }
        }
    }

    private AvroDatumWriters() {
    }

    /** The union index (0 null, 1 value) for nullable values; non-nullable values directly. */
    static ValueWriter nullable(Schema schema, SqlType type, boolean nullable, String column) {
        if (!nullable) {
            ValueWriter plain = plain(schema, type);
            return (value, out) -> {
                if (value == null) {
                    throw new IllegalStateException("NULL in non-nullable column " + column);
                }
                plain.write(value, out);
            };
        }
        if (schema.getType() != Schema.Type.UNION || schema.getTypes().size() != 2 || schema.getTypes().get(0).getType() != Schema.Type.NULL) {
            throw new IllegalArgumentException("nullable column " + column + " needs a [\"null\", T] union, not " + schema);
        }
        ValueWriter inner = plain(schema.getTypes().get(1), type);
        return (value, out) -> {
            if (value == null) {
                out.writeLong(0);
            } else {
                out.writeLong(1);
                inner.write(value, out);
            }
        };
    }

    private static ValueWriter plain(Schema schema, SqlType type) {
        return switch (type.kind()) {
            case BOOLEAN -> expect(schema, Schema.Type.BOOLEAN, (value, out) -> out.writeBoolean((Boolean) value));
            case SMALLINT, INTEGER -> expect(schema, Schema.Type.INT, (value, out) -> out.writeInt(((Number) value).intValue()));
            case BIGINT -> expect(schema, Schema.Type.LONG, (value, out) -> out.writeLong((Long) value));
            case REAL -> expect(schema, Schema.Type.FLOAT, (value, out) -> out.writeFloat((Float) value));
            case DOUBLE -> expect(schema, Schema.Type.DOUBLE, (value, out) -> out.writeDouble((Double) value));
            case NUMERIC -> {
                LogicalTypes.Decimal decimal = (LogicalTypes.Decimal) logical(schema, Schema.Type.BYTES, "decimal");
                AvroDecimal encoding = new AvroDecimal(decimal.getPrecision(), decimal.getScale());
                yield (value, out) -> out.writeBytes(encoding.bytes((BigDecimal) value));
            }
            case TEXT, VARCHAR, CHAR -> expect(schema, Schema.Type.STRING, (value, out) -> out.writeString((String) value));
            case BYTEA -> expect(schema, Schema.Type.BYTES, (value, out) -> out.writeBytes(((ByteString) value).toByteArray()));
            case DATE -> {
                logical(schema, Schema.Type.INT, "date");
                yield (value, out) -> out.writeInt(Math.toIntExact(((LocalDate) value).toEpochDay()));
            }
            case TIME -> {
                logical(schema, Schema.Type.LONG, "time-micros");
                yield (value, out) -> out.writeLong(((LocalTime) value).toNanoOfDay() / 1000);
            }
            case TIMESTAMP, TIMESTAMPTZ -> {
                LogicalType logical = schema.getLogicalType();
                if (schema.getType() != Schema.Type.LONG || logical == null) {
                    throw mismatch(schema, type);
                }
                boolean millis = logical.getName().equals("timestamp-millis");
                if (!millis && !logical.getName().equals("timestamp-micros")) {
                    throw mismatch(schema, type);
                }
                boolean zoned = type.kind() == TypeKind.TIMESTAMPTZ;
                yield (value, out) -> {
                    Instant instant = zoned ? (Instant) value : ((LocalDateTime) value).toInstant(ZoneOffset.UTC);
                    out.writeLong(millis ? epochMillis(instant) : epochMicros(instant));
                };
            }
            case INTERVAL -> {
                fixed(schema, 16);
                yield (value, out) -> {
                    Interval interval = (Interval) value;
                    out.writeLittleEndianInt(interval.months());
                    out.writeLittleEndianInt(interval.days());
                    out.writeLittleEndianLong(interval.micros());
                };
            }
            case JSONB -> expect(schema, Schema.Type.STRING, (value, out) -> out.writeString(compactJson((Jsonb) value)));
            case UUID -> {
                logical(schema, Schema.Type.STRING, "uuid");
                yield (value, out) -> out.writeString(((UUID) value).toString());
            }
            case UINT2 -> {
                fixed(schema, 2);
                yield (value, out) -> out.writeBigEndian((Integer) value, 2);
            }
            case UINT4 -> {
                fixed(schema, 4);
                yield (value, out) -> out.writeBigEndian((Long) value, 4);
            }
            case UINT8 -> {
                fixed(schema, 8);
                yield (value, out) -> out.writeBigEndian(((BigInteger) value).longValue(), 8);
            }
            case LIST -> {
                ValueWriter element = elements(schema, type);
                yield (value, out) -> writeArray((List<?>) value, element, out);
            }
            case ARRAY -> {
                // Avro has one array level: a multi-dimensional SQL array is written flattened, in row-major order.
                ValueWriter element = elements(schema, type);
                yield (value, out) -> writeArray(flatten((List<?>) value), element, out);
            }
            case MAP -> {
                if (schema.getType() != Schema.Type.MAP) {
                    throw mismatch(schema, type);
                }
                ValueWriter element = nullable(schema.getValueType(), type.elementType(), true, "map value");
                yield (value, out) -> {
                    Map<?, ?> map = (Map<?, ?>) value;
                    if (!map.isEmpty()) {
                        out.writeLong(map.size());
                        for (Map.Entry<?, ?> entry : map.entrySet()) {
                            out.writeString((String) entry.getKey());
                            element.write(entry.getValue(), out);
                        }
                    }
                    out.writeLong(0);
                };
            }
        };
    }

    private static ValueWriter elements(Schema schema, SqlType type) {
        if (schema.getType() != Schema.Type.ARRAY) {
            throw mismatch(schema, type);
        }
        return nullable(schema.getElementType(), type.elementType(), true, "array element");
    }

    private static void writeArray(List<?> list, ValueWriter element, AvroOutput out) {
        if (!list.isEmpty()) {
            out.writeLong(list.size());
            for (Object item : list) {
                element.write(item, out);
            }
        }
        out.writeLong(0);
    }

    private static List<?> flatten(List<?> array) {
        boolean nested = false;
        for (Object element : array) {
            if (element instanceof List<?>) {
                nested = true;
                break;
            }
        }
        if (!nested) {
            return array;
        }
        List<Object> flat = new java.util.ArrayList<>();
        for (Object element : array) {
            if (element instanceof List<?> inner) {
                flat.addAll(flatten(inner));
            } else {
                flat.add(element);
            }
        }
        return flat;
    }

    private static ValueWriter expect(Schema schema, Schema.Type expected, ValueWriter writer) {
        if (schema.getType() != expected) {
            throw new IllegalArgumentException("expected Avro " + expected + ", found " + schema);
        }
        return writer;
    }

    private static LogicalType logical(Schema schema, Schema.Type base, String name) {
        LogicalType logical = schema.getLogicalType();
        if (schema.getType() != base || logical == null || !logical.getName().equals(name)) {
            throw new IllegalArgumentException("expected Avro " + base + " with logical type " + name + ", found " + schema);
        }
        return logical;
    }

    private static void fixed(Schema schema, int size) {
        if (schema.getType() != Schema.Type.FIXED || schema.getFixedSize() != size) {
            throw new IllegalArgumentException("expected Avro fixed of " + size + " bytes, found " + schema);
        }
    }

    private static IllegalArgumentException mismatch(Schema schema, SqlType type) {
        return new IllegalArgumentException("Avro " + schema + " cannot hold " + type.displayName());
    }

    static long epochMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }

    static long epochMillis(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1000L), instant.getNano() / 1_000_000);
    }

    /** jsonb as compact JSON text (no spaces), object keys in jsonb's order. */
    private static String compactJson(Jsonb value) {
        try {
            return MAPPER.writeValueAsString(JsonbText.tree(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("jsonb value cannot be written as JSON", e);
        }
    }
}
