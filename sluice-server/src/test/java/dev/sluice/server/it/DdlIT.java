package dev.sluice.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.server.kafka.EmbeddedKafka;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * DDL through pgJDBC: every statement of the foundation, its notices, its errors with their
 * SQLSTATEs, and dependencies between tables, secrets, connections and sinks.
 */
class DdlIT {
    private static EmbeddedKafka kafka;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        kafka = new EmbeddedKafka(Files.createTempDirectory("sluice-kafka-ddl"), "127.0.0.1", ServerProcess.freePort());
        kafka.start(Duration.ofSeconds(60));
        server = new TestServer(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        server.close();
        kafka.close();
    }

    private static List<List<String>> query(Statement statement, String sql) throws SQLException {
        return SqlRows.query(statement, sql);
    }

    private static void assertError(Statement statement, String sql, String sqlState, String message) {
        assertThatThrownBy(() -> statement.execute(sql)).as(sql).isInstanceOfSatisfying(PSQLException.class, e -> {
            assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(sqlState);
            assertThat(e.getServerErrorMessage().getMessage()).contains(message);
        });
    }

    private static String lastWarning(Statement statement) throws SQLException {
        java.sql.SQLWarning warning = statement.getWarnings();
        assertThat((Object) warning).as("a notice").isNotNull();
        while (warning.getNextWarning() != null) {
            warning = warning.getNextWarning();
        }
        return warning.getMessage();
    }

