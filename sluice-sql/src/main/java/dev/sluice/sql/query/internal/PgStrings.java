package dev.sluice.sql.query.internal;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.SqlType;
import dev.sluice.sql.parser.StatementParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * PostgreSQL's string functions whose arguments are of any type ({@code concat}, {@code format}) or
 * that Calcite lacks. Argument types arrive as constants (SQL type names joined by NUL). Public for
 * generated code.
 */
public final class PgStrings {
    private static final Pattern SAFE_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_$]*");

    private PgStrings() {
    }

    private static String[] types(String typeNames) {
        return typeNames.isEmpty() ? new String[0] : typeNames.split("\u0000");
    }

    /** The PostgreSQL text of a Calcite value of the named type. */
    static String text(String typeName, Object value) {
        if (value == null) {
            return null;
        }
        SqlType type = StatementParser.parseType(typeName);
        Object sluice = Values.fromCalcite(type, value);
        return PgCasts.convert(type, SqlType.TEXT, sluice).toString();
    }

    /** {@code concat(a, b, …)}: NULLs are ignored. */
    public static String concat(String typeNames, Object... values) {
        String[] types = types(typeNames);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                text.append(text(types[i], values[i]));
            }
        }
        return text.toString();
    }

    /** {@code concat_ws(separator, a, b, …)}: NULLs are ignored. */
    public static String concatWs(String typeNames, String separator, Object... values) {
        if (separator == null) {
            return null;
        }
        String[] types = types(typeNames);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                parts.add(text(types[i + 1], values[i]));
            }
        }
        return String.join(separator, parts);
    }

    /** {@code format(template, …)} with {@code %s}, {@code %I}, {@code %L} and {@code %%}. */
    public static String format(String typeNames, String template, Object... values) {
        if (template == null) {
            return null;
        }
        String[] types = types(typeNames);
        StringBuilder out = new StringBuilder();
        int next = 0;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i + 1 >= template.length()) {
                throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "unterminated format() type specifier")
                        .withHint("For a single \"%\" use \"%%\".");
            }
            char kind = template.charAt(++i);
            if (kind == '%') {
                out.append('%');
                continue;
            }
            if (next >= values.length) {
                throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "too few arguments for format()");
            }
            String value = text(types[next + 1], values[next]);
            next++;
            switch (kind) {
                case 's' -> out.append(value == null ? "" : value);
                case 'I' -> {
                    if (value == null) {
                        throw new SluiceException(ErrorCode.NULL_VALUE_NOT_ALLOWED, "null values cannot be formatted as an SQL identifier");
                    }
                    out.append(quoteIdent(value));
                }
                case 'L' -> out.append(quoteNullable(value));
                default -> throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "unrecognized format() type specifier \"%s\"", kind)
                        .withHint("For a single \"%\" use \"%%\".");
            }
        }
        return out.toString();
    }

    public static String quoteIdent(String identifier) {
        if (SAFE_IDENTIFIER.matcher(identifier).matches()) {
            return identifier;
        }
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    public static String quoteLiteral(String text) {
        if (text.indexOf('\\') >= 0) {
            return "E'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
        }
        return "'" + text.replace("'", "''") + "'";
    }

    public static String quoteNullable(String text) {
        return text == null ? "NULL" : quoteLiteral(text);
    }

    public static String toHex(long value) {
        return Long.toHexString(value);
    }

    public static String textOf(String typeName, Object value) {
        return text(typeName, value);
    }

    private static Pattern regex(String pattern, String flags) {
        int options = 0;
        if (flags != null) {
            for (char flag : flags.toCharArray()) {
                switch (flag) {
                    case 'i' -> options |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
                    case 'c', 'g' -> {
                        // case sensitive is the default; g is handled by the caller
                    }
                    case 'n', 'm' -> options |= Pattern.MULTILINE;
                    case 's' -> options |= Pattern.DOTALL;
                    case 'x' -> options |= Pattern.COMMENTS;
                    default -> throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "invalid regular expression option: \"%s\"", flag);
                }
            }
        }
        try {
            return Pattern.compile(pattern, options);
        } catch (PatternSyntaxException e) {
            throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "invalid regular expression: %s", e.getDescription());
        }
    }

    /** {@code regexp_match(text, pattern [, flags])}: the first match's groups (or the whole match). */
    public static List<String> regexpMatch(String text, String pattern) {
        return regexpMatchFlags(text, pattern, null);
    }

    public static List<String> regexpMatchFlags(String text, String pattern, String flags) {
        Matcher matcher = regex(pattern, flags).matcher(text);
        if (!matcher.find()) {
            return null;
        }
        List<String> groups = new ArrayList<>();
        if (matcher.groupCount() == 0) {
            groups.add(matcher.group());
        } else {
            for (int i = 1; i <= matcher.groupCount(); i++) {
                groups.add(matcher.group(i));
            }
        }
        return groups;
    }

    public static boolean regexpLike(String text, String pattern) {
        return regex(pattern, null).matcher(text).find();
    }

    public static List<String> regexpSplitToArray(String text, String pattern) {
        return List.of(regex(pattern, null).split(text, -1));
    }

    /** {@code regexp_replace(text, pattern, replacement [, flags])} with {@code \1} back references. */
    public static String regexpReplace(String text, String pattern, String replacement, String flags) {
        Matcher matcher = regex(pattern, flags).matcher(text);
        String javaReplacement = replacement.replace("$", "\\$").replaceAll("\\\\(\\d)", "\\$$1").replace("\\&", "\\$0");
        boolean global = flags != null && flags.indexOf('g') >= 0;
        return global ? matcher.replaceAll(javaReplacement) : matcher.replaceFirst(javaReplacement);
    }

    public static String regexpReplace3(String text, String pattern, String replacement) {
        return regexpReplace(text, pattern, replacement, null);
    }

    public static int bitLength(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length * 8;
    }

    public static String btrim(String text) {
        return btrimCharacters(text, " ");
    }

    public static String btrimCharacters(String text, String characters) {
        int start = 0;
        int end = text.length();
        while (start < end && characters.indexOf(text.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && characters.indexOf(text.charAt(end - 1)) >= 0) {
            end--;
        }
        return text.substring(start, end);
    }

    public static String reverse(String text) {
        return new StringBuilder(text).reverse().toString();
    }

    public static String initcap(String text) {
        StringBuilder out = new StringBuilder();
        boolean start = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(start ? Character.toUpperCase(c) : Character.toLowerCase(c));
            start = !Character.isLetterOrDigit(c);
        }
        return out.toString();
    }
}
