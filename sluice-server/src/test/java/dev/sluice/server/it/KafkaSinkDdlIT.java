package dev.sluice.server.it;

import static dev.sluice.server.it.SinkTestKit.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.junit.jupiter.api.extension.ExtendWith;

/** CREATE SINK's grammar and every validation of reference §2.4.1 (Avro aside), with exact texts and SQLSTATEs; SHOW and DROP. */
@ExtendWith(DropSinksAfterEach.class)
class KafkaSinkDdlIT {
    private static String table;

    @BeforeAll
    static void tables() throws Exception {
        table = SinkTestKit.unique("ddl");
        try (Connection connection = SinkTestKit.server().connect()) {
            execute(connection, "CREATE TABLE " + table + " (a int, b text, m map[text=>text], l int list)",
                    "CREATE TABLE " + table + "_pk (id int PRIMARY KEY, c2 int, v text)",
                    "CREATE TABLE " + table + "_one (d date)");
        }
    }

    private static ServerErrorMessage error(String sql) throws Exception {
        try (Connection connection = SinkTestKit.server().connect(); Statement statement = connection.createStatement()) {
            PSQLException error = catchThrowableOfType(PSQLException.class, () -> statement.execute(sql));
            assertThat((Object) error).as("error for %s", sql).isNotNull();
            return error.getServerErrorMessage();
        }
    }

    private static void assertError(String sql, String message, String sqlState) throws Exception {
        ServerErrorMessage error = error(sql);
        assertThat(error.getMessage()).as(sql).isEqualTo(message);
        assertThat(error.getSQLState()).as("SQLSTATE of %s", sql).isEqualTo(sqlState);
    }

    private static String sink(String from, String options, String rest) {
        return "CREATE SINK s FROM " + from + " INTO KAFKA CONNECTION kafka (TOPIC 't'" + options + ") " + rest;
    }