    @Test
    void tablesAreCreatedShownAndDroppedWithTheirNotices() throws Exception {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE shown (id bigint PRIMARY KEY, label varchar(10) NOT NULL DEFAULT 'none', at timestamptz)");
            statement.execute("CREATE TABLE IF NOT EXISTS shown (other int)");
            assertThat(lastWarning(statement)).contains("\"shown\" already exists, skipping");
            assertThat(query(statement, "SHOW TABLES")).extracting(row -> row.get(0)).contains("shown");
            assertThat(query(statement, "SHOW CREATE TABLE shown")).containsExactly(List.of("materialize.public.shown",
                    "CREATE TABLE \"materialize\".\"public\".\"shown\" (\"id\" bigint NOT NULL, \"label\" varchar(10) NOT NULL DEFAULT 'none', "
                            + "\"at\" timestamptz, PRIMARY KEY (\"id\"))"));
            assertThat(query(statement, "SELECT name FROM mz_tables WHERE name = 'shown'")).containsExactly(List.of("shown"));
            assertThat(query(statement, "SELECT id FROM mz_tables WHERE name = 'shown'").get(0).get(0)).matches("u\\d+");
            assertError(statement, "CREATE TABLE shown (a int)", "42P07", "\"materialize.public.shown\" already exists");
            assertError(statement, "CREATE TABLE dup_columns (a int, a text)", "42701", "\"a\"");
            assertError(statement, "CREATE TABLE bad_key (a int, PRIMARY KEY (b))", "42703", "\"b\"");
            assertError(statement, "CREATE TABLE bad_default (a int DEFAULT 'x')", "22P02", "invalid input syntax");
            assertError(statement, "CREATE TABLE other_schema.t (a int)", "3F000", "other_schema");
            statement.execute("DROP TABLE shown");
            assertThat(query(statement, "SHOW TABLES")).extracting(row -> row.get(0)).doesNotContain("shown");
            statement.execute("DROP TABLE IF EXISTS shown");
            assertThat(lastWarning(statement)).contains("does not exist, skipping");
            assertError(statement, "DROP TABLE shown", "42P01", "shown");
            assertError(statement, "SELECT * FROM shown", "42P01", "\"shown\" does not exist");

            // What SHOW CREATE TABLE shows creates the same table again, also with names that need quotes.
            statement.execute("CREATE TABLE \"Odd \"\"name\"\"\" (\"select\" int PRIMARY KEY, \"Two Words\" map[text=>text], n numeric(5,2) DEFAULT 1.5)");
            String shown = query(statement, "SHOW CREATE TABLE \"Odd \"\"name\"\"\"").get(0).get(1);
            assertThat(shown).isEqualTo("CREATE TABLE \"materialize\".\"public\".\"Odd \"\"name\"\"\" (\"select\" integer NOT NULL, "
                    + "\"Two Words\" map[text=>text], \"n\" numeric(5,2) DEFAULT 1.5, PRIMARY KEY (\"select\"))");
            statement.execute("DROP TABLE \"Odd \"\"name\"\"\"");
            statement.execute(shown);
            assertThat(query(statement, "SHOW CREATE TABLE \"Odd \"\"name\"\"\"").get(0).get(1)).isEqualTo(shown);
            statement.execute("DROP TABLE \"Odd \"\"name\"\"\"");
        }
    }

    @Test
    void primaryKeysAreEnforcedWithinAndAcrossTransactions() throws Exception {
        try (Connection connection = server.connect(); Connection other = server.connect(); Statement statement = connection.createStatement();
                Statement otherStatement = other.createStatement()) {
            statement.execute("CREATE TABLE keyed (a int, b text, c int NOT NULL, PRIMARY KEY (a, b))");
            statement.execute("INSERT INTO keyed VALUES (1, 'x', 1), (1, 'y', 1), (2, 'x', 1)");
            assertError(statement, "INSERT INTO keyed VALUES (1, 'x', 5)", "23505", "duplicate key value violates unique constraint");
            assertError(statement, "UPDATE keyed SET b = 'x' WHERE a = 1", "23505", "duplicate key value");
            assertError(statement, "INSERT INTO keyed VALUES (NULL, 'x', 1)", "23502", "\"a\"");
            assertError(statement, "UPDATE keyed SET c = NULL", "23502", "\"c\"");
            // Two transactions inserting the same key: the second to commit fails and nothing of it lands.
            connection.setAutoCommit(false);
            other.setAutoCommit(false);
            statement.execute("INSERT INTO keyed VALUES (9, 'z', 1)");
            otherStatement.execute("INSERT INTO keyed VALUES (9, 'z', 2), (10, 'z', 2)");
            connection.commit();
            assertThatThrownBy(other::commit).isInstanceOfSatisfying(PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));
            connection.setAutoCommit(true);
            other.setAutoCommit(true);
            assertThat(query(statement, "SELECT a, b, c FROM keyed WHERE a >= 9 ORDER BY a")).containsExactly(List.of("9", "z", "1"));
            assertThat(query(statement, "SELECT count(*) FROM keyed")).containsExactly(List.of("4"));
        }
    }

    @Test
    void dependenciesRefuseDropsAndNameTheDependent() throws Exception {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE depended (id int PRIMARY KEY)");
            statement.execute("CREATE SECRET IF NOT EXISTS dep_secret AS 'x'");
            statement.execute("CREATE SECRET IF NOT EXISTS dep_secret AS 'y'");
            assertThat(lastWarning(statement)).contains("already exists, skipping");
            statement.execute("CREATE CONNECTION dep_kafka TO KAFKA (BROKER '" + kafka.bootstrapServers() + "', SECURITY PROTOCOL PLAINTEXT)");
            statement.execute("CREATE CONNECTION dep_sasl TO KAFKA (BROKER 'localhost:1', SECURITY PROTOCOL SASL_PLAINTEXT, SASL MECHANISMS 'PLAIN', "
                    + "SASL USERNAME 'u', SASL PASSWORD SECRET dep_secret) WITH (VALIDATE = false)");
            statement.execute("CREATE SINK dep_sink FROM depended INTO KAFKA CONNECTION dep_kafka (TOPIC 'depended') KEY (id) FORMAT JSON "
                    + "ENVELOPE UPSERT");
            assertError(statement, "DROP TABLE depended", "2BP01", "dep_sink");
            assertError(statement, "DROP CONNECTION dep_kafka", "2BP01", "dep_sink");
            assertError(statement, "DROP SECRET dep_secret", "2BP01", "dep_sasl");
            assertThat(query(statement, "SHOW CONNECTIONS")).extracting(row -> row.get(0)).contains("dep_kafka", "dep_sasl");
            assertThat(query(statement, "SHOW CREATE CONNECTION dep_sasl").get(0).get(1)).contains("SECRET").contains("dep_secret");
            assertError(statement, "CREATE CONNECTION dep_kafka TO KAFKA (BROKER 'x:1') WITH (VALIDATE = false)", "42710", "already exists");
            statement.execute("CREATE CONNECTION IF NOT EXISTS dep_kafka TO KAFKA (BROKER 'x:1') WITH (VALIDATE = false)");
            assertThat(lastWarning(statement)).contains("already exists, skipping");
            statement.execute("DROP SINK dep_sink");
            statement.execute("DROP SINK IF EXISTS dep_sink");
            assertThat(lastWarning(statement)).contains("does not exist, skipping");
            statement.execute("DROP CONNECTION dep_kafka");
            statement.execute("DROP TABLE depended");
            statement.execute("DROP CONNECTION dep_sasl");
            statement.execute("DROP SECRET dep_secret");
            assertError(statement, "DROP CONNECTION dep_kafka", "42704", "dep_kafka");
            statement.execute("DROP CONNECTION IF EXISTS dep_kafka");
        }
    }

    @Test
    void connectionOptionsFollowTheReference() throws Exception {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            String noValidate = " WITH (VALIDATE = false)";
            statement.execute("CREATE SECRET opt_pw AS 'p'");
            // Secure by default: SSL without SASL options, SASL_SSL with them.
            statement.execute("CREATE CONNECTION opt_default TO KAFKA (BROKER 'b1')" + noValidate);
            assertThat(query(statement, "SHOW CREATE CONNECTION opt_default").get(0).get(1)).contains("BROKER = 'b1'");
            statement.execute("CREATE CONNECTION opt_brokers FOR KAFKA BROKERS ('b1:1', 'b2:2'), PROGRESS TOPIC 'my-progress', "
                    + "PROGRESS TOPIC REPLICATION FACTOR 3" + noValidate);
            assertThat(query(statement, "SELECT brokers, sink_progress_topic FROM mz_kafka_connections WHERE id = "
                    + "(SELECT id FROM mz_connections WHERE name = 'opt_brokers')")).containsExactly(List.of("{b1:1,b2:2}", "my-progress"));
            assertThat(query(statement, "SELECT brokers FROM mz_kafka_connections WHERE id = "
                    + "(SELECT id FROM mz_connections WHERE name = 'opt_default')")).containsExactly(List.of("{b1:9092}"));
            assertError(statement, "CREATE CONNECTION c TO KAFKA (BROKER 'a:1', BROKERS ('b:1'))" + noValidate, "22023",
                    "invalid CONNECTION: can only set one of BROKER, BROKERS, or AWS PRIVATELINK");
            assertError(statement, "CREATE CONNECTION c TO KAFKA (BROKER 'a:1', SSL KEY SECRET opt_pw, SECURITY PROTOCOL PLAINTEXT)" + noValidate,
                    "22023", "option SSL KEY not supported with this configuration");
            assertError(statement, "CREATE CONNECTION c TO KAFKA (BROKER 'a:1', SSL CERTIFICATE 'pem')" + noValidate, "22023",
                    "SSL KEY must be specified with SSL CERTIFICATE");
            assertError(statement, "CREATE CONNECTION c TO KAFKA (BROKER 'a:1', SASL USERNAME 'u', SASL PASSWORD SECRET opt_pw)" + noValidate,
                    "22023", "SASL MECHANISMS must be specified");
            assertError(statement, "CREATE CONNECTION c TO KAFKA (BROKER 'a:1', SASL MECHANISMS 'PLAIN', SASL USERNAME 'u')" + noValidate,
                    "22023", "SASL PASSWORD must be specified");
            assertError(statement, "CREATE CONNECTION c TO KAFKA (BROKER 'a:1', BROKER 'b:1')" + noValidate, "22023", "BROKER specified more than once");
            assertError(statement, "CREATE CONNECTION c TO KAFKA (AWS PRIVATELINK pl)" + noValidate, "0A000", "not supported");
            assertError(statement, "CREATE CONNECTION c TO SSH TUNNEL (HOST 'h', USER 'u', PORT 22)", "0A000", "not supported");
            assertError(statement, "CREATE CONNECTION c TO KAFKA (BROKER 'a:1', SASL PASSWORD SECRET missing_secret, SASL MECHANISMS 'PLAIN', "
                    + "SASL USERNAME 'u')" + noValidate, "42704", "missing_secret");
            // Schema registry connections.
            statement.execute("CREATE CONNECTION opt_csr TO CONFLUENT SCHEMA REGISTRY (URL 'http://localhost:1', USERNAME 'u', PASSWORD SECRET opt_pw)"
                    + noValidate);
            assertThat(query(statement, "SHOW CREATE CONNECTION opt_csr").get(0).get(1)).contains("URL = 'http://localhost:1'");
            assertError(statement, "CREATE CONNECTION c TO CONFLUENT SCHEMA REGISTRY (USERNAME 'u')" + noValidate, "22023",
                    "invalid CONNECTION: must specify URL");
            assertError(statement, "CREATE CONNECTION c TO CONFLUENT SCHEMA REGISTRY (URL 'http:///nohost')" + noValidate, "22023",
                    "invalid CONNECTION: URL must specify domain name");
            assertError(statement, "CREATE CONNECTION c TO CONFLUENT SCHEMA REGISTRY (URL 'http://h:1', SSL CERTIFICATE 'pem')" + noValidate,
                    "22023", "requires both SSL KEY and SSL CERTIFICATE");
            // Validation reaches the registry: nothing listens on port 1.
            assertThatThrownBy(() -> statement.execute("CREATE CONNECTION c TO CONFLUENT SCHEMA REGISTRY (URL 'http://127.0.0.1:1')"))
                    .isInstanceOfSatisfying(PSQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("08006");
                        assertThat(e.getMessage()).contains("127.0.0.1:1");
                    });
            assertThat(query(statement, "SELECT count(*) FROM mz_connections WHERE name = 'c'")).containsExactly(List.of("0"));
        }
    }

    @Test
    void statementsSluiceDoesNotHaveAreRefusedByName() throws Exception {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            Map<String, String> refused = new LinkedHashMap<>();
            refused.put("CREATE MATERIALIZED VIEW mv AS SELECT 1", "CREATE MATERIALIZED VIEW is not supported yet");
            refused.put("CREATE VIEW v AS SELECT 1", "CREATE VIEW is not supported yet");
            refused.put("CREATE OR REPLACE VIEW v AS SELECT 1", "CREATE OR REPLACE is not supported yet");
            refused.put("CREATE UNIQUE INDEX i ON t (a)", "CREATE UNIQUE INDEX is not supported yet");
            refused.put("CREATE SOURCE s FROM KAFKA CONNECTION k (TOPIC 'x')", "CREATE SOURCE is not supported yet");
            refused.put("CREATE TEMP TABLE tt (a int)", "CREATE TEMPORARY TABLE is not supported yet");
            refused.put("ALTER TABLE t ADD COLUMN c int", "ALTER TABLE is not supported yet");
            refused.put("COPY t TO '/tmp/out'", "COPY TO a file or program is not supported yet");
            refused.put("COPY t FROM '/etc/passwd'", "COPY FROM a file or program is not supported yet");
            refused.put("EXPLAIN SELECT 1", "EXPLAIN is not supported yet");
            refused.put("TRUNCATE t", "TRUNCATE is not supported yet");
            refused.put("SUBSCRIBE t", "SUBSCRIBE is not supported yet");
            refused.put("LISTEN channel", "LISTEN is not supported yet");
            refused.put("VACUUM", "VACUUM is not supported yet");
            for (Map.Entry<String, String> entry : refused.entrySet()) {
                assertError(statement, entry.getKey(), "0A000", entry.getValue());
            }
            assertThat(query(statement, "SELECT 1")).containsExactly(List.of("1"));
        }
    }
}
