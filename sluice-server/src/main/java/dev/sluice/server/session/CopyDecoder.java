package dev.sluice.server.session;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.sql.ast.OptionValue;
import dev.sluice.sql.ast.SqlOption;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Splits the data stream of {@code COPY … FROM STDIN} into rows of field texts, in PostgreSQL's
 * {@code text} or {@code csv} format, as it arrives in slices of any size (a row, even a UTF-8
 * character, may span CopyData messages). A field is {@code null} for SQL NULL.
 *
 * <ul>
 *   <li><b>text</b>: one row per line ({@code \n}, {@code \r\n} or {@code \r}), fields split by the
 *       delimiter (tab); a field that is the NULL string ({@code \N}) as written is NULL; backslash
 *       escapes {@code \b \f \n \r \t \v}, octal {@code \ooo}, hex {@code \xhh}, and any other
 *       character after a backslash stands for itself. A line {@code \.} ends the data.</li>
 *   <li><b>csv</b>: fields split by the delimiter (comma) and quoted with the quote character, which
 *       inside quotes is doubled (or preceded by ESCAPE, when that is another character); a quoted
 *       field may hold delimiters and line breaks. An unquoted field that is the NULL string (empty)
 *       is NULL, a quoted one never is. HEADER skips the first row.</li>
 * </ul>
 */
final class CopyDecoder {
    /** The format options of one COPY. */
    record Format(boolean csv, char delimiter, String nullString, boolean header, char quote, char escape) {
        Format {
            requireNonNull(nullString, "nullString is null");
        }

        /** PostgreSQL's defaults for the format COPY's options name, changed by the options given; refuses what Sluice does not read. */
        static Format of(List<SqlOption> options) {
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
            return new Format(csv, delimiter, nullString, header, quote, escape);
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
    }

    /** Receives each row: its fields, and the line it starts on (from 1). */
    @FunctionalInterface
    interface Rows {
        void row(List<String> fields, long line);
    }

    private final Format format;
    private final Rows rows;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    /** Bytes not decoded yet: the start of a character whose rest is in the next message. */
    private ByteBuffer pendingBytes = ByteBuffer.allocate(0);
    private final CharBuffer chars = CharBuffer.allocate(8192);

    /** The row being assembled, as written. */
    private final StringBuilder record = new StringBuilder();
    private boolean inQuotes;
    private boolean escapeNext;
    private boolean afterCarriageReturn;
    private long line = 1;
    private long recordLine = 1;
    private boolean headerPending;
    private boolean ended;

    CopyDecoder(Format format, Rows rows) {
        this.format = requireNonNull(format, "format is null");
        this.rows = requireNonNull(rows, "rows is null");
        this.headerPending = format.header();
    }

    /** Decodes the next slice of the data stream. */
    void feed(byte[] bytes) {
        ByteBuffer input = ByteBuffer.allocate(pendingBytes.remaining() + bytes.length);
        input.put(pendingBytes).put(bytes).flip();
        while (true) {
            CoderResult result = utf8.decode(input, chars, false);
            if (result.isError()) {
                throw invalidEncoding();
            }
            chars.flip();
            while (chars.hasRemaining()) {
                accept(chars.get());
            }
            chars.clear();
            if (result.isUnderflow()) {
                break;
            }
        }
        pendingBytes = input.slice();
    }

    /** The data is complete: the last row may lack its line break. */
    void finish() {
        if (pendingBytes.hasRemaining()) {
            throw invalidEncoding();
        }
        if (inQuotes && !ended) {
            throw error("unterminated CSV quoted field");
        }
        if (record.length() > 0 && !ended) {
            endRecord();
        }
    }

    private void accept(char c) {
        if (ended) {
            return;
        }
        if (afterCarriageReturn) {
            afterCarriageReturn = false;
            if (c == '\n') {
                return;
            }
        }
        boolean lineBreak = c == '\n' || c == '\r';
        if (format.csv() && (inQuotes || c == format.quote())) {
            // Quotes decide where a CSV row ends: a line break inside them is data.
            if (escapeNext) {
                escapeNext = false;
            } else if (inQuotes && c == format.escape() && format.escape() != format.quote()) {
                escapeNext = true;
            } else if (c == format.quote()) {
                inQuotes = !inQuotes;
            }
            record.append(c);
            if (lineBreak) {
                line++;
            }
            return;
        }
        if (lineBreak) {
            afterCarriageReturn = c == '\r';
            endRecord();
            line++;
            recordLine = line;
            return;
        }
        record.append(c);
    }

