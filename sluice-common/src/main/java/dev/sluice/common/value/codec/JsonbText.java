package dev.sluice.common.value.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.value.Jsonb;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** jsonb input: parsed with Jackson and printed in PostgreSQL's jsonb output form. */
public final class JsonbText {
    private static final ObjectMapper MAPPER = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    private static final Comparator<String> JSONB_KEY_ORDER = Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder());

    private JsonbText() {
    }

    public static Jsonb canonicalize(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw PgText.invalid(SqlType.JSONB, text);
            }
            StringBuilder out = new StringBuilder();
            write(node, out);
            return new Jsonb(out.toString());
        } catch (JsonProcessingException e) {
            throw PgText.invalid(SqlType.JSONB, text);
        }
    }

    /** Parses a canonical jsonb text into a Jackson tree (for encoders that embed jsonb). */
    public static JsonNode tree(Jsonb value) {
        try {
            return MAPPER.readTree(value.text());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored jsonb is not JSON", e);
        }
    }

    private static void write(JsonNode node, StringBuilder out) throws JsonProcessingException {
        if (node.isObject()) {
            List<String> keys = new ArrayList<>();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                keys.add(field.getKey());
            }
            keys.sort(JSONB_KEY_ORDER);
            out.append('{');
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                out.append(MAPPER.writeValueAsString(keys.get(i))).append(": ");
                write(node.get(keys.get(i)), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                write(node.get(i), out);
            }
            out.append(']');
        } else if (node.isBigDecimal()) {
            out.append(node.decimalValue().toPlainString());
        } else {
            out.append(MAPPER.writeValueAsString(node));
        }
    }
}
