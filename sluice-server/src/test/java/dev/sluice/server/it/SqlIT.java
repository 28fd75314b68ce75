package dev.sluice.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/** SQL through the real PostgreSQL JDBC driver against a real Sluice server. */
class SqlIT {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = new TestServer("127.0.0.1:1");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<List<String>> query(Connection connection, String sql) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(result.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static void assertSqlState(String sqlState, ThrowingRunnable action) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(PSQLException.class,
                e -> assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(sqlState));
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void tablesOfEveryTypeRoundTripTheirValues() throws Exception {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE types (b boolean, s smallint, i integer, l bigint, r real, d double precision, n numeric(10,2), "
                    + "t text, v varchar(5), c char(3), by bytea, da date, ti time, ts timestamp, tz timestamptz, iv interval, j jsonb, "
                    + "u uuid, u2 uint2, u4 uint4, u8 uint8, m map[text=>text], li int list, a text[])");
            statement.execute("INSERT INTO types VALUES (true, 1, 2, 3, 1.5, 2.25, 12.345, 'text', 'abc', 'x', '\\x01ff', '2024-01-31', "
                    + "'11:12:13', '2024-01-31 11:12:13', '2024-01-31 11:12:13+02', '1 day 02:00:00', '{\"k\": [1, 2]}', "
                    + "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 65535, 4294967295, 18446744073709551615, '{a=>b}', '{1,2}', '{x,y}')");
            statement.execute("INSERT INTO types (b) VALUES (NULL)");
            assertThat(query(connection, "SELECT * FROM types WHERE b")).containsExactly(List.of("t", "1", "2", "3", "1.5", "2.25", "12.35",
                    "text", "abc", "x  ", "\\x01ff", "2024-01-31", "11:12:13", "2024-01-31 11:12:13", "2024-01-31 09:12:13+00", "1 day 02:00:00",
                    "{\"k\": [1, 2]}", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "65535", "4294967295", "18446744073709551615", "{a=>b}", "{1,2}",
                    "{x,y}"));
            assertThat(query(connection, "SELECT count(*) FROM types WHERE b IS NULL")).containsExactly(List.of("1"));
        }
    }