    private void endRecord() {
        String text = record.toString();
        record.setLength(0);
        if (text.equals("\\.")) {
            ended = true;
            return;
        }
        if (headerPending) {
            headerPending = false;
            return;
        }
        rows.row(format.csv() ? csvFields(text) : textFields(text), recordLine);
    }

    private List<String> textFields(String text) {
        List<String> fields = new ArrayList<>();
        int start = 0;
        while (true) {
            int end = start;
            while (end < text.length() && text.charAt(end) != format.delimiter()) {
                // A backslash escapes the delimiter too.
                end += text.charAt(end) == '\\' && end + 1 < text.length() ? 2 : 1;
            }
            String written = text.substring(start, end);
            fields.add(written.equals(format.nullString()) ? null : unescape(written));
            if (end >= text.length()) {
                return fields;
            }
            start = end + 1;
        }
    }

    private String unescape(String written) {
        if (written.indexOf('\\') < 0) {
            return written;
        }
        StringBuilder value = new StringBuilder(written.length());
        for (int i = 0; i < written.length(); i++) {
            char c = written.charAt(i);
            if (c != '\\') {
                value.append(c);
                continue;
            }
            if (++i >= written.length()) {
                throw error("end of line after a backslash");
            }
            char escaped = written.charAt(i);
            switch (escaped) {
                case 'b' -> value.append('\b');
                case 'f' -> value.append('\f');
                case 'n' -> value.append('\n');
                case 'r' -> value.append('\r');
                case 't' -> value.append('\t');
                case 'v' -> value.append('\u000b');
                case 'x' -> {
                    int digits = 0;
                    int code = 0;
                    while (digits < 2 && i + 1 < written.length() && Character.digit(written.charAt(i + 1), 16) >= 0) {
                        code = code * 16 + Character.digit(written.charAt(++i), 16);
                        digits++;
                    }
                    if (digits == 0) {
                        value.append('x');
                    } else {
                        value.append((char) code);
                    }
                }
                default -> {
                    if (escaped >= '0' && escaped <= '7') {
                        int code = escaped - '0';
                        int digits = 1;
                        while (digits < 3 && i + 1 < written.length() && written.charAt(i + 1) >= '0' && written.charAt(i + 1) <= '7') {
                            code = code * 8 + written.charAt(++i) - '0';
                            digits++;
                        }
                        value.append((char) (code & 0xff));
                    } else {
                        value.append(escaped);
                    }
                }
            }
        }
        return value.toString();
    }

    private List<String> csvFields(String text) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean inside = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inside) {
                if (c == format.escape() && format.escape() != format.quote() && i + 1 < text.length()
                        && (text.charAt(i + 1) == format.quote() || text.charAt(i + 1) == format.escape())) {
                    field.append(text.charAt(++i));
                } else if (c == format.quote()) {
                    if (i + 1 < text.length() && text.charAt(i + 1) == format.quote()) {
                        field.append(c);
                        i++;
                    } else {
                        inside = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == format.quote()) {
                inside = true;
                quoted = true;
            } else if (c == format.delimiter()) {
                fields.add(csvValue(field, quoted));
                field.setLength(0);
                quoted = false;
            } else {
                field.append(c);
            }
        }
        fields.add(csvValue(field, quoted));
        return fields;
    }

    private String csvValue(StringBuilder field, boolean quoted) {
        String value = field.toString();
        return !quoted && value.equals(format.nullString()) ? null : value;
    }

    private SluiceException invalidEncoding() {
        return SluiceException.of(ErrorCode.CHARACTER_NOT_IN_REPERTOIRE, "invalid byte sequence for encoding \"UTF8\"")
                .withDetail("COPY data, line " + line + ".");
    }

    private SluiceException error(String message) {
        return new SluiceException(ErrorCode.BAD_COPY_FILE_FORMAT, message).withDetail("COPY data, line " + recordLine + ".");
    }
}
