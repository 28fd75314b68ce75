package dev.sluice.server.session;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.sql.ast.OptionValue;
import dev.sluice.sql.ast.SqlOption;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The format options of one COPY, PostgreSQL's: {@code text} (tab-delimited, {@code \N} for NULL,
 * backslash escapes) or {@code csv} (comma-delimited, quoted with {@code "}, an unquoted empty field
 * for NULL), with the delimiter, NULL string, header line, quote and escape characters given.
 */
record CopyFormat(boolean csv, char delimiter, String nullString, boolean header, char quote, char escape) {
    public CopyFormat {
        requireNonNull(nullString, "nullString is null");
    }

    /** PostgreSQL's defaults for the format COPY's options name, changed by the options given; refuses what Sluice does not read. */
    static CopyFormat of(List<SqlOption> options) {
        Map<String, OptionValue> given = new HashMap<>();
        for (SqlOption option : options) {
            if (given.put(option.name(), option.value()) != null) {
                throw new SluiceException(ErrorCode.SYNTAX_ERROR, "conflicting or redundant options").withPosition(option.position());
            }
            if (!Set.of("FORMAT", "DELIMITER", "NULL", "HEADER", "QUOTE", "ESCAPE", "ENCODING").contains(option.name())) {
                throw SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED, "COPY option %s is not supported yet", option.name());
            }
        }
        String kind = given.containsKey("FORMAT") ? word(given.get("FORMAT"), "FORMAT") : "text";
        boolean csv = switch (kind) {
            case "text" -> false;
            case "csv" -> true;
            case "binary" -> throw new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED, "COPY in binary format is not supported yet")
                    .withHint("Use FORMAT text or FORMAT csv.");
            default -> throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "COPY format \"%s\" not recognized", kind);
        };
        if (!csv && (given.containsKey("QUOTE") || given.containsKey("ESCAPE"))) {
            throw SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED, "COPY %s requires CSV mode", given.containsKey("QUOTE") ? "QUOTE" : "ESCAPE");
        }
        if (given.containsKey("ENCODING") && !Set.of("utf8", "utf-8", "unicode").contains(word(given.get("ENCODING"), "ENCODING"))) {
            throw new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED, "COPY reads UTF8 only").withHint("Convert the data to UTF-8 first.");
        }
        char delimiter = given.containsKey("DELIMITER") ? character(given.get("DELIMITER"), "delimiter") : csv ? ',' : '\t';
        char quote = given.containsKey("QUOTE") ? character(given.get("QUOTE"), "quote") : '"';
        char escape = given.containsKey("ESCAPE") ? character(given.get("ESCAPE"), "escape") : quote;
        String nullString = given.containsKey("NULL") ? text(given.get("NULL"), "NULL") : csv ? "" : "\\N";
        boolean header = given.containsKey("HEADER") && bool(given.get("HEADER"));
        if (delimiter == '\n' || delimiter == '\r' || !csv && delimiter == '\\') {
            throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "COPY delimiter cannot be %s",
                    delimiter == '\\' ? "backslash" : "newline or carriage return");
        }
        if (csv && delimiter == quote) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "COPY delimiter and quote must be different");
        }
        return new CopyFormat(csv, delimiter, nullString, header, quote, escape);
    }

    private static String text(OptionValue value, String name) {
        if (value instanceof OptionValue.Text text) {
            return text.value();
        }
        throw SluiceException.of(ErrorCode.SYNTAX_ERROR, "COPY %s must be a string literal", name);
    }

    private static String word(OptionValue value, String name) {
        if (value instanceof OptionValue.Name word && word.name().parts().size() == 1) {
            return word.name().last().toLowerCase(Locale.ROOT);
        }
        return text(value, name).toLowerCase(Locale.ROOT);
    }

    private static char character(OptionValue value, String name) {
        String text = text(value, name);
        if (text.length() != 1 || text.charAt(0) > 0x7f) {
            throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "COPY %s must be a single one-byte character", name);
        }
        return text.charAt(0);
    }

    private static boolean bool(OptionValue value) {
        if (value instanceof OptionValue.Absent) {
            return true;
        }
        if (value instanceof OptionValue.Bool bool) {
            return bool.value();
        }
        String text = value instanceof OptionValue.Number number ? number.value() : word(value, "HEADER");
        return switch (text) {
            case "true", "on", "1" -> true;
            case "false", "off", "0" -> false;
            default -> throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "HEADER requires a Boolean value");
        };
    }

    /** One row as COPY TO writes it, with its line break; a field is null for NULL. */
    String line(List<String> fields) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                line.append(delimiter);
            }
            String field = fields.get(i);
            if (field == null) {
                line.append(nullString);
            } else if (csv) {
                csvField(line, field);
            } else {
                textField(line, field);
            }
        }
        return line.append('\n').toString();
    }

    private void textField(StringBuilder line, String field) {
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            switch (c) {
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                case '\b' -> line.append("\\b");
                case '\f' -> line.append("\\f");
                case '\u000b' -> line.append("\\v");
                default -> {
                    if (c == delimiter) {
                        line.append('\\');
                    }
                    line.append(c);
                }
            }
        }
    }

    private void csvField(StringBuilder line, String field) {
        boolean quote = field.equals(nullString) || field.equals("\\.");
        for (int i = 0; i < field.length() && !quote; i++) {
            char c = field.charAt(i);
            quote = c == delimiter || c == this.quote || c == '\n' || c == '\r';
        }
        if (!quote) {
            line.append(field);
            return;
        }
        line.append(this.quote);
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == this.quote || c == escape && escape != this.quote) {
                line.append(escape);
            }
            line.append(c);
        }
        line.append(this.quote);
    }
}
