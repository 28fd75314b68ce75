package dev.sluice.sql.query.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.value.Jsonb;
import dev.sluice.common.value.codec.JsonbText;
import dev.sluice.common.value.codec.PgText;
import dev.sluice.sql.parser.StatementParser;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** PostgreSQL's jsonb operators and functions. Public for generated code. */
public final class PgJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PgJson() {
    }

    static Jsonb of(JsonNode node) {
        return JsonbText.canonicalize(node.toString());
    }

    private static JsonNode tree(Jsonb value) {
        return JsonbText.tree(value);
    }

    /** PostgreSQL's {@code jsonb_typeof} name of a node. */
    static String typeOf(JsonNode node) {
        if (node.isObject()) {
            return "object";
        }
        if (node.isArray()) {
            return "array";
        }
        if (node.isTextual()) {
            return "string";
        }
        if (node.isNumber()) {
            return "number";
        }
        if (node.isBoolean()) {
            return "boolean";
        }
        return "null";
    }

    private static JsonNode field(JsonNode node, String key) {
        return node.isObject() ? node.get(key) : null;
    }

    private static JsonNode element(JsonNode node, long index) {
        if (!node.isArray()) {
            return null;
        }
        long at = index < 0 ? node.size() + index : index;
        return at >= 0 && at < node.size() ? node.get((int) at) : null;
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        return of(node).text();
    }

    public static Jsonb getField(Jsonb value, String key) {
        JsonNode found = field(tree(value), key);
        return found == null ? null : of(found);
    }

    public static Jsonb getElement(Jsonb value, long index) {
        JsonNode found = element(tree(value), index);
        return found == null ? null : of(found);
    }

    public static String getFieldText(Jsonb value, String key) {
        return text(field(tree(value), key));
    }

    public static String getElementText(Jsonb value, long index) {
        return text(element(tree(value), index));
    }

    private static JsonNode path(Jsonb value, List<?> path) {
        JsonNode node = tree(value);
        for (Object step : path) {
            if (node == null || step == null) {
                return null;
            }
            String key = step.toString();
            if (node.isArray()) {
                try {
                    node = element(node, Long.parseLong(key.trim()));
                } catch (NumberFormatException e) {
                    return null;
                }
            } else {
                node = field(node, key);
            }
        }
        return node;
    }

    public static Jsonb getPath(Jsonb value, List<?> path) {
        JsonNode found = path(value, path);
        return found == null ? null : of(found);
    }

    public static String getPathText(Jsonb value, List<?> path) {
        return text(path(value, path));
    }

    public static Jsonb extractPath(Jsonb value, String... path) {
        return getPath(value, List.of((Object[]) path));
    }

    public static String extractPathText(Jsonb value, String... path) {
        return getPathText(value, List.of((Object[]) path));
    }

    public static boolean contains(Jsonb container, Jsonb contained) {
        return contains(tree(container), tree(contained), true);
    }

    public static boolean containedIn(Jsonb contained, Jsonb container) {
        return contains(container, contained);
    }

    private static boolean contains(JsonNode container, JsonNode contained, boolean top) {
        if (container.isObject() && contained.isObject()) {
            for (Map.Entry<String, JsonNode> entry : contained.properties()) {
                JsonNode inner = container.get(entry.getKey());
                if (inner == null || !contains(inner, entry.getValue(), false)) {
                    return false;
                }
            }
            return true;
        }
        if (container.isArray() && contained.isArray()) {
            for (JsonNode wanted : contained) {
                boolean found = false;
                for (JsonNode candidate : container) {
                    if (!candidate.isArray() && !candidate.isObject() && (wanted.isArray() || wanted.isObject())) {
                        continue;
                    }
                    if (contains(candidate, wanted, false)) {
                        found = true;
                        break;
                    }
                }
                if (!found) {
                    return false;
                }
            }
            return true;
        }
        if (container.isArray() && top && !contained.isArray() && !contained.isObject()) {
            for (JsonNode candidate : container) {
                if (sameScalar(candidate, contained)) {
                    return true;
                }
            }
            return false;
        }
        return sameScalar(container, contained);
    }

    private static boolean sameScalar(JsonNode left, JsonNode right) {
        if (left.isNumber() && right.isNumber()) {
            return left.decimalValue().compareTo(right.decimalValue()) == 0;
        }
        return !left.isContainerNode() && !right.isContainerNode() && left.equals(right);
    }

    public static boolean hasKey(Jsonb value, String key) {
        JsonNode node = tree(value);
        if (node.isObject()) {
            return node.has(key);
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (element.isTextual() && element.textValue().equals(key)) {
                    return true;
                }
            }
        }
        return node.isTextual() && node.textValue().equals(key);
    }

    public static boolean hasAnyKey(Jsonb value, List<?> keys) {
        for (Object key : keys) {
            if (key != null && hasKey(value, key.toString())) {
                return true;
            }
        }
        return false;
    }

    public static boolean hasAllKeys(Jsonb value, List<?> keys) {
        for (Object key : keys) {
            if (key != null && !hasKey(value, key.toString())) {
                return false;
            }
        }
        return true;
    }

    public static Jsonb concat(Jsonb left, Jsonb right) {
        JsonNode a = tree(left);
        JsonNode b = tree(right);
        if (a.isObject() && b.isObject()) {
            ObjectNode merged = ((ObjectNode) a).deepCopy();
            merged.setAll((ObjectNode) b);
            return of(merged);
        }
        ArrayNode array = NODES.arrayNode();
        addAll(array, a);
        addAll(array, b);
        return of(array);
    }

    private static void addAll(ArrayNode array, JsonNode node) {
        if (node.isArray()) {
            array.addAll((ArrayNode) node);
        } else {
            array.add(node);
        }
    }

    public static Jsonb deleteKey(Jsonb value, String key) {
        JsonNode node = tree(value);
        if (node.isObject()) {
            ((ObjectNode) node).remove(key);
        } else if (node.isArray()) {
            ArrayNode kept = NODES.arrayNode();
            for (JsonNode element : node) {
                if (!(element.isTextual() && element.textValue().equals(key))) {
                    kept.add(element);
                }
            }
            node = kept;
        } else {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "cannot delete from scalar");
        }
        return of(node);
    }

    public static Jsonb deleteIndex(Jsonb value, long index) {
        JsonNode node = tree(value);
        if (!node.isArray()) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, node.isObject() ? "cannot delete from object using integer index"
                    : "cannot delete from scalar");
        }
        long at = index < 0 ? node.size() + index : index;
        if (at >= 0 && at < node.size()) {
            ((ArrayNode) node).remove((int) at);
        }
        return of(node);
    }

    public static Jsonb deletePath(Jsonb value, List<?> path) {
        if (path.isEmpty()) {
            return value;
        }
        JsonNode root = tree(value);
        JsonNode parent = root;
        for (int i = 0; i < path.size() - 1 && parent != null; i++) {
            String key = String.valueOf(path.get(i));
            parent = parent.isArray() ? element(parent, parseIndex(key)) : field(parent, key);
        }
        String last = String.valueOf(path.get(path.size() - 1));
        if (parent instanceof ObjectNode object) {
            object.remove(last);
        } else if (parent instanceof ArrayNode array) {
            long at = parseIndex(last);
            at = at < 0 ? array.size() + at : at;
            if (at >= 0 && at < array.size()) {
                array.remove((int) at);
            }
        }
        return of(root);
    }

    private static long parseIndex(String key) {
        try {
            return Long.parseLong(key.trim());
        } catch (NumberFormatException e) {
            throw SluiceException.of(ErrorCode.INVALID_TEXT_REPRESENTATION, "path element is not an integer: \"%s\"", key);
        }
    }

    public static String typeof(Jsonb value) {
        return typeOf(tree(value));
    }

    public static Integer arrayLength(Jsonb value) {
        JsonNode node = tree(value);
        if (!node.isArray()) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, node.isObject() ? "cannot get array length of a non-array"
                    : "cannot get array length of a scalar");
        }
        return node.size();
    }

    public static String pretty(Jsonb value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(tree(value))
                    .replace("\r\n", "\n");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return value.text();
        }
    }

    public static Jsonb stripNulls(Jsonb value) {
        return of(strip(tree(value)));
    }

    private static JsonNode strip(JsonNode node) {
        if (node.isObject()) {
            ObjectNode result = NODES.objectNode();
            node.properties().forEach(entry -> {
                if (!entry.getValue().isNull()) {
                    result.set(entry.getKey(), strip(entry.getValue()));
                }
            });
            return result;
        }
        if (node.isArray()) {
            ArrayNode result = NODES.arrayNode();
            node.forEach(element -> result.add(strip(element)));
            return result;
        }
        return node;
    }

    public static Jsonb set(Jsonb value, List<?> path, Jsonb replacement, boolean create) {
        JsonNode root = tree(value);
        if (path.isEmpty()) {
            return value;
        }
        JsonNode parent = root;
        for (int i = 0; i < path.size() - 1 && parent != null; i++) {
            String key = String.valueOf(path.get(i));
            parent = parent.isArray() ? element(parent, parseIndex(key)) : field(parent, key);
        }
        String last = String.valueOf(path.get(path.size() - 1));
        JsonNode node = tree(replacement);
        if (parent instanceof ObjectNode object && (create || object.has(last))) {
            object.set(last, node);
        } else if (parent instanceof ArrayNode array) {
            long at = parseIndex(last);
            at = at < 0 ? array.size() + at : at;
            if (at >= 0 && at < array.size()) {
                array.set((int) at, node);
            } else if (create) {
                if (at < 0) {
                    array.insert(0, node);
                } else {
                    array.add(node);
                }
            }
        }
        return of(root);
    }

    public static Jsonb set3(Jsonb value, List<?> path, Jsonb replacement) {
        return set(value, path, replacement, true);
    }

    /** {@code to_jsonb(value)} for a value of {@code type} (passed as a constant). */
    public static Jsonb toJsonb(String typeName, Object value) {
        if (value == null) {
            return null;
        }
        SqlType type = StatementParser.parseType(typeName);
        return of(node(type, Values.fromCalcite(type, value)));
    }

    private static JsonNode node(SqlType type, Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        return switch (type.kind()) {
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case SMALLINT, INTEGER, BIGINT, UINT2, UINT4 -> NODES.numberNode(((Number) value).longValue());
            case UINT8 -> NODES.numberNode(new BigDecimal((BigInteger) value));
            case REAL, DOUBLE -> {
                double number = ((Number) value).doubleValue();
                yield Double.isNaN(number) || Double.isInfinite(number) ? NODES.textNode(PgText.format(type, value))
                        : NODES.numberNode(new BigDecimal(PgText.format(type, value)));
            }
            case NUMERIC -> NODES.numberNode((BigDecimal) value);
            case JSONB -> JsonbText.tree((Jsonb) value);
            case TIMESTAMP -> NODES.textNode(PgText.format(type, value).replace(' ', 'T'));
            case TIMESTAMPTZ -> NODES.textNode(PgText.format(type, value).replace(' ', 'T') + ":00");
            case LIST, ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (Object element : (List<?>) value) {
                    array.add(node(type.elementType(), element));
                }
                yield array;
            }
            case MAP -> {
                ObjectNode object = NODES.objectNode();
                ((Map<?, ?>) value).forEach((key, element) -> object.set((String) key, node(type.elementType(), element)));
                yield object;
            }
            default -> NODES.textNode(PgText.format(type, value));
        };
    }

    /** {@code jsonb_build_object(k1, v1, …)}: keys and values alternate; types are passed as constants. */
    public static Jsonb buildObject(String typeNames, Object... arguments) {
        String[] types = typeNames.isEmpty() ? new String[0] : typeNames.split("\u0000");
        if (arguments.length % 2 != 0) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "argument list must have even number of elements")
                    .withHint("The arguments of jsonb_build_object() must consist of alternating keys and values.");
        }
        ObjectNode object = NODES.objectNode();
        for (int i = 0; i < arguments.length; i += 2) {
            if (arguments[i] == null) {
                throw new SluiceException(ErrorCode.NULL_VALUE_NOT_ALLOWED, "argument " + (i + 1) + ": key must not be null");
            }
            SqlType keyType = StatementParser.parseType(types[i]);
            JsonNode key = node(keyType, Values.fromCalcite(keyType, arguments[i]));
            SqlType valueType = StatementParser.parseType(types[i + 1]);
            object.set(key.isTextual() ? key.textValue() : key.toString(), node(valueType, Values.fromCalcite(valueType, arguments[i + 1])));
        }
        return of(object);
    }

    /** {@code jsonb_build_array(v1, …)}. */
    public static Jsonb buildArray(String typeNames, Object... arguments) {
        String[] types = typeNames.isEmpty() ? new String[0] : typeNames.split("\u0000");
        ArrayNode array = NODES.arrayNode();
        for (int i = 0; i < arguments.length; i++) {
            SqlType type = StatementParser.parseType(types[i]);
            array.add(node(type, Values.fromCalcite(type, arguments[i])));
        }
        return of(array);
    }

    /** The keys of a jsonb object as a text array ({@code jsonb_object_keys} as an array). */
    public static List<String> objectKeys(Jsonb value) {
        JsonNode node = tree(value);
        if (!node.isObject()) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "cannot call jsonb_object_keys on a " + typeOf(node));
        }
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}
