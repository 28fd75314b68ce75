package dev.sluice.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.server.SluiceServer;
import dev.sluice.server.ServerConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CREATE SINK … FORMAT AVRO planning errors with the reference's messages (§2.4.1 item 11), and
 * COMMENT ON as a catalog object. Planning fails before anything external is contacted, so neither
 * a broker nor a registry is needed here.
 */
class AvroSinkPlanningIT {
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer("127.0.0.1:1");
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE CONNECTION kafka_conn TO KAFKA (BROKER '127.0.0.1:1', SECURITY PROTOCOL PLAINTEXT) WITH (VALIDATE = false)");
            statement.execute("CREATE CONNECTION csr_conn TO CONFLUENT SCHEMA REGISTRY (URL 'http://127.0.0.1:1') WITH (VALIDATE = false)");
            statement.execute("CREATE TABLE t (c1 int, c2 text NOT NULL, c4 int list)");
            statement.execute("CREATE TABLE input (a int, b int)");
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String sink(String key, String csrOptions, String envelope) {
        return "CREATE SINK bad FROM t INTO KAFKA CONNECTION kafka_conn (TOPIC 'bad') " + key
                + " FORMAT AVRO USING CONFLUENT SCHEMA REGISTRY CONNECTION csr_conn" + csrOptions + " ENVELOPE " + envelope;
    }