    @Test
    void insertUpdateDeleteAndCommandTags() throws Exception {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, qty int DEFAULT 10)");
            assertThat(statement.executeUpdate("INSERT INTO items (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')")).isEqualTo(3);
            assertThat(statement.executeUpdate("UPDATE items SET qty = qty + 1 WHERE id < 3")).isEqualTo(2);
            assertThat(statement.executeUpdate("DELETE FROM items WHERE name = 'c'")).isEqualTo(1);
            assertThat(statement.executeUpdate("INSERT INTO items SELECT id + 10, name || '!', qty FROM items")).isEqualTo(2);
            assertThat(query(connection, "SELECT id, name, qty FROM items ORDER BY id")).containsExactly(List.of("1", "a", "11"),
                    List.of("2", "b", "11"), List.of("11", "a!", "11"), List.of("12", "b!", "11"));
        }
    }

    @Test
    void constraintsAndBadInputGetPostgresSqlStates() throws Exception {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE strict (id int PRIMARY KEY, v varchar(3) NOT NULL, n numeric(4,1))");
            statement.execute("INSERT INTO strict VALUES (1, 'ok', 1.5)");
            assertSqlState("23505", () -> statement.execute("INSERT INTO strict VALUES (1, 'no', 1)"));
            assertSqlState("23505", () -> statement.execute("INSERT INTO strict VALUES (2, 'a', 1), (2, 'b', 1)"));
            assertSqlState("23502", () -> statement.execute("INSERT INTO strict VALUES (3, NULL, 1)"));
            assertSqlState("22001", () -> statement.execute("INSERT INTO strict VALUES (4, 'long', 1)"));
            assertSqlState("22003", () -> statement.execute("INSERT INTO strict VALUES (5, 'x', 12345)"));
            assertSqlState("22P02", () -> statement.execute("INSERT INTO strict VALUES ('x', 'a', 1)"));
            assertSqlState("42P01", () -> statement.execute("SELECT * FROM missing"));
            assertSqlState("42703", () -> statement.execute("SELECT missing FROM strict"));
            assertSqlState("42601", () -> statement.execute("SELEKT 1"));
            assertSqlState("42P07", () -> statement.execute("CREATE TABLE strict (a int)"));
            assertSqlState("42704", () -> statement.execute("CREATE TABLE t_bad (a notatype)"));
            assertSqlState("22012", () -> statement.execute("SELECT 1 / 0"));
            statement.execute("CREATE TABLE IF NOT EXISTS strict (a int)");
            assertThat(statement.getWarnings().getMessage()).contains("already exists");
            // The session is still usable and nothing changed.
            assertThat(query(connection, "SELECT id, v FROM strict")).containsExactly(List.of("1", "ok"));
        }
    }

    @Test
    void transactionsCommitAtomicallyAndRollBack() throws Exception {
        try (Connection connection = server.connect(); Connection other = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE ledger (id int, amount int)");
            connection.setAutoCommit(false);
            statement.execute("INSERT INTO ledger VALUES (1, 10)");
            statement.execute("INSERT INTO ledger VALUES (2, 20)");
            assertThat(query(other, "SELECT count(*) FROM ledger")).containsExactly(List.of("0"));
            connection.commit();
            assertThat(query(other, "SELECT sum(amount) FROM ledger")).containsExactly(List.of("30"));
            statement.execute("INSERT INTO ledger VALUES (3, 30)");
            connection.rollback();
            connection.setAutoCommit(true);
            assertThat(query(other, "SELECT count(*) FROM ledger")).containsExactly(List.of("2"));
            connection.setAutoCommit(false);
            statement.execute("DELETE FROM ledger WHERE id = 1");
            assertSqlState("25000", () -> statement.executeQuery("SELECT * FROM ledger"));
            connection.rollback();
            assertSqlState("25001", () -> statement.execute("CREATE TABLE in_txn (a int)"));
            connection.rollback();
            connection.setAutoCommit(true);
            assertThat(query(other, "SELECT count(*) FROM ledger")).containsExactly(List.of("2"));
        }
    }

    @Test
    void readsOfATransactionSeeOneSnapshotEvenAfterCompactionTicks() throws Exception {
        try (Connection connection = server.connect(); Connection other = server.connect(); Statement statement = connection.createStatement();
                Statement writer = other.createStatement()) {
            statement.execute("CREATE TABLE snapshot_reads (id int PRIMARY KEY, v text)");
            statement.execute("INSERT INTO snapshot_reads VALUES (1, 'before')");
            connection.setAutoCommit(false);
            assertThat(query(connection, "SELECT v FROM snapshot_reads")).containsExactly(List.of("before"));
            writer.execute("UPDATE snapshot_reads SET v = 'after' WHERE id = 1");
            // Idle ticks advance the upper and compact history at least once a second.
            Thread.sleep(2_500);
            assertThat(query(connection, "SELECT v FROM snapshot_reads")).containsExactly(List.of("before"));
            connection.commit();
            connection.setAutoCommit(true);
            assertThat(query(connection, "SELECT v FROM snapshot_reads")).containsExactly(List.of("after"));
        }
    }

    @Test
    void preparedStatementsBindTextAndBinaryParameters() throws Exception {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE params (id bigint PRIMARY KEY, name text, price numeric(8,2), at timestamptz)");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO params VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < 10; i++) {
                    insert.setLong(1, i);
                    insert.setString(2, "n" + i);
                    insert.setBigDecimal(3, new BigDecimal(i + ".25"));
                    insert.setTimestamp(4, java.sql.Timestamp.from(java.time.Instant.ofEpochSecond(1_700_000_000L + i)));
                    insert.executeUpdate();
                }
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT name, price FROM params WHERE id = ?")) {
                select.setLong(1, 7);
                try (ResultSet result = select.executeQuery()) {
                    assertThat(result.next()).isTrue();
                    assertThat(result.getString(1)).isEqualTo("n7");
                    assertThat(result.getBigDecimal(2)).isEqualByComparingTo("7.25");
                }
            }
            connection.setAutoCommit(false);
            try (PreparedStatement select = connection.prepareStatement("SELECT id FROM params ORDER BY id")) {
                select.setFetchSize(3);
                List<Long> ids = new ArrayList<>();
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        ids.add(result.getLong(1));
                    }
                }
                assertThat(ids).hasSize(10).startsWith(0L, 1L, 2L, 3L);
            }
            connection.commit();
        }
    }

    @Test
    void secretsAreNeverShownAndConnectionsFollowTheReference() throws Exception {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SECRET kafka_password AS 'hunter2'");
            statement.execute("CREATE SECRET decoded AS decode('c2VjcmV0Cg==', 'base64')");
            assertSqlState("42710", () -> statement.execute("CREATE SECRET kafka_password AS 'x'"));
            statement.execute("ALTER SECRET kafka_password AS 'hunter3'");
            assertThat(query(connection, "SHOW SECRETS")).extracting(row -> row.get(0)).contains("kafka_password", "decoded");
            assertThat(query(connection, "SELECT * FROM mz_secrets").toString()).doesNotContain("hunter");
            statement.execute("CREATE CONNECTION k1 TO KAFKA (BROKER 'localhost:9092', SECURITY PROTOCOL = 'SASL_PLAINTEXT', "
                    + "SASL MECHANISMS = 'plain', SASL USERNAME = 'user', SASL PASSWORD = SECRET kafka_password) WITH (VALIDATE = false)");
            String createSql = query(connection, "SHOW CREATE CONNECTION k1").get(0).get(1);
            assertThat(createSql).contains("SASL PASSWORD = SECRET \"materialize\".\"public\".\"kafka_password\"").doesNotContain("hunter");
            assertThat(query(connection, "SELECT brokers, sink_progress_topic FROM mz_kafka_connections"))
                    .containsExactly(List.of("{localhost:9092}", "_materialize-progress-test-" + idOf(connection, "k1")));
            assertThatThrownBy(() -> statement.execute("CREATE CONNECTION k2 TO KAFKA (SECURITY PROTOCOL PLAINTEXT)"))
                    .hasMessageContaining("invalid CONNECTION: must set one of BROKER, BROKERS, or AWS PRIVATELINK");
            assertThatThrownBy(() -> statement.execute("CREATE CONNECTION k2 TO KAFKA (BROKER 'a:1,b:2')"))
                    .hasMessageContaining("cannot specify multiple Kafka broker addresses in one string");
            assertThatThrownBy(() -> statement.execute("CREATE CONNECTION k2 TO KAFKA (BROKER 'a:1', SECURITY PROTOCOL 'BOGUS')"))
                    .hasMessageContaining("unknown security protocol: BOGUS");
            assertThatThrownBy(() -> statement.execute("CREATE CONNECTION k2 TO KAFKA (BROKER 'a:1', SECURITY PROTOCOL PLAINTEXT, SASL USERNAME 'u')"))
                    .hasMessageContaining("option SASL USERNAME not supported with this configuration");
            assertThatThrownBy(() -> statement.execute("CREATE CONNECTION k2 TO KAFKA (BROKER 'a:1', SASL MECHANISMS 'PLAIN')"))
                    .hasMessageContaining("SASL USERNAME must be specified");
            assertThatThrownBy(() -> statement.execute("CREATE CONNECTION k2 TO KAFKA (BROKER 'a:1', PROGRESS TOPIC REPLICATION FACTOR 0)"))
                    .hasMessageContaining("invalid CONNECTION: PROGRESS TOPIC REPLICATION FACTOR must be greater than 0");
            assertThatThrownBy(() -> statement.execute("CREATE CONNECTION k2 TO KAFKA (BROKER 'a:1' USING SSH TUNNEL t)"))
                    .hasMessageContaining("not supported by Sluice");
            assertThatThrownBy(() -> statement.execute("CREATE CONNECTION csr TO CONFLUENT SCHEMA REGISTRY (URL 'http://localhost:8081/path') "
                    + "WITH (VALIDATE = false)")).hasMessageContaining("invalid CONNECTION: URL must have an empty path");
            assertThatThrownBy(() -> statement.execute("CREATE CONNECTION k3 TO KAFKA (BROKER '127.0.0.1:1', SECURITY PROTOCOL PLAINTEXT)"))
                    .isInstanceOfSatisfying(PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08006"));
            assertSqlState("2BP01", () -> statement.execute("DROP SECRET kafka_password"));
            statement.execute("DROP CONNECTION k1");
            statement.execute("DROP SECRET kafka_password");
            statement.execute("DROP SECRET IF EXISTS kafka_password");
        }
    }

    private static String idOf(Connection connection, String name) throws SQLException {
        return query(connection, "SELECT id FROM mz_connections WHERE name = '" + name + "'").get(0).get(0);
    }

    @Test
    void manyConcurrentSessionsWriteWithoutLoss() throws Exception {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE concurrent (session int, n int)");
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> futures = new ArrayList<>();
        for (int session = 0; session < 16; session++) {
            int id = session;
            futures.add(pool.submit(() -> {
                try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
                    for (int n = 0; n < 10; n++) {
                        statement.execute("INSERT INTO concurrent VALUES (" + id + ", " + n + ")");
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
        try (Connection connection = server.connect()) {
            assertThat(query(connection, "SELECT count(*), count(DISTINCT session) FROM concurrent")).containsExactly(List.of("160", "16"));
        }
    }

    @Test
    void catalogSurvivesARestart() throws Exception {
        try (TestServer own = new TestServer("127.0.0.1:1")) {
            try (Connection connection = own.connect(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kept (id int PRIMARY KEY, v text DEFAULT 'd')");
                statement.execute("INSERT INTO kept (id) VALUES (1), (2)");
                statement.execute("CREATE SECRET s AS 'v'");
                statement.execute("CREATE CONNECTION c TO KAFKA (BROKER 'x:1', SECURITY PROTOCOL PLAINTEXT) WITH (VALIDATE = false)");
            }
            own.server().close();
            var restarted = new dev.sluice.server.SluiceServer(new dev.sluice.server.ServerConfig(own.dataDir(), "127.0.0.1", 0, 0,
                    java.util.Optional.of("127.0.0.1:1"), 0, java.util.Optional.empty(), java.util.Optional.empty()), "127.0.0.1:1");
            restarted.start();
            try (Connection connection = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + restarted.pgwirePort()
                    + "/materialize?user=materialize"); Statement statement = connection.createStatement()) {
                assertThat(query(connection, "SELECT id, v FROM kept ORDER BY id")).containsExactly(List.of("1", "d"), List.of("2", "d"));
                assertThat(query(connection, "SHOW SECRETS")).extracting(row -> row.get(0)).containsExactly("s");
                assertThat(query(connection, "SHOW CONNECTIONS")).extracting(row -> row.get(0)).containsExactly("c");
                statement.execute("INSERT INTO kept (id) VALUES (3)");
                assertSqlState("23505", () -> statement.execute("INSERT INTO kept (id) VALUES (1)"));
                statement.execute("CREATE TABLE after_restart (a int)");
                assertThat(query(connection, "SELECT id FROM mz_tables ORDER BY id")).extracting(row -> row.get(0)).doesNotHaveDuplicates();
            } finally {
                restarted.close();
            }
        }
    }
}