    @Test
    void planningErrorsUseTheReferenceTextsAndSqlStates() throws Exception {
        String debezium = "FORMAT JSON ENVELOPE DEBEZIUM";
        assertError("CREATE SINK FROM " + table + " INTO KAFKA CONNECTION kafka (TOPIC 't') " + debezium, "unspecified name for sink", "42601");
        assertError(sink(table, "", "FORMAT JSON"), "ENVELOPE clause is required", "42601");
        assertError(sink(table, "", "FORMAT JSON MODE UPSERT"), "MODE is not supported for Kafka sinks, use ENVELOPE instead", "0A000");
        assertError(sink("mz_catalog.mz_sinks", "", debezium), "creating a sink directly on a catalog object not yet supported", "0A000");
        assertError(sink(table, "", "KEY (a, a) " + debezium), "duplicate column referenced in KEY: a", "42701");
        assertError(sink(table, "", "KEY (nope) " + debezium), "column referenced in KEY does not exist: nope", "42703");
        assertError(sink(table, "", "FORMAT JSON ENVELOPE UPSERT"), "upsert sinks must specify a key", "22023");
        assertError(sink(table, "", "HEADERS m " + debezium), "HEADERS option is not supported with ENVELOPE DEBEZIUM", "0A000");
        assertError(sink(table, "", "KEY (a) NOT ENFORCED HEADERS nope FORMAT JSON ENVELOPE UPSERT"), "HEADERS column (nope) is unknown", "42703");
        assertError(sink(table, "", "KEY (a) NOT ENFORCED HEADERS b FORMAT JSON ENVELOPE UPSERT"),
                "HEADERS column must have type map[text => text] or map[text => bytea]", "42804");
        assertError(sink(table, "", debezium + " WITH (VERSION = 1)"), "CREATE SINK...WITH (VERSION..) is not allowed", "0A000");
        assertError(sink(table, "", debezium + " WITH (COMMIT INTERVAL = '1s')"), "COMMIT INTERVAL option is not supported with KAFKA sinks", "0A000");
        assertError("CREATE SINK s FROM " + table + " INTO KAFKA CONNECTION " + table + " (TOPIC 't') " + debezium,
                "materialize.public." + table + " is not a kafka connection", "42809");
        assertError("CREATE SINK s FROM " + table + " INTO KAFKA CONNECTION kafka " + debezium, "KAFKA CONNECTION must specify TOPIC", "22023");
        assertError(sink(table, ", COMPRESSION TYPE 'brotli'", debezium), "invalid COMPRESSION TYPE: brotli", "22023");
        assertError(sink(table, ", COMPRESSION TYPE 1", debezium), "compression type must be a string", "22023");
        assertError(sink(table, ", TOPIC PARTITION COUNT 0", debezium), "TOPIC PARTITION COUNT must be a positive integer", "22023");
        assertError(sink(table, ", TOPIC REPLICATION FACTOR -1", debezium), "TOPIC REPLICATION FACTOR must be a positive integer", "22023");
        assertError(sink(table, ", TOPIC PARTITION COUNT 'x'", debezium), "invalid TOPIC PARTITION COUNT: cannot use value as number", "22023");
        assertError(sink(table, ", TOPIC CONFIG 'x'", debezium), "invalid TOPIC CONFIG: cannot use value as map", "22023");
        assertError(sink(table, ", TOPIC CONFIG MAP['a' => 1]", debezium), "invalid TOPIC CONFIG: cannot use value as string", "22023");
        assertError(sink(table, ", TOPIC METADATA REFRESH INTERVAL '2 hours'", debezium),
                "TOPIC METADATA REFRESH INTERVAL cannot be greater than 1 hour", "22023");
        assertError(sink(table, ", LEGACY IDS", debezium), "LEGACY IDs option is not supported", "0A000");
        assertError(sink(table, ", TOPIC 'u'", debezium), "TOPIC specified more than once", "22023");
        assertError(sink(table, ", PARTITION BY = noexist", debezium), "column \"noexist\" does not exist", "42703");
        assertError(sink(table + "_one", ", PARTITION BY = d", "KEY (d) NOT ENFORCED FORMAT JSON ENVELOPE UPSERT"),
                "PARTITION BY does not support casting from date to uint8", "42804");
        ServerErrorMessage nonKey = error(sink(table, ", PARTITION BY = b", "KEY (a) " + debezium));
        assertThat(nonKey.getMessage()).isEqualTo("PARTITION BY expression cannot refer to non-key column \"b\"");
        assertThat(nonKey.getDetail()).isEqualTo("When using ENVELOPE DEBEZIUM, only columns in the key can be referenced in the PARTITION BY expression.");
        assertError(sink(table, "", "ENVELOPE DEBEZIUM"), "sink without format not yet supported", "0A000");
        assertError(sink(table, "", "FORMAT JSON ARRAY ENVELOPE DEBEZIUM"), "JSON ARRAY format in sinks not yet supported", "0A000");
        assertError(sink(table, "", "FORMAT TEXT ENVELOPE DEBEZIUM"), "BYTES or TEXT format with multiple columns not yet supported", "0A000");
        assertError(sink(table, "", "KEY (a, b) KEY FORMAT BYTES VALUE FORMAT JSON ENVELOPE DEBEZIUM"),
                "BYTES or TEXT format with multiple columns not yet supported", "0A000");
        assertError(sink(table, "", "KEY (l) KEY FORMAT BYTES VALUE FORMAT JSON ENVELOPE DEBEZIUM"),
                "BYTES format with non-encodable type: integer list not yet supported", "0A000");
        assertError(sink(table, "", debezium + " WITH (SIZE = '1')"), "Expected one of PARTITION or SNAPSHOT or VERSION or COMMIT, found identifier \"size\"",
                "42601");
        assertError("CREATE SINK s IN CLUSTER other FROM " + table + " INTO KAFKA CONNECTION kafka (TOPIC 't') " + debezium,
                "unknown cluster 'other'", "42704");
        assertError("CREATE SINK s FROM " + table + " INTO KAFKA CONNECTION kafka (TOPIC 't') KEY a " + debezium, "Expected left parenthesis, found identifier \"a\"",
                "42601");
    }