    private static void assertFails(String sql, String message) throws SQLException {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute(sql)).as(sql).hasMessageContaining(message);
        }
    }

    private static List<List<String>> query(String sql) throws SQLException {
        try (Connection connection = server.connect()) {
            return SqlRows.query(connection, sql);
        }
    }

    @Test
    void theRegistryConnectionMustBeASchemaRegistry() throws SQLException {
        assertFails("CREATE SINK bad FROM t INTO KAFKA CONNECTION kafka_conn (TOPIC 'bad') FORMAT AVRO USING CONFLUENT SCHEMA REGISTRY "
                + "CONNECTION kafka_conn ENVELOPE DEBEZIUM", "\"materialize.public.kafka_conn\" is not a schema registry connection");
        assertFails("CREATE SINK bad FROM t INTO KAFKA CONNECTION kafka_conn (TOPIC 'bad') FORMAT AVRO USING CONFLUENT SCHEMA REGISTRY "
                + "CONNECTION nope ENVELOPE DEBEZIUM", "unknown catalog item 'nope'");
    }

    @Test
    void sourceOnlyOptionsAreRefused() throws SQLException {
        assertFails(sink("", " (SEED 1)", "DEBEZIUM"), "SEED option does not make sense with sinks");
        assertFails(sink("", " (KEY STRATEGY 'latest')", "DEBEZIUM"), "KEY STRATEGY option does not make sense with sinks");
        assertFails(sink("", " (VALUE STRATEGY 'latest')", "DEBEZIUM"), "VALUE STRATEGY option does not make sense with sinks");
    }

    @Test
    void fullnamesFollowTheReferenceRules() throws SQLException {
        assertFails(sink("", " (AVRO VALUE FULLNAME = 'some.neat.class.foo', AVRO KEY FULLNAME = 'some.neat.class.bar')", "DEBEZIUM"),
                "Cannot specify AVRO KEY FULLNAME without a corresponding KEY field");
        assertFails(sink("", " (AVRO KEY FULLNAME = 'some.neat.class.bar')", "DEBEZIUM"),
                "Cannot specify AVRO KEY FULLNAME without a corresponding KEY field");
        assertFails(sink("KEY (c2) NOT ENFORCED", " (AVRO KEY FULLNAME = 'some.neat.class.bar')", "DEBEZIUM"),
                "Must specify both AVRO KEY FULLNAME and AVRO VALUE FULLNAME when specifying generated schema names");
        assertFails(sink("KEY (c2) NOT ENFORCED", " (AVRO VALUE FULLNAME = 'some.neat.class.bar')", "DEBEZIUM"),
                "Must specify both AVRO KEY FULLNAME and AVRO VALUE FULLNAME when specifying generated schema names");
        assertFails(sink("KEY (c2) NOT ENFORCED", " (AVRO KEY FULLNAME = 'bad-name', AVRO VALUE FULLNAME = 'goodname')", "DEBEZIUM"),
                "Invalid name. Must start with [A-Za-z_] and subsequently only contain [A-Za-z0-9_]. Found: bad-name");
        assertFails(sink("KEY (c2) NOT ENFORCED", " (AVRO KEY FULLNAME = 'goodname', AVRO VALUE FULLNAME = 'bad-name')", "DEBEZIUM"),
                "Invalid name. Must start with [A-Za-z_] and subsequently only contain [A-Za-z0-9_]. Found: bad-name");
    }

    @Test
    void nullDefaultsMustBeABoolean() throws SQLException {
        assertFails(sink("KEY (c2) NOT ENFORCED", " (NULL DEFAULTS = 'some_value')", "UPSERT"),
                "invalid NULL DEFAULTS option value: cannot use value as boolean");
        assertFails(sink("KEY (c2) NOT ENFORCED", " (NULL DEFAULTS = NULL)", "UPSERT"),
                "invalid NULL DEFAULTS option value: cannot use value as boolean");
        assertFails(sink("KEY (c2) NOT ENFORCED", " (NULL DEFAULTS, NULL DEFAULTS = TRUE)", "UPSERT"), "NULL DEFAULTS specified more than once");
    }

    @Test
    void compatibilityLevelsAreCheckedUpperCased() throws SQLException {
        assertFails(sink("KEY (c2) NOT ENFORCED", " (KEY COMPATIBILITY LEVEL 'bogus')", "UPSERT"),
                "invalid KEY COMPATIBILITY LEVEL option value: invalid compatibility level: BOGUS");
        assertFails(sink("KEY (c2) NOT ENFORCED", " (VALUE COMPATIBILITY LEVEL 'full_transitive', VALUE COMPATIBILITY LEVEL 'NONE')", "UPSERT"),
                "VALUE COMPATIBILITY LEVEL specified more than once");
    }

    @Test
    void docOnOptionsNameExistingTargets() throws SQLException {
        assertFails(sink("KEY (c2) NOT ENFORCED", " (DOC ON COLUMN = 'comments')", "UPSERT"), "Expected identifier, found equals sign");
        assertFails(sink("KEY (c2) NOT ENFORCED", " (DOC ON COLUMN t.bad_column = 'comments')", "UPSERT"), "column \"t.bad_column\" does not exist");
        assertFails(sink("KEY (c2) NOT ENFORCED", " (DOC ON TYPE bad_table_name = 'comments')", "UPSERT"), "unknown catalog item 'bad_table_name'");
        assertFails(sink("KEY (c2) NOT ENFORCED", " (DOC ON TYPE t)", "UPSERT"), "option value: cannot be empty");
        assertFails(sink("KEY (c2) NOT ENFORCED", " (DOC ON COLUMN t = 'comments')", "UPSERT"), "need to specify an object and a column");
        assertFails(sink("KEY (c2) NOT ENFORCED", " (DOC ON COLUMN t.c1 = NULL)", "UPSERT"), "cannot use value as string");
    }

    @Test
    void otherAvroSpellingsAreNotSupported() throws SQLException {
        assertFails("CREATE SINK bad FROM t INTO KAFKA CONNECTION kafka_conn (TOPIC 'bad') FORMAT AVRO USING SCHEMA '{}' ENVELOPE DEBEZIUM",
                "sink format AVRO USING SCHEMA not yet supported");
    }

    @Test
    void commentsAreStoredShownAndRemoved() throws SQLException {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE commented (id int, \"odd name\" text)");
            statement.execute("COMMENT ON TABLE commented IS 'orders of the day'");
            statement.execute("COMMENT ON COLUMN commented.\"odd name\" IS 'it''s odd'");
            statement.execute("COMMENT ON CONNECTION csr_conn IS 'the registry'");
            assertThatThrownBy(() -> statement.execute("COMMENT ON COLUMN commented.nope IS 'x'")).hasMessageContaining("column \"commented.nope\" does not exist");
            assertThatThrownBy(() -> statement.execute("COMMENT ON TABLE nope IS 'x'")).hasMessageContaining("unknown catalog item 'nope'");
        }
        assertThat(query("SELECT object_type, object_sub_id, comment FROM mz_internal.mz_comments WHERE id = "
                + "(SELECT id FROM mz_catalog.mz_tables WHERE name = 'commented') ORDER BY object_sub_id NULLS FIRST"))
                .containsExactly(java.util.Arrays.asList("table", null, "orders of the day"), List.of("table", "2", "it's odd"));
        assertThat(query("SHOW TABLES LIKE 'commented'")).containsExactly(List.of("commented", "orders of the day"));
        assertThat(query("SHOW CONNECTIONS LIKE 'csr_conn'")).containsExactly(List.of("csr_conn", "confluent-schema-registry", "the registry"));
        assertThat(query("SELECT description FROM pg_catalog.pg_description WHERE objsubid = 2 AND description = 'it''s odd'")).hasSize(1);
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("COMMENT ON TABLE commented IS NULL");
            statement.execute("COMMENT ON COLUMN commented.\"odd name\" IS 'still odd'");
        }
        assertThat(query("SELECT object_sub_id, comment FROM mz_internal.mz_comments WHERE id = (SELECT id FROM mz_catalog.mz_tables WHERE name = "
                + "'commented')")).containsExactly(List.of("2", "still odd"));
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE commented");
        }
        assertThat(query("SELECT comment FROM mz_internal.mz_comments WHERE comment = 'still odd'")).isEmpty();
    }

    @Test
    void commentsSurviveARestart() throws Exception {
        try (TestServer own = new TestServer("127.0.0.1:1")) {
            try (Connection connection = own.connect(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kept (a int, b text)");
                statement.execute("COMMENT ON TABLE kept IS 'first'");
                statement.execute("COMMENT ON TABLE kept IS 'second'");
                statement.execute("COMMENT ON COLUMN kept.b IS 'the b'");
                statement.execute("CREATE TABLE gone (a int)");
                statement.execute("COMMENT ON COLUMN gone.a IS 'dropped with its table'");
                statement.execute("DROP TABLE gone");
            }
            own.server().close();
            SluiceServer restarted = new SluiceServer(new ServerConfig(own.dataDir(), "127.0.0.1", 0, 0, Optional.of("127.0.0.1:1"), 0,
                    Optional.empty(), Optional.empty()), "127.0.0.1:1");
            restarted.start();
            try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + restarted.pgwirePort()
                    + "/materialize?user=materialize"); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT object_sub_id, comment FROM mz_internal.mz_comments ORDER BY comment")) {
                List<String> found = new ArrayList<>();
                while (rows.next()) {
                    found.add(rows.getString(1) + ":" + rows.getString(2));
                }
                assertThat(found).containsExactly("null:second", "2:the b");
            } finally {
                restarted.close();
            }
        }
    }
}
