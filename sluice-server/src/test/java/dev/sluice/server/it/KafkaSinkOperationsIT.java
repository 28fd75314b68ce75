package dev.sluice.server.it;

import static dev.sluice.server.it.SinkTestKit.execute;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The operational surface of reference §10: catalog tables, statuses and their history, statistics, metrics. */
@ExtendWith(DropSinksAfterEach.class)
class KafkaSinkOperationsIT {
    @Test
    void catalogTablesDescribeTheSink() throws Exception {
        String name = SinkTestKit.unique("catalog");
        try (Connection connection = SinkTestKit.server().connect(); Statement statement = connection.createStatement()) {
            String create = "CREATE SINK " + name + "_sink FROM " + name + " INTO KAFKA CONNECTION kafka (TOPIC '" + name + "') KEY (k) "
                    + "KEY FORMAT TEXT VALUE FORMAT JSON ENVELOPE DEBEZIUM";
            execute(connection, "CREATE TABLE " + name + " (k int PRIMARY KEY, v text)", create,
                    "CREATE SINK " + name + "_json FROM " + name + " INTO KAFKA CONNECTION kafka (TOPIC '" + name + "_json') FORMAT JSON ENVELOPE DEBEZIUM");
            String connectionId = SinkTestKit.queryText(connection, "SELECT id FROM mz_catalog.mz_connections WHERE name = 'kafka'");
            try (ResultSet rows = statement.executeQuery("SELECT id, oid, schema_id, name, type, connection_id, size, envelope_type, format, key_format, "
                    + "value_format, cluster_id, owner_id, create_sql, redacted_create_sql FROM mz_catalog.mz_sinks WHERE name = '" + name + "_sink'")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).matches("u\\d+");
                assertThat(rows.getInt(2)).isPositive();
                assertThat(rows.getString(3)).isEqualTo("u1");
                assertThat(rows.getString(5)).isEqualTo("kafka");
                assertThat(rows.getString(6)).isEqualTo(connectionId);
                assertThat(rows.getString(7)).isNull();
                assertThat(rows.getString(8)).isEqualTo("debezium");
                assertThat(rows.getString(9)).isEqualTo("key-text-value-json");
                assertThat(rows.getString(10)).isEqualTo("text");
                assertThat(rows.getString(11)).isEqualTo("json");
                assertThat(rows.getString(12)).isEqualTo("u1");
                String canonical = "CREATE SINK \"materialize\".\"public\".\"" + name + "_sink\" IN CLUSTER \"quickstart\" FROM \"materialize\".\"public\".\""
                        + name + "\" INTO KAFKA CONNECTION \"materialize\".\"public\".\"kafka\" (TOPIC = '" + name + "') KEY (\"k\") "
                        + "KEY FORMAT TEXT VALUE FORMAT JSON ENVELOPE DEBEZIUM";
                assertThat(rows.getString(14)).isEqualTo(canonical);
                assertThat(rows.getString(15)).isEqualTo(canonical);
            }
            try (ResultSet rows = statement.executeQuery("SELECT format, key_format, value_format FROM mz_catalog.mz_sinks WHERE name = '" + name + "_json'")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("json");
                assertThat(rows.getString(2)).isNull();
                assertThat(rows.getString(3)).isEqualTo("json");
            }
            assertThat(SinkTestKit.queryText(connection, "SELECT k.topic FROM mz_catalog.mz_kafka_sinks k JOIN mz_catalog.mz_sinks s ON s.id = k.id "
                    + "WHERE s.name = '" + name + "_sink'")).isEqualTo(name);
            assertThat(SinkTestKit.queryText(connection, "SELECT sink_progress_topic FROM mz_catalog.mz_kafka_connections WHERE id = '" + connectionId + "'"))
                    .isEqualTo("_materialize-progress-test-" + connectionId);
        }
    }

    @Test
    void statusesGoStartingRunningDroppedWithHistory() throws Exception {
        String name = SinkTestKit.unique("status");
        try (Connection connection = SinkTestKit.server().connect(); Statement statement = connection.createStatement()) {
            execute(connection, "CREATE TABLE " + name + " (k int PRIMARY KEY)",
                    "CREATE SINK " + name + "_sink FROM " + name + " INTO KAFKA CONNECTION kafka (TOPIC '" + name + "') KEY (k) FORMAT JSON ENVELOPE UPSERT");
            String sinkId = SinkTestKit.sinkId(connection, name + "_sink");
            SinkTestKit.awaitStatus(connection, name + "_sink", "running");
            try (ResultSet rows = statement.executeQuery("SELECT id, name, type, last_status_change_at, error, details FROM mz_internal.mz_sink_statuses "
                    + "WHERE name = '" + name + "_sink'")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo(sinkId);
                assertThat(rows.getString(3)).isEqualTo("kafka");
                assertThat(rows.getTimestamp(4)).isNotNull();
                assertThat(rows.getString(5)).isNull();
                assertThat(rows.getString(6)).isNull();
            }
            execute(connection, "DROP SINK " + name + "_sink");
            // The sink stops in the background after DROP SINK returns.
            List<String> history = new ArrayList<>();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (!history.contains("dropped") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                history.clear();
                try (ResultSet rows = statement.executeQuery("SELECT status, replica_id FROM mz_internal.mz_sink_status_history WHERE sink_id = '"
                        + sinkId + "' ORDER BY occurred_at")) {
                    while (rows.next()) {
                        history.add(rows.getString(1));
                        assertThat(rows.getString(2)).isEqualTo("u1");
                    }
                }
            }
            assertThat(history).containsExactly("starting", "running", "dropped");
            assertThat(SinkTestKit.queryText(connection, "SELECT count(*) FROM mz_internal.mz_sink_statuses WHERE id = '" + sinkId + "'")).isEqualTo("0");
        }
    }

    @Test
    void statisticsAndStatusHistoryGoOnFromWhereTheyWereAfterARestart() throws Exception {
        Path dataDir = Files.createTempDirectory("sluice-statistics");
        String name = SinkTestKit.unique("stats");
        String environment = "stats" + name.replaceAll("\\D", "");
        String query = "SELECT s.messages_staged, s.messages_committed, s.bytes_staged, s.bytes_committed FROM mz_internal.mz_sink_statistics s "
                + "JOIN mz_catalog.mz_sinks k ON k.id = s.id WHERE k.name = '" + name + "_sink'";
        List<Long> before;
        List<String> historyBefore;
        String sinkId;
        TestServer first = new TestServer(dataDir, SinkTestKit.bootstrap(), environment);
        try (Connection connection = first.connect()) {
            execute(connection, "CREATE CONNECTION kafka TO KAFKA (BROKER '" + SinkTestKit.bootstrap() + "', SECURITY PROTOCOL PLAINTEXT)",
                    "CREATE TABLE " + name + " (k int PRIMARY KEY, v text)", "INSERT INTO " + name + " VALUES (1, 'a'), (2, 'b')",
                    "CREATE SINK " + name + "_sink FROM " + name + " INTO KAFKA CONNECTION kafka (TOPIC '" + name + "') KEY (k) FORMAT JSON "
                            + "ENVELOPE UPSERT");
            SinkTestKit.awaitExactly(connection, name + "_sink", name, 2);
            before = counters(connection, query);
            assertThat(before.get(1)).isEqualTo(2);
            sinkId = SinkTestKit.sinkId(connection, name + "_sink");
            historyBefore = history(connection, sinkId);
            assertThat(historyBefore).endsWith("running");
        } finally {
            first.close();
        }
        TestServer second = new TestServer(dataDir, SinkTestKit.bootstrap(), environment);
        try (Connection connection = second.connect()) {
            assertThat(counters(connection, query)).as("a clean restart goes on from exactly where the counters were").isEqualTo(before);
            SinkTestKit.awaitStatus(connection, name + "_sink", "running");
            List<String> historyAfter = history(connection, sinkId);
            assertThat(historyAfter).as("the first run's status changes, then this run's").startsWith(historyBefore.toArray(String[]::new))
                    .hasSizeGreaterThan(historyBefore.size()).endsWith("running");
            execute(connection, "INSERT INTO " + name + " VALUES (3, 'c')");
            SinkTestKit.awaitExactly(connection, name + "_sink", name, 3);
            long deadline = System.currentTimeMillis() + 30_000;
            while (counters(connection, query).get(1) < 3 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            List<Long> after = counters(connection, query);
            assertThat(after.get(1)).isEqualTo(3);
            assertThat(after.get(3)).isGreaterThan(before.get(3));
            execute(connection, "DROP SINK " + name + "_sink", "CREATE SINK " + name + "_sink FROM " + name + " INTO KAFKA CONNECTION kafka (TOPIC '"
                    + name + "_again') KEY (k) FORMAT JSON ENVELOPE UPSERT");
            SinkTestKit.awaitExactly(connection, name + "_sink", name + "_again", 3);
            deadline = System.currentTimeMillis() + 30_000;
            while (counters(connection, query).get(1) < 3 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertThat(counters(connection, query).get(1)).as("a new sink of the same name counts from zero").isEqualTo(3);
        } finally {
            second.close();
        }
    }

    private static List<String> history(Connection connection, String sinkId) throws Exception {
        List<String> statuses = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                "SELECT status FROM mz_internal.mz_sink_status_history WHERE sink_id = '" + sinkId + "' ORDER BY occurred_at")) {
            while (rows.next()) {
                statuses.add(rows.getString(1));
            }
        }
        return statuses;
    }

    private static List<Long> counters(Connection connection, String query) throws Exception {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(query)) {
            assertThat(rows.next()).isTrue();
            return List.of(rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getLong(4));
        }
    }

    @Test
    void sinkMetricsArePublishedPerSink() throws Exception {
        String name = SinkTestKit.unique("metrics");
        try (Connection connection = SinkTestKit.server().connect()) {
            execute(connection, "CREATE TABLE " + name + " (k int PRIMARY KEY)", "INSERT INTO " + name + " VALUES (1), (2)",
                    "CREATE SINK " + name + "_sink FROM " + name + " INTO KAFKA CONNECTION kafka (TOPIC '" + name + "') KEY (k) FORMAT JSON ENVELOPE UPSERT");
            SinkTestKit.awaitExactly(connection, name + "_sink", name, 2);
            String sinkId = SinkTestKit.sinkId(connection, name + "_sink");
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + SinkTestKit.server().server().httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).containsPattern("sluice_sink_messages_committed_total\\{sink_id=\"" + sinkId + "\"} 2(\\.0)?\n")
                    .containsPattern("sluice_sink_running\\{sink_id=\"" + sinkId + "\"} 1(\\.0)?\n")
                    .contains("sluice_sink_bytes_committed_total{sink_id=\"" + sinkId + "\"}");
        }
    }
}