    @Test
    void upsertKeyValidationExplainsWhichKeysAreKnownUnique() throws Exception {
        ServerErrorMessage none = error(sink(table, "", "KEY (a) FORMAT JSON ENVELOPE UPSERT"));
        assertThat(none.getMessage()).isEqualTo("upsert key could not be validated as unique");
        assertThat(none.getSQLState()).isEqualTo("22023");
        assertThat(none.getDetail()).isEqualTo("Materialize could not prove that the specified upsert envelope key (\"a\") was a unique key of the "
                + "underlying relation \"materialize.public." + table + "\". There are no known valid unique keys for the underlying relation.");
        assertThat(none.getHint()).isEqualTo("See: https://materialize.com/s/sink-key-selection");
        ServerErrorMessage known = error(sink(table + "_pk", "", "KEY (c2, v) FORMAT JSON ENVELOPE UPSERT"));
        assertThat(known.getDetail()).isEqualTo("Materialize could not prove that the specified upsert envelope key (\"c2\", \"v\") was a unique key of "
                + "the underlying relation \"materialize.public." + table + "_pk\". The following keys are known to be unique for the underlying "
                + "relation:\n  (\"id\")");
        try (Connection connection = SinkTestKit.server().connect(); Statement statement = connection.createStatement()) {
            // A superset of the primary key is a valid upsert key; NOT ENFORCED accepts any key with a notice; Debezium never validates.
            statement.execute(sink(table + "_pk", "", "KEY (v, id) FORMAT JSON ENVELOPE UPSERT").replace("SINK s ", "SINK " + table + "_superkey "));
            assertThat((Object) statement.getWarnings()).isNull();
            statement.execute(sink(table, "", "KEY (a) NOT ENFORCED FORMAT JSON ENVELOPE UPSERT").replace("SINK s ", "SINK " + table + "_ne "));
            SQLWarning warning = statement.getWarnings();
            assertThat(warning == null ? null : warning.getMessage()).isEqualTo("upsert key not validated to be unique");
            assertThat(((org.postgresql.util.PSQLWarning) warning).getServerErrorMessage().getDetail()).contains("Multiple updates with the same key "
                    + "at the same time may be produced");
            statement.clearWarnings();
            statement.execute(sink(table, "", "KEY (a) NOT ENFORCED FORMAT JSON ENVELOPE DEBEZIUM").replace("SINK s ", "SINK " + table + "_dbz "));
            assertThat((Object) statement.getWarnings()).isNull();
            execute(connection, "DROP SINK " + table + "_superkey", "DROP SINK " + table + "_ne", "DROP SINK " + table + "_dbz");
        }
    }

