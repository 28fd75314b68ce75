package dev.sluice.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.ServerConfig;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.kafka.EmbeddedKafka;
import dev.sluice.testing.registry.RegistryProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Avro sinks and their registry: the same behaviour with the registry built into Sluice and with a
 * registry that is another process, reached over {@code CREATE CONNECTION … TO CONFLUENT SCHEMA
 * REGISTRY (URL …)}; and the faults: an unreachable registry stalls the sink until it answers
 * again, an incompatible schema (409) stalls it with the reference's message, and no message is
 * ever written without its schema registered.
 */
class AvroRegistryIT {
    private static EmbeddedKafka kafka;

    /** Where the registry runs. */
    enum RegistryKind { BUILT_IN, SEPARATE_PROCESS }

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = new EmbeddedKafka(Files.createTempDirectory("sluice-kafka"), "127.0.0.1", ServerProcess.freePort());
        kafka.start(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    /** A server on {@code dataDir}; the environment id is the directory's name, so tests sharing the broker never share progress records. */
    private static SluiceServer sluice(Path dataDir, boolean builtInRegistry) {
        SluiceServer server = new SluiceServer(new ServerConfig(dataDir, "127.0.0.1", 0, 0, Optional.of(kafka.bootstrapServers()), 0,
                Optional.of(dataDir.getParent().getFileName().toString()), builtInRegistry ? Optional.of(0) : Optional.empty()), kafka.bootstrapServers());
        server.start();
        return server;
    }

    private static Connection connect(SluiceServer server) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.pgwirePort() + "/materialize?user=materialize");
    }

    private static void execute(SluiceServer server, String... statements) throws SQLException {
        try (Connection connection = connect(server); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** {@code (status, error)} of the sink now. */
    private static List<String> status(SluiceServer server, String sink) throws SQLException {
        try (Connection connection = connect(server); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT status, error FROM mz_internal.mz_sink_statuses WHERE name = '" + sink + "'")) {
            List<String> result = new ArrayList<>();
            if (rows.next()) {
                result.add(rows.getString(1));
                result.add(rows.getString(2));
            }
            return result;
        }
    }

    private static List<String> awaitStatus(SluiceServer server, String sink, Predicate<List<String>> wanted) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        List<String> last = List.of();
        while (System.currentTimeMillis() < deadline) {
            last = status(server, sink);
            if (!last.isEmpty() && wanted.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("sink " + sink + " never reached the expected status; last " + last);
    }

    private static List<AvroTopics.Message> awaitMessages(String registryUrl, String topic, int count) throws InterruptedException {
        List<AvroTopics.Message> messages = AvroTopics.await(kafka.bootstrapServers(), registryUrl, topic, found -> found.size() >= count);
        assertThat(messages).as("messages in " + topic).hasSize(count);
        return messages;
    }

    private static List<AvroTopics.Message> readNow(String registryUrl, String topic) {
        try {
            return AvroTopics.readCommitted(kafka.bootstrapServers(), registryUrl, topic);
        } catch (IllegalStateException | org.apache.kafka.common.KafkaException noTopicYet) {
            return List.of();
        }
    }

    @ParameterizedTest
    @EnumSource(RegistryKind.class)
    void aSinkBehavesTheSameWithABuiltInOrASeparateRegistry(RegistryKind kind) throws Exception {
        Path dataDir = Files.createTempDirectory("avro" + kind.ordinal());
        String topic = "same-" + kind.name().toLowerCase(java.util.Locale.ROOT);
        RegistryProcess process = kind == RegistryKind.SEPARATE_PROCESS ? new RegistryProcess(dataDir.resolve("registry")) : null;
        if (process != null) {
            process.start(Duration.ofSeconds(60));
        }
        try (SluiceServer server = sluice(dataDir.resolve("sluice"), kind == RegistryKind.BUILT_IN)) {
            String url = process != null ? process.url() : server.schemaRegistryUrl().orElseThrow();
            execute(server, "CREATE CONNECTION kafka_conn TO KAFKA (BROKER '" + kafka.bootstrapServers() + "', SECURITY PROTOCOL PLAINTEXT)",
                    "CREATE CONNECTION csr_conn TO CONFLUENT SCHEMA REGISTRY (URL '" + url + "')",
                    "CREATE TABLE orders (id int PRIMARY KEY, item text NOT NULL, amount numeric(10,2))",
                    "INSERT INTO orders VALUES (1, 'apple', 1.50)",
                    "CREATE SINK orders_sink FROM orders INTO KAFKA CONNECTION kafka_conn (TOPIC '" + topic + "') KEY (id) "
                            + "FORMAT AVRO USING CONFLUENT SCHEMA REGISTRY CONNECTION csr_conn ENVELOPE UPSERT",
                    "UPDATE orders SET amount = 2.00 WHERE id = 1", "DELETE FROM orders WHERE id = 1");
            List<AvroTopics.Message> messages = awaitMessages(url, topic, 3);
            assertThat(messages).extracting(AvroTopics.Message::keyJson).containsOnly("{\"id\":1}");
            assertThat(messages.get(0).decodedValue().get("amount")).isEqualTo(new java.math.BigDecimal("1.50"));
            assertThat(messages.get(1).decodedValue().get("amount")).isEqualTo(new java.math.BigDecimal("2.00"));
            assertThat(messages.get(2).value()).as("the delete is a tombstone").isNull();
            assertThat(messages.get(0).keySchemaId()).isEqualTo(AvroTopics.latest(url, topic + "-key").get("id").asInt());
            assertThat(messages.get(0).valueSchemaId()).isEqualTo(AvroTopics.latest(url, topic + "-value").get("id").asInt());
            assertThat(AvroTopics.latest(url, topic + "-value").get("schema").asText()).isEqualTo("{\"type\":\"record\",\"name\":\"envelope\","
                    + "\"fields\":[{\"name\":\"id\",\"type\":\"int\"},{\"name\":\"item\",\"type\":\"string\"},{\"name\":\"amount\",\"type\":[\"null\","
                    + "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":39,\"scale\":2}]}]}");
            assertThat(status(server, "orders_sink")).containsExactly("running", null);

            incompatibleSchemaStallsTheSinkUntilTheSubjectAcceptsIt(server, url, topic + "-conflict");
        } finally {
            if (process != null) {
                process.close();
            }
        }
    }

    /** 409 from the registry: stalled with the reference's message, nothing written; once the subject accepts the schema, it resumes. */
    private static void incompatibleSchemaStallsTheSinkUntilTheSubjectAcceptsIt(SluiceServer server, String url, String topic) throws Exception {
        String subject = topic + "-value";
        assertThat(AvroTopics.sendJson("PUT", url + "/config/" + subject, "{\"compatibility\":\"BACKWARD\"}").statusCode()).isEqualTo(200);
        String other = "{\"type\":\"record\",\"name\":\"envelope\",\"fields\":[{\"name\":\"other\",\"type\":\"string\"}]}";
        assertThat(AvroTopics.sendJson("POST", url + "/subjects/" + subject + "/versions",
                AvroTopics.parse("{}").deepCopy().toString().replace("{}", "{\"schema\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(other)
                        + "}")).statusCode()).isEqualTo(200);
        execute(server, "CREATE TABLE conflicting (id int PRIMARY KEY, v text)", "INSERT INTO conflicting VALUES (1, 'a')",
                "CREATE SINK conflicting_sink FROM conflicting INTO KAFKA CONNECTION kafka_conn (TOPIC '" + topic + "') KEY (id) "
                        + "FORMAT AVRO USING CONFLUENT SCHEMA REGISTRY CONNECTION csr_conn ENVELOPE UPSERT");
        List<String> stalled = awaitStatus(server, "conflicting_sink", found -> found.get(0).equals("stalled"));
        assertThat(stalled.get(1)).startsWith("kafka: error publishing kafka schemas for sink: unable to publish schema to registry in kafka sink: ")
                .contains("schema being registered is incompatible with an earlier schema");
        assertThat(readNow(url, topic)).as("nothing is written without a registered schema").isEmpty();

        assertThat(AvroTopics.sendJson("PUT", url + "/config/" + subject, "{\"compatibility\":\"NONE\"}").statusCode()).isEqualTo(200);
        awaitStatus(server, "conflicting_sink", found -> found.get(0).equals("running"));
        execute(server, "INSERT INTO conflicting VALUES (2, 'b')");
        List<AvroTopics.Message> messages = awaitMessages(url, topic, 2);
        int registered = AvroTopics.latest(url, subject).get("id").asInt();
        assertThat(messages).extracting(AvroTopics.Message::valueSchemaId).containsOnly(registered);
        assertThat(AvroTopics.schemaById(url, registered)).isNotEqualTo(other).contains("\"name\":\"v\"");
        assertThat(messages).extracting(AvroTopics.Message::valueJson)
                .containsExactly("{\"id\":1,\"v\":{\"string\":\"a\"}}", "{\"id\":2,\"v\":{\"string\":\"b\"}}");
    }

    @Test
    void anUnreachableRegistryStallsTheSinkWhichResumesWhenItAnswersAgain() throws Exception {
        Path dataDir = Files.createTempDirectory("unreachable");
        try (RegistryProcess registry = new RegistryProcess(dataDir.resolve("registry"))) {
            registry.start(Duration.ofSeconds(60));
            int valueSchemaId;
            try (SluiceServer first = sluice(dataDir.resolve("sluice"), false)) {
                execute(first, "CREATE CONNECTION kafka_conn TO KAFKA (BROKER '" + kafka.bootstrapServers() + "', SECURITY PROTOCOL PLAINTEXT)",
                        "CREATE CONNECTION csr_conn TO CONFLUENT SCHEMA REGISTRY (URL '" + registry.url() + "')",
                        "CREATE TABLE events (id int PRIMARY KEY, what text)", "INSERT INTO events VALUES (1, 'first')",
                        "CREATE SINK events_sink FROM events INTO KAFKA CONNECTION kafka_conn (TOPIC 'events') KEY (id) "
                                + "FORMAT AVRO USING CONFLUENT SCHEMA REGISTRY CONNECTION csr_conn ENVELOPE DEBEZIUM");
                valueSchemaId = awaitMessages(registry.url(), "events", 1).get(0).valueSchemaId();
                // The schema was fixed at CREATE SINK: a later comment must not change what the sink publishes after a restart.
                execute(first, "COMMENT ON TABLE events IS 'commented after the sink was created'");
            }
            registry.kill();
            try (SluiceServer second = sluice(dataDir.resolve("sluice"), false)) {
                List<String> stalled = awaitStatus(second, "events_sink", found -> found.get(0).equals("stalled"));
                assertThat(stalled.get(1)).startsWith("kafka: error publishing kafka schemas for sink: unable to publish schema to registry in "
                        + "kafka sink: error sending request for url (" + registry.url() + "/subjects/events-key/versions)");
                execute(second, "INSERT INTO events VALUES (2, 'while the registry is down')");
                // Stalled: the sink retries every few seconds and stays stalled while the registry is away.
                Thread.sleep(6_000);
                assertThat(status(second, "events_sink").get(0)).isEqualTo("stalled");
                registry.start(Duration.ofSeconds(60));
                awaitStatus(second, "events_sink", found -> found.get(0).equals("running"));
                List<AvroTopics.Message> messages = awaitMessages(registry.url(), "events", 2);
                assertThat(messages).extracting(AvroTopics.Message::valueSchemaId).as("the stored schema, re-published, keeps its id")
                        .containsOnly(valueSchemaId);
                assertThat(AvroTopics.latest(registry.url(), "events-value").get("version").asInt()).isEqualTo(1);
                assertThat(messages.get(1).valueJson())
                        .isEqualTo("{\"before\":null,\"after\":{\"row\":{\"id\":2,\"what\":{\"string\":\"while the registry is down\"}}}}");
                try (Connection connection = connect(second); Statement statement = connection.createStatement();
                        ResultSet history = statement.executeQuery("SELECT status FROM mz_internal.mz_sink_status_history h JOIN mz_catalog.mz_sinks s "
                                + "ON h.sink_id = s.id WHERE s.name = 'events_sink' ORDER BY occurred_at")) {
                    List<String> statuses = new ArrayList<>();
                    while (history.next()) {
                        statuses.add(history.getString(1));
                    }
                    assertThat(statuses).containsSubsequence("starting", "stalled", "starting", "running");
                }
            }
        }
    }
}
