package dev.sluice.sql.query.internal;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.value.codec.PgText;
import dev.sluice.sql.parser.StatementParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** PostgreSQL's array functions and operators over Calcite's array values (lists). Public for generated code. */
public final class PgArrays {
    private PgArrays() {
    }

    private static String text(SqlType elementType, Object element) {
        Object value = Values.fromCalcite(elementType, element);
        return value instanceof List<?> list ? PgText.format(SqlType.array(elementType), list) : PgText.format(elementType, value);
    }

    private static SqlType element(String arrayType) {
        SqlType type = StatementParser.parseType(arrayType);
        return type.elementType();
    }

    /** {@code array_to_string(array, delimiter)}: NULL elements are skipped. */
    public static String arrayToString(String arrayType, List<?> array, String delimiter) {
        return join(element(arrayType), array, delimiter, null);
    }

    /** {@code array_to_string(array, delimiter, null_string)}. */
    public static String arrayToStringWithNull(String arrayType, List<?> array, String delimiter, String nullString) {
        return join(element(arrayType), array, delimiter, nullString);
    }

    private static String join(SqlType elementType, List<?> array, String delimiter, String nullString) {
        if (array == null || delimiter == null) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        boolean first = true;
        for (Object element : flatten(array)) {
            if (element == null && nullString == null) {
                continue;
            }
            if (!first) {
                text.append(delimiter);
            }
            first = false;
            text.append(element == null ? nullString : text(elementType, element));
        }
        return text.toString();
    }

    private static List<Object> flatten(List<?> array) {
        List<Object> result = new ArrayList<>();
        for (Object element : array) {
            if (element instanceof List<?> nested) {
                result.addAll(flatten(nested));
            } else {
                result.add(element);
            }
        }
        return result;
    }

    public static Integer arrayLength(List<?> array, long dimension) {
        List<?> level = array;
        for (long d = 1; d < dimension; d++) {
            if (level.isEmpty() || !(level.get(0) instanceof List<?> nested)) {
                return null;
            }
            level = nested;
        }
        return dimension < 1 || level.isEmpty() ? null : level.size();
    }

    public static Integer arrayLower(List<?> array, long dimension) {
        return arrayLength(array, dimension) == null ? null : 1;
    }

    public static Integer arrayNdims(List<?> array) {
        if (array.isEmpty()) {
            return null;
        }
        int dimensions = 1;
        Object first = array.get(0);
        while (first instanceof List<?> nested && !nested.isEmpty()) {
            dimensions++;
            first = nested.get(0);
        }
        return dimensions;
    }

    public static List<Object> arrayAppend(List<?> array, Object element) {
        List<Object> result = array == null ? new ArrayList<>() : new ArrayList<>(array);
        result.add(element);
        return result;
    }

    public static List<Object> arrayPrepend(Object element, List<?> array) {
        List<Object> result = new ArrayList<>();
        result.add(element);
        if (array != null) {
            result.addAll(array);
        }
        return result;
    }

    public static List<Object> arrayCat(List<?> left, List<?> right) {
        if (left == null && right == null) {
            return null;
        }
        List<Object> result = new ArrayList<>();
        if (left != null) {
            result.addAll(left);
        }
        if (right != null) {
            result.addAll(right);
        }
        return result;
    }

    public static Integer arrayPosition(List<?> array, Object element) {
        for (int i = 0; i < array.size(); i++) {
            if (Objects.equals(array.get(i), element)) {
                return i + 1;
            }
        }
        return null;
    }

    public static List<Object> arrayRemove(List<?> array, Object element) {
        List<Object> result = new ArrayList<>();
        for (Object item : array) {
            if (!Objects.equals(item, element)) {
                result.add(item);
            }
        }
        return result;
    }

    public static List<Object> arrayReplace(List<?> array, Object from, Object to) {
        List<Object> result = new ArrayList<>();
        for (Object item : array) {
            result.add(Objects.equals(item, from) ? to : item);
        }
        return result;
    }

    /** {@code a @> b}: every element of {@code b} is in {@code a} (NULLs never match). */
    public static boolean contains(List<?> container, List<?> contained) {
        List<Object> elements = flatten(container);
        for (Object wanted : flatten(contained)) {
            if (wanted == null || !elements.contains(wanted)) {
                return false;
            }
        }
        return true;
    }

    public static boolean containedIn(List<?> contained, List<?> container) {
        return contains(container, contained);
    }

    public static boolean overlaps(List<?> left, List<?> right) {
        List<Object> elements = flatten(left);
        for (Object candidate : flatten(right)) {
            if (candidate != null && elements.contains(candidate)) {
                return true;
            }
        }
        return false;
    }

    /** {@code map -> key}: the value, or NULL when the key is missing. */
    public static Object mapGet(Map<?, ?> map, String key) {
        return map.get(key);
    }

    /** {@code string_to_array(text, delimiter [, null_string])}. */
    public static List<String> stringToArray(String text, String delimiter, String nullString) {
        if (text == null) {
            return null;
        }
        List<String> result = new ArrayList<>();
        if (text.isEmpty()) {
            return result;
        }
        if (delimiter == null) {
            text.codePoints().forEach(c -> result.add(new String(Character.toChars(c))));
        } else if (delimiter.isEmpty()) {
            result.add(text);
        } else {
            int start = 0;
            while (true) {
                int at = text.indexOf(delimiter, start);
                if (at < 0) {
                    result.add(text.substring(start));
                    break;
                }
                result.add(text.substring(start, at));
                start = at + delimiter.length();
            }
        }
        if (nullString != null) {
            result.replaceAll(element -> element.equals(nullString) ? null : element);
        }
        return result;
    }

    public static List<String> stringToArray2(String text, String delimiter) {
        return stringToArray(text, delimiter, null);
    }

    /** {@code array_fill(value, ARRAY[n])}. */
    public static List<Object> arrayFill(Object value, List<?> dimensions) {
        if (dimensions.size() != 1 || dimensions.get(0) == null) {
            throw new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED, "array_fill supports one dimension");
        }
        List<Object> result = new ArrayList<>();
        for (long i = 0; i < ((Number) dimensions.get(0)).longValue(); i++) {
            result.add(value);
        }
        return result;
    }
}
