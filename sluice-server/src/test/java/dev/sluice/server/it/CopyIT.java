package dev.sluice.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.util.PSQLException;

/**
 * {@code COPY … FROM STDIN} and {@code COPY … TO STDOUT} through pgJDBC's {@link CopyManager} and
 * psql's {@code \copy}: text and CSV, column lists and defaults, errors that name the line and
 * column and write nothing, COPY in a transaction, a sink that gets the copied rows in one
 * transaction, and what COPY TO writes read back by COPY FROM.
 */
class CopyIT {
    private static final Path PSQL = Path.of("/usr/bin/psql");

    private static CopyManager copy(Connection connection) throws SQLException {
        return connection.unwrap(PGConnection.class).getCopyAPI();
    }

    private static List<List<String>> query(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            return SqlRows.query(statement, sql);
        }
    }

    private static void assertCopyFails(Connection connection, String sql, String data, String sqlState, String message, String detail) {
        assertThatThrownBy(() -> copy(connection).copyIn(sql, new StringReader(data))).as(sql).isInstanceOfSatisfying(PSQLException.class, e -> {
            assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(sqlState);
            assertThat(e.getServerErrorMessage().getMessage()).isEqualTo(message);
            if (detail != null) {
                assertThat(e.getServerErrorMessage().getDetail()).isEqualTo(detail);
            }
        });
    }

    @Test
    void textAndCsvRowsAreInsertedWithDefaultsAndNulls() throws Exception {
        String table = SinkTestKit.unique("copied");
        try (Connection connection = SinkTestKit.server().connect()) {
            SinkTestKit.execute(connection, "CREATE TABLE " + table + " (id int PRIMARY KEY, name text, price numeric(6,2) DEFAULT 9.99, "
                    + "tags text[], at timestamp)");
            long copied = copy(connection).copyIn("COPY " + table + " FROM STDIN",
                    new StringReader("1\tapple\t1.50\t{a,b}\t2024-01-01 10:00:00\n2\t\\N\t\\N\t\\N\t\\N\n3\ttab\\there\t0\t{}\t2024-02-29 23:59:59.5\n"));
            assertThat(copied).isEqualTo(3);
            copied = copy(connection).copyIn("COPY " + table + " (name, id) FROM STDIN WITH (FORMAT csv, HEADER)",
                    new StringReader("name,id\n\"comma, and \"\"quotes\"\"\",4\n,5\n\"\",6\n"));
            assertThat(copied).isEqualTo(3);
            assertThat(query(connection, "SELECT id, name, price, tags, at FROM " + table + " ORDER BY id")).containsExactly(
                    List.of("1", "apple", "1.50", "{a,b}", "2024-01-01 10:00:00"),
                    java.util.Arrays.asList("2", null, null, null, null),
                    List.of("3", "tab\there", "0.00", "{}", "2024-02-29 23:59:59.5"),
                    java.util.Arrays.asList("4", "comma, and \"quotes\"", "9.99", null, null),
                    java.util.Arrays.asList("5", null, "9.99", null, null),
                    java.util.Arrays.asList("6", "", "9.99", null, null));
        }
    }

    @Test
    void copyToStdoutWritesTablesAndQueriesThatCopyFromReadsBack() throws Exception {
        String table = SinkTestKit.unique("copy_out");
        try (Connection connection = SinkTestKit.server().connect()) {
            SinkTestKit.execute(connection, "CREATE TABLE " + table + " (id int PRIMARY KEY, name text, amount numeric(6,2), tags text[])",
                    "INSERT INTO " + table + " VALUES (1, E'tab\\there', 1.50, '{a,b}'), (2, NULL, NULL, NULL), (3, 'comma, \"q\"', 0, '{}')",
                    "CREATE TABLE " + table + "_copy (id int PRIMARY KEY, name text, amount numeric(6,2), tags text[])");
            StringWriter text = new StringWriter();
            assertThat(copy(connection).copyOut("COPY " + table + " TO STDOUT", text)).isEqualTo(3);
            assertThat(text.toString().lines().sorted().toList()).containsExactly("1\ttab\\there\t1.50\t{a,b}", "2\t\\N\t\\N\t\\N",
                    "3\tcomma, \"q\"\t0.00\t{}");
            StringWriter csv = new StringWriter();
            assertThat(copy(connection).copyOut("COPY (SELECT id, name FROM " + table + " WHERE id > 1 ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)",
                    csv)).as("rows, not counting the header").isEqualTo(2);
            assertThat(csv.toString()).isEqualTo("id,name\n2,\n3,\"comma, \"\"q\"\"\"\n");
            assertThat(copy(connection).copyIn("COPY " + table + "_copy FROM STDIN", new StringReader(text.toString()))).isEqualTo(3);
            assertThat(query(connection, "SELECT * FROM " + table + "_copy ORDER BY id"))
                    .isEqualTo(query(connection, "SELECT * FROM " + table + " ORDER BY id"));
            assertThatThrownBy(() -> copy(connection).copyOut("COPY " + table + " (nosuch) TO STDOUT", new StringWriter()))
                    .isInstanceOfSatisfying(PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42703"));
        }
    }

    @Test
    void aBadRowFailsTheWholeCopyNamingItsLineAndColumn() throws Exception {
        String table = SinkTestKit.unique("copy_errors");
        try (Connection connection = SinkTestKit.server().connect()) {
            SinkTestKit.execute(connection, "CREATE TABLE " + table + " (id int PRIMARY KEY, name text NOT NULL)");
            String copySql = "COPY " + table + " FROM STDIN";
            assertCopyFails(connection, copySql, "1\ta\nx\tb\n", "22P02", "invalid input syntax for type integer: \"x\"",
                    "COPY " + table + ", line 2, column id: \"x\".");
            assertCopyFails(connection, copySql, "1\ta\n2\n", "22P04", "missing data for column \"name\"", "COPY " + table + ", line 2.");
            assertCopyFails(connection, copySql, "1\ta\tb\n", "22P04", "extra data after last expected column", "COPY " + table + ", line 1.");
            assertCopyFails(connection, copySql, "1\ta\n1\tb\n", "23505", "duplicate key value violates unique constraint \"" + table + "_pkey\"", null);
            assertCopyFails(connection, copySql, "1\t\\N\n", "23502", "null value in column \"name\" violates not-null constraint", null);
            assertCopyFails(connection, "COPY " + table + " (nosuch) FROM STDIN", "", "42703",
                    "column \"nosuch\" of relation \"" + table + "\" does not exist", null);
            assertCopyFails(connection, copySql + " WITH (FORMAT binary)", "", "0A000", "COPY in binary format is not supported yet", null);
            assertThat(query(connection, "SELECT count(*) FROM " + table)).as("nothing of a failed COPY is written").containsExactly(List.of("0"));

            // The client gives up mid-copy (pgJDBC sends CopyFail and rethrows its reader's failure): nothing written, the connection works.
            Reader failing = new Reader() {
                private boolean sent;

                @Override
                public int read(char[] buffer, int offset, int length) throws IOException {
                    if (!sent) {
                        sent = true;
                        "7\tseven\n".getChars(0, 8, buffer, offset);
                        return 8;
                    }
                    throw new IOException("disk on fire");
                }

                @Override
                public void close() {
                }
            };
            assertThatThrownBy(() -> copy(connection).copyIn(copySql, failing)).isInstanceOf(IOException.class).hasMessage("disk on fire");
            assertThat(query(connection, "SELECT count(*) FROM " + table)).containsExactly(List.of("0"));

            // Through the extended protocol (a prepared statement) COPY is refused, as it needs the simple query's copy mode.
            assertThatThrownBy(() -> connection.prepareStatement(copySql).execute()).isInstanceOfSatisfying(PSQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("0A000"));
            assertThat(query(connection, "SELECT 1")).containsExactly(List.of("1"));
        }
    }

    @Test
    void aCopyInATransactionCommitsOrRollsBackWithIt() throws Exception {
        String table = SinkTestKit.unique("copy_tx");
        try (Connection connection = SinkTestKit.server().connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + table + " (id int PRIMARY KEY)");
            connection.setAutoCommit(false);
            copy(connection).copyIn("COPY " + table + " FROM STDIN", new StringReader("1\n2\n"));
            connection.rollback();
            copy(connection).copyIn("COPY " + table + " FROM STDIN", new StringReader("3\n"));
            statement.execute("INSERT INTO " + table + " VALUES (4)");
            connection.commit();
            connection.setAutoCommit(true);
            assertThat(query(connection, "SELECT id FROM " + table + " ORDER BY id")).containsExactly(List.of("3"), List.of("4"));
            // A failed COPY fails the transaction around it.
            connection.setAutoCommit(false);
            assertCopyFails(connection, "COPY " + table + " FROM STDIN", "x\n", "22P02", "invalid input syntax for type integer: \"x\"", null);
            assertThatThrownBy(() -> statement.execute("SELECT 1")).isInstanceOfSatisfying(PSQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("25P02"));
            connection.rollback();
            connection.setAutoCommit(true);
        }
    }

    @Test
    void aSinkGetsTheCopiedRowsAtOneTimestamp() throws Exception {
        String table = SinkTestKit.unique("copy_sink");
        try (Connection connection = SinkTestKit.server().connect()) {
            SinkTestKit.execute(connection, "CREATE TABLE " + table + " (id int PRIMARY KEY, v text)",
                    "CREATE SINK " + table + "_sink FROM " + table + " INTO KAFKA CONNECTION kafka (TOPIC '" + table + "') KEY (id) "
                            + "FORMAT JSON ENVELOPE UPSERT");
            StringBuilder data = new StringBuilder();
            for (int i = 0; i < 5000; i++) {
                data.append(i).append(",value ").append(i).append('\n');
            }
            assertThat(copy(connection).copyIn("COPY " + table + " FROM STDIN (FORMAT csv)", new StringReader(data.toString()))).isEqualTo(5000);
            List<SinkTestKit.Record> records = SinkTestKit.awaitExactly(connection, table + "_sink", table, 5000);
            assertThat(records).extracting(SinkTestKit.Record::timestamp).as("one COPY is one write").containsOnly(records.get(0).timestamp());
            assertThat(records).extracting(SinkTestKit.Record::keyText).doesNotHaveDuplicates();
            SinkTestKit.execute(connection, "DROP SINK " + table + "_sink");
        }
    }

    @Test
    void psqlCopiesAFileInAndATableOut() throws Exception {
        if (!Files.isExecutable(PSQL)) {
            String message = "psql is not installed (apt-get install postgresql-client)";
            if ("1".equals(System.getenv("SLUICE_REQUIRE_PEERS"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        String table = SinkTestKit.unique("copy_psql");
        Path file = Files.createTempFile("sluice-copy", ".csv");
        Path out = Files.createTempFile("sluice-copy-out", ".csv");
        Files.writeString(file, "id,name\n1,Zoë\n2,\"Smith, J.\"\n", StandardCharsets.UTF_8);
        try (Connection connection = SinkTestKit.server().connect()) {
            SinkTestKit.execute(connection, "CREATE TABLE " + table + " (id int PRIMARY KEY, name text)");
            assertThat(psql("\\copy " + table + " from '" + file + "' with (format csv, header)")).isEqualTo("COPY 2");
            assertThat(query(connection, "SELECT id, name FROM " + table + " ORDER BY id")).containsExactly(List.of("1", "Zoë"), List.of("2", "Smith, J."));
            assertThat(psql("\\copy (SELECT * FROM " + table + " ORDER BY id) to '" + out + "' with (format csv, header)")).isEqualTo("COPY 2");
            assertThat(Files.readString(out, StandardCharsets.UTF_8)).isEqualTo("id,name\n1,Zoë\n2,\"Smith, J.\"\n");
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(out);
        }
    }


    /** Runs one psql command against the test server; returns what psql printed, which must be without error. */
    private static String psql(String command) throws Exception {
        Process process = new ProcessBuilder(PSQL.toString(), "-X", "-h", "127.0.0.1", "-p", Integer.toString(SinkTestKit.server().port()),
                "-U", "materialize", "-d", "materialize", "-v", "ON_ERROR_STOP=1", "-c", command).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return output.strip();
    }
}
