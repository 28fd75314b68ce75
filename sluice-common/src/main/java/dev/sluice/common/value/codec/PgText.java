package dev.sluice.common.value.codec;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.type.TypeKind;
import dev.sluice.common.value.ByteString;
import dev.sluice.common.value.Interval;
import dev.sluice.common.value.Jsonb;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * PostgreSQL's text format for every {@link SqlType}: what {@code psql} prints and what a text
 * parameter or a cast from text reads. Session time zone is UTC.
 */
public final class PgText {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT);

    private PgText() {
    }

    /** The PostgreSQL text output of a non-null value. */
    public static String format(SqlType type, Object value) {
        return switch (type.kind()) {
            case BOOLEAN -> ((Boolean) value) ? "t" : "f";
            case SMALLINT, INTEGER, BIGINT, UINT2, UINT4, UINT8 -> value.toString();
            case REAL -> formatFloat(((Number) value).floatValue());
            case DOUBLE -> formatDouble(((Number) value).doubleValue());
            case NUMERIC -> ((BigDecimal) value).toPlainString();
            case TEXT, VARCHAR, CHAR -> (String) value;
            case BYTEA -> ((ByteString) value).toHexText();
            case DATE -> formatDate((LocalDate) value);
            case TIME -> formatTime((LocalTime) value);
            case TIMESTAMP -> formatTimestamp((LocalDateTime) value);
            case TIMESTAMPTZ -> formatTimestamp(LocalDateTime.ofInstant((Instant) value, ZoneOffset.UTC)) + "+00";
            case INTERVAL -> formatInterval((Interval) value);
            case JSONB -> ((Jsonb) value).text();
            case UUID -> value.toString();
            case MAP -> formatMap(type.elementType(), (Map<?, ?>) value);
            case LIST, ARRAY -> formatList(type.elementType(), (List<?>) value);
        };
    }

    static String formatFloat(float value) {
        if (Float.isNaN(value)) {
            return "NaN";
        }
        if (Float.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        return shortest(Float.toString(value));
    }

    static String formatDouble(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        return shortest(Double.toString(value));
    }

    /** Java's shortest round-trip digits, laid out as PostgreSQL (%g-like: exponent when < -4 or >= 15). */
    private static String shortest(String javaText) {
        BigDecimal decimal = new BigDecimal(javaText);
        if (decimal.signum() == 0) {
            return javaText.startsWith("-") ? "-0" : "0";
        }
        BigDecimal stripped = decimal.stripTrailingZeros();
        int exponent = stripped.precision() - stripped.scale() - 1;
        if (exponent < -4 || exponent >= 15) {
            String digits = stripped.unscaledValue().abs().toString();
            StringBuilder text = new StringBuilder();
            if (stripped.signum() < 0) {
                text.append('-');
            }
            text.append(digits.charAt(0));
            if (digits.length() > 1) {
                text.append('.').append(digits, 1, digits.length());
            }
            text.append('e').append(exponent < 0 ? '-' : '+');
            int absolute = Math.abs(exponent);
            if (absolute < 10) {
                text.append('0');
            }
            text.append(absolute);
            return text.toString();
        }
        return stripped.toPlainString();
    }

    static String formatDate(LocalDate date) {
        if (date.getYear() <= 0) {
            return String.format(Locale.ROOT, "%04d-%02d-%02d BC", 1 - date.getYear(), date.getMonthValue(), date.getDayOfMonth());
        }
        return DATE.format(date);
    }

    static String formatTime(LocalTime time) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%02d:%02d:%02d", time.getHour(), time.getMinute(), time.getSecond()));
        appendFraction(text, time.getNano() / 1000);
        return text.toString();
    }

    static String formatTimestamp(LocalDateTime timestamp) {
        LocalDate date = timestamp.toLocalDate();
        StringBuilder text = new StringBuilder();
        boolean bc = date.getYear() <= 0;
        text.append(String.format(Locale.ROOT, "%04d-%02d-%02d ", bc ? 1 - date.getYear() : date.getYear(), date.getMonthValue(), date.getDayOfMonth()));
        text.append(formatTime(timestamp.toLocalTime()));
        if (bc) {
            text.append(" BC");
        }
        return text.toString();
    }

    private static void appendFraction(StringBuilder text, long micros) {
        if (micros == 0) {
            return;
        }
        String digits = String.format(Locale.ROOT, "%06d", micros);
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        text.append('.').append(digits, 0, end);
    }

    static String formatInterval(Interval interval) {
        List<String> parts = new ArrayList<>();
        int years = interval.months() / 12;
        int months = interval.months() % 12;
        if (years != 0) {
            parts.add(years + (years == 1 ? " year" : " years"));
        }
        if (months != 0) {
            parts.add(months + (months == 1 ? " mon" : " mons"));
        }
        if (interval.days() != 0) {
            parts.add(interval.days() + (interval.days() == 1 ? " day" : " days"));
        }
        long micros = interval.micros();
        if (micros != 0 || parts.isEmpty()) {
            boolean negative = micros < 0;
            long absolute = Math.abs(micros);
            long hours = absolute / 3_600_000_000L;
            long minutes = absolute / 60_000_000L % 60;
            long seconds = absolute / 1_000_000L % 60;
            StringBuilder time = new StringBuilder();
            if (negative) {
                time.append('-');
            } else if (!parts.isEmpty() && (interval.months() < 0 || interval.days() < 0)) {
                time.append('+');
            }
            time.append(String.format(Locale.ROOT, "%02d:%02d:%02d", hours, minutes, seconds));
            appendFraction(time, absolute % 1_000_000L);
            parts.add(time.toString());
        }
        return String.join(" ", parts);
    }

    private static String formatMap(SqlType valueType, Map<?, ?> map) {
        StringBuilder text = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!first) {
                text.append(',');
            }
            first = false;
            text.append(quoteElement((String) entry.getKey())).append("=>");
            text.append(entry.getValue() == null ? "NULL" : quoteElement(format(valueType, entry.getValue())));
        }
        return text.append('}').toString();
    }

    private static String formatList(SqlType elementType, List<?> list) {
        StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                text.append(',');
            }
            Object element = list.get(i);
            if (element == null) {
                text.append("NULL");
            } else if (elementType.kind() == TypeKind.LIST || elementType.kind() == TypeKind.ARRAY || element instanceof List) {
                text.append(element instanceof List<?> nested ? formatList(elementType.kind() == TypeKind.ARRAY || elementType.kind() == TypeKind.LIST
                        ? elementType.elementType() : elementType, nested) : format(elementType, element));
            } else {
                text.append(quoteElement(format(elementType, element)));
            }
        }
        return text.append('}').toString();
    }

    private static String quoteElement(String element) {
        boolean needsQuotes = element.isEmpty() || element.equalsIgnoreCase("NULL");
        for (int i = 0; i < element.length() && !needsQuotes; i++) {
            char c = element.charAt(i);
            needsQuotes = c == '"' || c == '\\' || c == '{' || c == '}' || c == ',' || c == '=' || c == '>' || Character.isWhitespace(c);
        }
        if (!needsQuotes) {
            return element;
        }
        return "\"" + element.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * Parses PostgreSQL text input into the Java value of {@code type}.
     *
     * @throws SluiceException 22P02 (invalid input syntax), 22003, 22008, ... with PostgreSQL's message,
     *     e.g. {@code invalid input syntax for type integer: "abc"}
     */
    public static Object parse(SqlType type, String text) {
        try {
            return Values.coerce(type, parseUnchecked(type, text));
        } catch (java.time.DateTimeException | IllegalArgumentException | IndexOutOfBoundsException | ArithmeticException e) {
            throw invalid(type, text);
        }
    }

    private static Object parseUnchecked(SqlType type, String text) {
        String trimmed = text.trim();
        return switch (type.kind()) {
            case BOOLEAN -> parseBoolean(type, text);
            case SMALLINT -> {
                long value = parseInteger(type, trimmed);
                if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
                    throw outOfRange(trimmed, type);
                }
                yield (short) value;
            }
            case INTEGER -> {
                long value = parseInteger(type, trimmed);
                if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                    throw outOfRange(trimmed, type);
                }
                yield (int) value;
            }
            case BIGINT -> parseInteger(type, trimmed);
            case UINT2, UINT4, UINT8 -> {
                BigInteger value = new BigInteger(trimmed.startsWith("+") ? trimmed.substring(1) : trimmed);
                yield Values.coerce(type, value);
            }
            case REAL -> (float) parseDouble(trimmed);
            case DOUBLE -> parseDouble(trimmed);
            case NUMERIC -> new BigDecimal(trimmed);
            case TEXT, VARCHAR, CHAR -> text;
            case BYTEA -> parseBytea(text);
            // As PostgreSQL: a date takes the date part of a timestamp, and a timestamp without time zone ignores a zone.
            case DATE -> trimmed.matches("\\S+") ? parseDate(trimmed) : parseTimestamp(trimmed).local().toLocalDate();
            case TIME -> LocalTime.parse(trimmed.length() == 5 ? trimmed + ":00" : trimmed);
            case TIMESTAMP -> parseTimestamp(trimmed).local();
            case TIMESTAMPTZ -> parseTimestamp(trimmed).instant();
            case INTERVAL -> IntervalParser.parse(trimmed);
            case JSONB -> JsonbText.canonicalize(text);
            case UUID -> parseUuid(trimmed);
            case MAP -> parseMap(type, trimmed);
            case LIST, ARRAY -> parseList(type, trimmed);
        };
    }

    private static Boolean parseBoolean(SqlType type, String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "t", "true", "yes", "y", "on", "1", "tr", "tru", "ye" -> {
                return Boolean.TRUE;
            }
            case "f", "false", "no", "n", "off", "0", "fa", "fal", "fals", "of" -> {
                return Boolean.FALSE;
            }
            default -> throw invalid(type, text);
        }
    }

    private static long parseInteger(SqlType type, String text) {
        if (text.isEmpty()) {
            throw invalid(type, text);
        }
        try {
            return Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
        } catch (NumberFormatException e) {
            if (text.matches("[+-]?[0-9]+")) {
                throw outOfRange(text, type);
            }
            throw invalid(type, text);
        }
    }

    private static double parseDouble(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "nan" -> Double.NaN;
            case "infinity", "+infinity", "inf", "+inf" -> Double.POSITIVE_INFINITY;
            case "-infinity", "-inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                if (!text.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
                    throw new NumberFormatException(text);
                }
                yield Double.parseDouble(text);
            }
        };
    }

    private static ByteString parseBytea(String text) {
        if (text.startsWith("\\x")) {
            return ByteString.wrap(HexFormat.of().parseHex(text.substring(2).replace(" ", "")));
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '\\') {
                    out.write('\\');
                    i++;
                } else {
                    out.write(Integer.parseInt(text.substring(i + 1, i + 4), 8));
                    i += 3;
                }
            } else {
                byte[] bytes = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return ByteString.wrap(out.toByteArray());
    }

    private static LocalDate parseDate(String text) {
        if (text.equalsIgnoreCase("epoch")) {
            return LocalDate.EPOCH;
        }
        String value = text;
        boolean bc = false;
        if (value.toUpperCase(Locale.ROOT).endsWith(" BC")) {
            bc = true;
            value = value.substring(0, value.length() - 3).trim();
        }
        LocalDate date = LocalDate.parse(value, DATE);
        return bc ? date.withYear(1 - date.getYear()) : date;
    }

    /** A timestamp as written, and the zone it was written in (UTC when none). */
    private record WrittenTimestamp(java.time.LocalDateTime local, ZoneOffset offset) {
        java.time.Instant instant() {
            return local.toInstant(offset);
        }
    }

    private static final java.util.regex.Pattern ZONE_SUFFIX = java.util.regex.Pattern.compile(
            "(.*?)\\s*(Z|UTC|GMT|[+-]\\d{1,2}(:?\\d{2})?)$", java.util.regex.Pattern.CASE_INSENSITIVE);

    private static WrittenTimestamp parseTimestamp(String text) {
        if (text.equalsIgnoreCase("epoch")) {
            return new WrittenTimestamp(java.time.LocalDateTime.of(1970, 1, 1, 0, 0), ZoneOffset.UTC);
        }
        String value = text.replace('T', ' ');
        ZoneOffset offset = ZoneOffset.UTC;
        java.util.regex.Matcher zone = ZONE_SUFFIX.matcher(value);
        if (zone.matches() && (zone.group(1).contains(" ") || zone.group(1).matches("\\d{4}-\\d{2}-\\d{2}"))) {
            value = zone.group(1);
            String z = zone.group(2).toUpperCase(Locale.ROOT);
            if (!z.equals("Z") && !z.equals("UTC") && !z.equals("GMT")) {
                String digits = z.substring(1).replace(":", "");
                int hours = Integer.parseInt(digits.length() <= 2 ? digits : digits.substring(0, digits.length() - 2));
                int minutes = digits.length() <= 2 ? 0 : Integer.parseInt(digits.substring(digits.length() - 2));
                int sign = z.charAt(0) == '-' ? -1 : 1;
                offset = ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
            }
        }
        String[] parts = value.trim().split("\\s+");
        LocalDate date = parseDate(parts[0]);
        LocalTime time = parts.length > 1 ? LocalTime.parse(parts[1].length() == 5 ? parts[1] + ":00" : parts[1]) : LocalTime.MIDNIGHT;
        if (parts.length > 2) {
            throw new IllegalArgumentException(text);
        }
        return new WrittenTimestamp(java.time.LocalDateTime.of(date, time), offset);
    }

    private static UUID parseUuid(String text) {
        String hex = text.replace("-", "").replace("{", "").replace("}", "");
        if (hex.length() != 32 || !hex.matches("[0-9a-fA-F]+")) {
            throw new IllegalArgumentException(text);
        }
        return new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
    }

    private static SortedMap<String, Object> parseMap(SqlType type, String text) {
        List<String[]> entries = new CollectionLiteral(text).mapEntries();
        TreeMap<String, Object> map = new TreeMap<>();
        for (String[] entry : entries) {
            map.put(entry[0], entry[1] == null ? null : parse(type.elementType(), entry[1]));
        }
        return Collections.unmodifiableSortedMap(map);
    }

    private static List<Object> parseList(SqlType type, String text) {
        return convertElements(type.elementType(), new CollectionLiteral(text).elements());
    }

    private static List<Object> convertElements(SqlType elementType, List<Object> raw) {
        List<Object> result = new ArrayList<>();
        for (Object element : raw) {
            if (element == null) {
                result.add(null);
            } else if (element instanceof List<?> nested) {
                @SuppressWarnings("unchecked")
                List<Object> objects = (List<Object>) nested;
                SqlType inner = elementType.kind() == TypeKind.LIST || elementType.kind() == TypeKind.ARRAY ? elementType.elementType() : elementType;
                result.add(convertElements(inner, objects));
            } else {
                result.add(parse(elementType, (String) element));
            }
        }
        return Collections.unmodifiableList(result);
    }

    static SluiceException invalid(SqlType type, String text) {
        String name = switch (type.kind()) {
            case JSONB -> "json";
            case TIMESTAMP -> "timestamp";
            case TIMESTAMPTZ -> "timestamp with time zone";
            case TIME -> "time";
            case NUMERIC -> "numeric";
            case VARCHAR -> "character varying";
            case CHAR -> "character";
            case LIST -> "list";
            case ARRAY -> "array";
            case MAP -> "map";
            default -> type.displayName();
        };
        return SluiceException.of(ErrorCode.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type %s: \"%s\"", name, text);
    }

    static SluiceException outOfRange(String text, SqlType type) {
        return SluiceException.of(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE, "value \"%s\" is out of range for type %s", text, type.displayName());
    }
}
