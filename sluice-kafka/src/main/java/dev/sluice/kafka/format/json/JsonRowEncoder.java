package dev.sluice.kafka.format.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.common.type.Column;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.value.ByteString;
import dev.sluice.common.value.Interval;
import dev.sluice.common.value.Jsonb;
import dev.sluice.common.value.Row;
import dev.sluice.common.value.codec.JsonbText;
import dev.sluice.common.value.codec.PgText;
import dev.sluice.kafka.format.RowEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * JSON as the reference's §9.1: an object with one member per column in column order, compact,
 * numeric and timestamps as strings, bytea as an array of byte values, jsonb embedded.
 */
public final class JsonRowEncoder implements RowEncoder {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<Column> columns;
    private final List<String> names;

    public JsonRowEncoder(List<Column> columns) {
        this.columns = List.copyOf(columns);
        this.names = deduplicate(columns.stream().map(Column::name).toList());
    }

    /** Repeated names get the smallest free suffix 1, 2, …, with {@code _} before it when the name ends in a digit (§9). */
    static List<String> deduplicate(List<String> names) {
        Set<String> used = new HashSet<>();
        List<String> result = new ArrayList<>();
        for (String name : names) {
            String candidate = name;
            int suffix = 1;
            while (!used.add(candidate)) {
                candidate = name + (Character.isDigit(name.charAt(name.length() - 1)) ? "_" : "") + suffix++;
            }
            result.add(candidate);
        }
        return result;
    }

    @Override
    public byte[] encode(Row row) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (JsonGenerator generator = FACTORY.createGenerator(bytes)) {
            writeRow(generator, row);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * An encoder of the same bytes as {@link #encode(Row)} that reuses one generator ({@link JsonOutput}): for a
     * sink's writer, which encodes message after message on one thread. Not thread-safe.
     */
    public RowEncoder reusing() {
        JsonOutput output = new JsonOutput();
        return row -> output.write(generator -> writeRow(generator, row));
    }

    /** Writes the row object to an open generator (Debezium nests it). */
    public void writeRow(JsonGenerator generator, Row row) throws IOException {
        generator.writeStartObject();
        for (int i = 0; i < columns.size(); i++) {
            generator.writeFieldName(names.get(i));
            writeValue(generator, columns.get(i).type(), row.get(i));
        }
        generator.writeEndObject();
    }

    static void writeValue(JsonGenerator generator, SqlType type, Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
            return;
        }
        switch (type.kind()) {
            case BOOLEAN -> generator.writeBoolean((Boolean) value);
            case SMALLINT, INTEGER, BIGINT, UINT2, UINT4 -> generator.writeNumber(((Number) value).longValue());
            case UINT8 -> generator.writeNumber((BigInteger) value);
            case REAL -> {
                float f = (Float) value;
                if (Float.isNaN(f) || Float.isInfinite(f)) {
                    generator.writeNull();
                } else {
                    generator.writeNumber((double) f);
                }
            }
            case DOUBLE -> {
                double d = (Double) value;
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    generator.writeNull();
                } else {
                    generator.writeNumber(d);
                }
            }
            case NUMERIC -> generator.writeString(((BigDecimal) value).toPlainString());
            case TEXT, VARCHAR, CHAR -> generator.writeString((String) value);
            case BYTEA -> {
                byte[] bytes = ((ByteString) value).toByteArray();
                generator.writeStartArray();
                for (byte b : bytes) {
                    generator.writeNumber(b & 0xff);
                }
                generator.writeEndArray();
            }
            case DATE -> generator.writeString(PgText.format(SqlType.DATE, (LocalDate) value));
            case TIME -> generator.writeString(time((LocalTime) value));
            case TIMESTAMP -> generator.writeString(epochMillis(((LocalDateTime) value).toInstant(ZoneOffset.UTC)));
            case TIMESTAMPTZ -> generator.writeString(epochMillis((Instant) value));
            case INTERVAL -> generator.writeString(PgText.format(SqlType.INTERVAL, (Interval) value));
            case JSONB -> {
                JsonNode tree = JsonbText.tree((Jsonb) value);
                MAPPER.writeTree(generator, tree);
            }
            case UUID -> generator.writeString(value.toString());
            case LIST, ARRAY -> {
                generator.writeStartArray();
                for (Object element : (List<?>) value) {
                    SqlType elementType = element instanceof List<?> && type.elementType().kind() != dev.sluice.common.type.TypeKind.LIST
                            && type.elementType().kind() != dev.sluice.common.type.TypeKind.ARRAY ? type : type.elementType();
                    writeValue(generator, elementType, element);
                }
                generator.writeEndArray();
            }
            case MAP -> {
                generator.writeStartObject();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    generator.writeFieldName((String) entry.getKey());
                    writeValue(generator, type.elementType(), entry.getValue());
                }
                generator.writeEndObject();
            }
        }
    }

    /** {@code HH:MM:SS} plus 3 or 6 fraction digits when the fraction is non-zero. */
    static String time(LocalTime time) {
        String base = String.format(Locale.ROOT, "%02d:%02d:%02d", time.getHour(), time.getMinute(), time.getSecond());
        long micros = time.getNano() / 1000;
        if (micros == 0) {
            return base;
        }
        return micros % 1000 == 0 ? base + String.format(Locale.ROOT, ".%03d", micros / 1000) : base + String.format(Locale.ROOT, ".%06d", micros);
    }

    /** Milliseconds since the epoch with three digits of microseconds: {@code "1321009871123.450"}. */
    static String epochMillis(Instant instant) {
        long micros = Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
        long millis = Math.floorDiv(micros, 1000L);
        long fraction = Math.floorMod(micros, 1000L);
        return millis + "." + String.format(Locale.ROOT, "%03d", fraction);
    }
}
