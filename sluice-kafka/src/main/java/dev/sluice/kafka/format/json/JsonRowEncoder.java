package dev.sluice.kafka.format.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.schubfach.DoubleToDecimal;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
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
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * JSON as the reference's §9.1: an object with one member per column in column order, compact,
 * numeric and timestamps as strings, bytea as an array of byte values, jsonb embedded.
 */
public final class JsonRowEncoder implements RowEncoder {
    /**
     * Output as serde_json writes it: control characters as lower-case hex escapes (backslash, u, 00xx), non-ASCII raw
     * UTF-8 (supplementary characters as one 4-byte sequence, never as escaped surrogates), decimals plain.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

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

    /** The Debezium value (§8.3): {@code {"before":<row or null>,"after":<row or null>}}. */
    public byte[] encodeDebezium(Optional<Row> before, Optional<Row> after) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (JsonGenerator generator = FACTORY.createGenerator(bytes)) {
            writeDebezium(generator, before, after);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Writes the Debezium value of {@link #encodeDebezium} to an open generator. */
    public void writeDebezium(JsonGenerator generator, Optional<Row> before, Optional<Row> after) throws IOException {
        generator.writeStartObject();
        generator.writeFieldName("before");
        writeOptionalRow(generator, before);
        generator.writeFieldName("after");
        writeOptionalRow(generator, after);
        generator.writeEndObject();
    }

    /**
     * Encoders of the same bytes as {@link #encode(Row)} and {@link #encodeDebezium} that reuse one generator
     * ({@link JsonOutput}): for a sink's writer, which encodes message after message on one thread. Not thread-safe.
     */
    public Reusing reusing() {
        return new Reusing(new JsonOutput());
    }

    /** See {@link #reusing()}. Not thread-safe. */
    public final class Reusing implements RowEncoder {
        private final JsonOutput output;

        private Reusing(JsonOutput output) {
            this.output = output;
        }

        @Override
        public byte[] encode(Row row) {
            return output.write(generator -> writeRow(generator, row));
        }

        public byte[] encodeDebezium(Optional<Row> before, Optional<Row> after) {
            return output.write(generator -> writeDebezium(generator, before, after));
        }
    }

    private void writeOptionalRow(JsonGenerator generator, Optional<Row> row) throws IOException {
        if (row.isPresent()) {
            writeRow(generator, row.get());
        } else {
            generator.writeNull();
        }
    }

    /** A generator with this encoder's output rules; caller closes. */
    public static JsonGenerator generator(OutputStream out) throws IOException {
        return FACTORY.createGenerator(out);
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
                    generator.writeRawValue(number(f));
                }
            }
            case DOUBLE -> {
                double d = (Double) value;
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    generator.writeNull();
                } else {
                    generator.writeRawValue(number(d));
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
            case JSONB -> writeJsonb(generator, JsonbText.tree((Jsonb) value));
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

    /**
     * jsonb embedded with object keys in the reference's order: sorted by their UTF-8 bytes (code
     * points), not PostgreSQL's length-first order that Sluice's jsonb text uses.
     */
    private static void writeJsonb(JsonGenerator generator, JsonNode node) throws IOException {
        if (node.isObject()) {
            List<String> keys = new ArrayList<>();
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                keys.add(names.next());
            }
            keys.sort(JsonRowEncoder::compareCodePoints);
            generator.writeStartObject();
            for (String key : keys) {
                generator.writeFieldName(key);
                writeJsonb(generator, node.get(key));
            }
            generator.writeEndObject();
        } else if (node.isArray()) {
            generator.writeStartArray();
            for (JsonNode element : node) {
                writeJsonb(generator, element);
            }
            generator.writeEndArray();
        } else if (node.isBigDecimal()) {
            generator.writeNumber(node.decimalValue());
        } else if (node.isNumber()) {
            generator.writeNumber(node.bigIntegerValue());
        } else if (node.isTextual()) {
            generator.writeString(node.textValue());
        } else if (node.isBoolean()) {
            generator.writeBoolean(node.booleanValue());
        } else {
            generator.writeNull();
        }
    }

    private static int compareCodePoints(String left, String right) {
        int i = 0;
        int j = 0;
        while (i < left.length() && j < right.length()) {
            int a = left.codePointAt(i);
            int b = right.codePointAt(j);
            if (a != b) {
                return Integer.compare(a, b);
            }
            i += Character.charCount(a);
            j += Character.charCount(b);
        }
        return Integer.compare(left.length() - i, right.length() - j);
    }

    /**
     * A finite double as serde_json (ryu) prints it: the shortest digits that round-trip, in plain
     * notation with at least one fraction digit when the decimal exponent is in [-5, 16)
     * ({@code 1.0}, {@code 10000000.0}, {@code 0.00001}), otherwise scientific without a plus sign
     * ({@code 1e16}, {@code 1.5e-7}). {@code real} values are widened to double first (§9.1).
     */
    static String number(double value) {
        if (value == 0) {
            return 1 / value < 0 ? "-0.0" : "0.0";
        }
        BigDecimal decimal = new BigDecimal(DoubleToDecimal.toString(value)).stripTrailingZeros();
        String digits = decimal.unscaledValue().abs().toString();
        int length = digits.length();
        int exponent = -decimal.scale();
        int pointPosition = length + exponent;
        StringBuilder out = new StringBuilder(value < 0 ? "-" : "");
        if (exponent >= 0 && pointPosition <= 16) {
            out.append(digits).append("0".repeat(exponent)).append(".0");
        } else if (pointPosition > 0 && pointPosition <= 16) {
            out.append(digits, 0, pointPosition).append('.').append(digits, pointPosition, length);
        } else if (pointPosition > -5 && pointPosition <= 0) {
            out.append("0.").append("0".repeat(-pointPosition)).append(digits);
        } else {
            out.append(digits.charAt(0));
            if (length > 1) {
                out.append('.').append(digits, 1, length);
            }
            out.append('e').append(pointPosition - 1);
        }
        return out.toString();
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
