package dev.sluice.server.session;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
    /** Receives each row: its fields, and the line it starts on (from 1). */
    @FunctionalInterface
    interface Rows {
        void row(List<String> fields, long line);
    }

    private final CopyFormat format;
    private final Rows rows;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    /** Decodes an escaped field's bytes; one per decoder rather than one per field. */
    private final CharsetDecoder fieldUtf8 = StandardCharsets.UTF_8.newDecoder()
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

    CopyDecoder(CopyFormat format, Rows rows) {
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

    /**
     * The field with its backslash escapes undone. Octal and hex escapes are bytes, as in PostgreSQL: the field's bytes
     * (the UTF-8 of its characters and the escaped bytes) must be valid UTF-8 ({@code \303\251} is é).
     */
    private String unescape(String written) {
        if (written.indexOf('\\') < 0) {
            return written;
        }
        java.io.ByteArrayOutputStream value = new java.io.ByteArrayOutputStream(written.length());
        int plain = 0;
        for (int i = 0; i < written.length(); i++) {
            if (written.charAt(i) != '\\') {
                continue;
            }
            value.writeBytes(written.substring(plain, i).getBytes(StandardCharsets.UTF_8));
            if (++i >= written.length()) {
                throw error("end of line after a backslash");
            }
            char escaped = written.charAt(i);
            switch (escaped) {
                case 'b' -> value.write('\b');
                case 'f' -> value.write('\f');
                case 'n' -> value.write('\n');
                case 'r' -> value.write('\r');
                case 't' -> value.write('\t');
                case 'v' -> value.write(0x0b);
                case 'x' -> {
                    int digits = 0;
                    int code = 0;
                    while (digits < 2 && i + 1 < written.length() && Character.digit(written.charAt(i + 1), 16) >= 0) {
                        code = code * 16 + Character.digit(written.charAt(++i), 16);
                        digits++;
                    }
                    value.write(digits == 0 ? 'x' : code);
                }
                default -> {
                    if (escaped >= '0' && escaped <= '7') {
                        int code = escaped - '0';
                        int digits = 1;
                        while (digits < 3 && i + 1 < written.length() && written.charAt(i + 1) >= '0' && written.charAt(i + 1) <= '7') {
                            code = code * 8 + written.charAt(++i) - '0';
                            digits++;
                        }
                        value.write(code & 0xff);
                    } else {
                        value.writeBytes(String.valueOf(escaped).getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
            plain = i + 1;
        }
        value.writeBytes(written.substring(plain).getBytes(StandardCharsets.UTF_8));
        try {
            return fieldUtf8.decode(ByteBuffer.wrap(value.toByteArray())).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw invalidEncoding();
        }
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