    @Test
    void wholeGrammarIsAcceptedShownAndDroppedWithoutTouchingKafka() throws Exception {
        String name = SinkTestKit.unique("grammar");
        String create = "CREATE SINK IF NOT EXISTS " + name + " IN CLUSTER quickstart FROM " + table + "_pk INTO KAFKA CONNECTION kafka ("
                + "TOPIC = '" + name + "', COMPRESSION TYPE = 'GZIP', TRANSACTIONAL ID PREFIX = 'tx-', PROGRESS GROUP ID PREFIX = 'grp-', "
                + "TOPIC PARTITION COUNT = 2, TOPIC REPLICATION FACTOR = 1, TOPIC CONFIG = MAP['retention.ms' => '86400000'], "
                + "TOPIC METADATA REFRESH INTERVAL = '10 seconds', PARTITION BY = id % 2) KEY (id) NOT ENFORCED KEY FORMAT TEXT VALUE FORMAT JSON "
                + "ENVELOPE UPSERT WITH (SNAPSHOT)";
        String canonical = create.replace("CREATE SINK IF NOT EXISTS " + name + " IN CLUSTER quickstart FROM " + table + "_pk INTO KAFKA CONNECTION kafka (",
                "CREATE SINK \"materialize\".\"public\".\"" + name + "\" IN CLUSTER \"quickstart\" FROM \"materialize\".\"public\".\"" + table
                        + "_pk\" INTO KAFKA CONNECTION \"materialize\".\"public\".\"kafka\" (").replace("KEY (id)", "KEY (\"id\")");
        try (Connection connection = SinkTestKit.server().connect(); Statement statement = connection.createStatement(); Admin admin = SinkTestKit.admin()) {
            execute(connection, "INSERT INTO " + table + "_pk VALUES (1, 1, 'x')");
            statement.execute(create);
            statement.execute(create);
            SQLWarning exists = statement.getWarnings();
            assertThat((Object) exists).isNotNull();
            List<String> notices = new ArrayList<>();
            for (SQLWarning warning = exists; warning != null; warning = warning.getNextWarning()) {
                notices.add(warning.getMessage());
            }
            assertThat(notices).contains("sink \"" + name + "\" already exists, skipping");
            assertError(create.replace("IF NOT EXISTS ", ""), "sink \"materialize.public." + name + "\" already exists", "42710");
            assertThat(SinkTestKit.awaitCount(name, 1)).singleElement().satisfies(record -> {
                assertThat(record.keyText()).isEqualTo("1");
                assertThat(record.partition()).isEqualTo(1);
            });
            List<String> shown = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SHOW SINKS")) {
                while (rows.next()) {
                    if (rows.getString(1).equals(name)) {
                        shown.add(rows.getString(1) + "|" + rows.getString(2) + "|" + rows.getString(3));
                    }
                }
            }
            assertThat(shown).containsExactly(name + "|kafka|quickstart");
            try (ResultSet rows = statement.executeQuery("SHOW CREATE SINK " + name)) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("materialize.public." + name);
                assertThat(rows.getString(2)).as("the canonical form: names qualified and quoted, the cluster named, no IF NOT EXISTS").isEqualTo(canonical);
            }
            SinkTestKit.awaitNextProgress(connection, name);
            String progressTopic = SinkTestKit.progressTopic(connection, name);
            String sinkId = SinkTestKit.sinkId(connection, name);
            int progressBefore = SinkTestKit.progressRecords(connection, name).size();
            statement.execute("DROP SINK " + name);
            statement.execute("DROP SINK IF EXISTS " + name);
            assertError("DROP SINK " + name, "unknown catalog item '" + name + "'", "42704");
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(name, progressTopic);
            assertThat(SinkTestKit.readCommitted(name)).hasSize(1);
            long kept = SinkTestKit.readCommitted(progressTopic).stream().filter(record -> ("mz-sink-" + sinkId).equals(record.keyText())).count();
            assertThat(kept).as("progress records stay, no tombstone").isGreaterThanOrEqualTo(progressBefore);
            assertThat(SinkTestKit.readCommitted(progressTopic).stream().filter(record -> ("mz-sink-" + sinkId).equals(record.keyText()))
                    .allMatch(record -> record.value() != null)).isTrue();

            // What SHOW CREATE SINK shows creates the same sink again.
            statement.execute(canonical);
            assertThat(SinkTestKit.queryText(connection, "SELECT create_sql FROM mz_catalog.mz_sinks WHERE name = '" + name + "'")).isEqualTo(canonical);
            assertThat(SinkTestKit.queryText(connection, "SELECT format || ' ' || envelope_type FROM mz_catalog.mz_sinks WHERE name = '" + name + "'"))
                    .isEqualTo("key-text-value-json upsert");
            statement.execute("DROP SINK " + name);
        }
    }
}
