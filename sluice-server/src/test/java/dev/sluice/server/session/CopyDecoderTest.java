package dev.sluice.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.sql.ast.Statement;
import dev.sluice.sql.parser.StatementParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CopyDecoderTest {
    private static CopyFormat format(String options) {
        return CopyFormat.of(((Statement.CopyFrom) StatementParser.parse("COPY t FROM STDIN " + options)).options());
    }

    /** The rows of {@code data} fed in slices of {@code slice} bytes (so rows and characters split between messages). */
    private static List<List<String>> decode(CopyFormat format, String data, int slice) {
        List<List<String>> rows = new ArrayList<>();
        CopyDecoder decoder = new CopyDecoder(format, (fields, line) -> rows.add(fields));
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += slice) {
            decoder.feed(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + slice)));
        }
        decoder.finish();
        return rows;
    }

    private static List<List<String>> decodeEveryWay(CopyFormat format, String data) {
        List<List<String>> whole = decode(format, data, Integer.MAX_VALUE);
        for (int slice = 1; slice <= 4; slice++) {
            assertThat(decode(format, data, slice)).as("fed %d bytes at a time", slice).isEqualTo(whole);
        }
        return whole;
    }

    private static List<String> row(String... fields) {
        return Arrays.asList(fields);
    }

    @Test
    void textFormatSplitsOnTabsUndoesEscapesAndReadsBackslashNAsNull() {
        assertThat(decodeEveryWay(format(""), "1\tapple\n2\t\\N\n3\ta\\tb\\\\c\\nd\\101\\x41\\q\r\n4\tgrüße\r5\t\n")).containsExactly(
                row("1", "apple"), row("2", null), row("3", "a\tb\\c\nd" + "AAq"), row("4", "grüße"), row("5", ""));
        assertThat(decodeEveryWay(format(""), "1\tno newline at the end")).containsExactly(row("1", "no newline at the end"));
        assertThat(decodeEveryWay(format(""), "1\tx\n\\.\nignored\tafter the end marker\n")).containsExactly(row("1", "x"));
        assertThat(decodeEveryWay(format("WITH (DELIMITER '|', NULL '')"), "1||\\N\n")).containsExactly(row("1", null, "N"));
        assertThat(decodeEveryWay(format("WITH (FORMAT text, HEADER)"), "id\tname\n1\tx\n")).containsExactly(row("1", "x"));
        assertThat(decodeEveryWay(format(""), "a\\|b\t\\x\t\\7\n")).as("a lone \\x is an x; short octal").containsExactly(row("a|b", "x", "\u0007"));
        assertThat(decodeEveryWay(format(""), "\\303\\251t\\xc3\\xa9\n")).as("escapes are bytes of UTF-8").containsExactly(row("été"));
        assertThatThrownBy(() -> decode(format(""), "\\x80\n", 100)).isInstanceOfSatisfying(SluiceException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CHARACTER_NOT_IN_REPERTOIRE));
    }

    @Test
    void csvQuotesHoldDelimitersLineBreaksAndQuotesAndOnlyUnquotedEmptyIsNull() {
        CopyFormat csv = format("WITH (FORMAT csv, HEADER true)");
        assertThat(decodeEveryWay(csv, "id,name,note\n1,\"a,b\",\"say \"\"hi\"\"\"\n2,,\"\"\n3,\"two\nlines\",x\r\n")).containsExactly(
                row("1", "a,b", "say \"hi\""), row("2", null, ""), row("3", "two\nlines", "x"));
        assertThat(decodeEveryWay(format("CSV"), "1,\\N\n")).as("\\N is text in CSV").containsExactly(row("1", "\\N"));
        assertThat(decodeEveryWay(format("WITH (FORMAT csv, QUOTE '''', ESCAPE '\\', DELIMITER ';', NULL 'NULL')"),
                "1;'it\\'s';NULL;'NULL'\n")).containsExactly(row("1", "it's", null, "NULL"));
        assertThat(decodeEveryWay(format("CSV HEADER DELIMITER AS '|'"), "h\n1|x\n")).containsExactly(row("1", "x"));
    }

    @Test
    void whatCopyToWritesCopyFromReadsBackInEitherFormat() {
        List<String> tricky = Arrays.asList("plain", null, "", "tab\there", "new\nline", "cr\rhere", "back\\slash", "comma, \"quoted\"", "\\.",
                "\\N", "grüße");
        List<String> second = List.of("second", "row", "", "", "", "", "", "", "", "", "");
        for (String options : List.of("", "WITH (FORMAT csv)", "WITH (FORMAT csv, NULL 'NULL', QUOTE '''', ESCAPE '\\')",
                "WITH (DELIMITER '|', NULL 'nil')")) {
            CopyFormat format = format(options);
            String data = format.line(tricky) + format.line(second);
            assertThat(decodeEveryWay(format, data)).as(options + ": " + data).containsExactly(tricky, second);
        }
        assertThat(format("").line(Arrays.asList("a\tb", null, "c\\d"))).isEqualTo("a\\tb\t\\N\tc\\\\d\n");
        assertThat(format("CSV").line(Arrays.asList("a,b", null, "", "say \"hi\""))).isEqualTo("\"a,b\",,\"\",\"say \"\"hi\"\"\"\n");
    }

    @Test
    void badDataAndOptionsFailClearly() {
        assertThatThrownBy(() -> decode(format("CSV"), "1,\"open\n", 100)).isInstanceOfSatisfying(SluiceException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_COPY_FILE_FORMAT);
            assertThat(e.getMessage()).isEqualTo("unterminated CSV quoted field");
        });
        assertThatThrownBy(() -> new CopyDecoder(format(""), (fields, line) -> { }).feed(new byte[] {'1', '\t', (byte) 0xff, '\n'}))
                .isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CHARACTER_NOT_IN_REPERTOIRE));
        assertThatThrownBy(() -> format("WITH (FORMAT binary)")).hasMessage("COPY in binary format is not supported yet");
        assertThatThrownBy(() -> format("WITH (FORMAT json)")).hasMessage("COPY format \"json\" not recognized");
        assertThatThrownBy(() -> format("WITH (DELIMITER 'ab')")).hasMessage("COPY delimiter must be a single one-byte character");
        assertThatThrownBy(() -> format("WITH (QUOTE '\"')")).hasMessage("COPY QUOTE requires CSV mode");
        assertThatThrownBy(() -> format("WITH (FORMAT csv, FORMAT text)")).hasMessage("conflicting or redundant options");
        assertThatThrownBy(() -> format("WITH (FREEZE)")).hasMessage("COPY option FREEZE is not supported yet");
    }
}
