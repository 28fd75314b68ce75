package dev.sluice.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.kafka.EmbeddedKafka;
import dev.sluice.testing.registry.TestRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Sluice Avro topic read by independent implementations: librdkafka consumes it read_committed
 * ({@code python3-confluent-kafka}), Confluent's Python client fetches each schema by the id in the
 * message, and Apache Avro's Python library ({@code python3-avro}) decodes the datum
 * ({@code src/test/resources/peers/avro_topic_reader.py}). No Java Avro code is involved. Skipped
 * when the Debian packages are missing, unless {@code SLUICE_REQUIRE_PEERS=1}.
 */
class AvroPeerIT {
    private static final String PYTHON = "/usr/bin/python3";
    private static EmbeddedKafka kafka;
    private static TestRegistry registry;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        requirePeers();
        kafka = new EmbeddedKafka(Files.createTempDirectory("sluice-kafka"), "127.0.0.1", ServerProcess.freePort());
        kafka.start(Duration.ofSeconds(60));
        registry = TestRegistry.start();
        server = new TestServer(kafka.bootstrapServers());
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE CONNECTION kafka_conn TO KAFKA (BROKER '" + kafka.bootstrapServers() + "', SECURITY PROTOCOL PLAINTEXT)");
            statement.execute("CREATE CONNECTION csr_conn TO CONFLUENT SCHEMA REGISTRY (URL '" + registry.url() + "')");
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
            registry.close();
            kafka.close();
        }
    }

    private static void requirePeers() throws Exception {
        boolean present = Files.isExecutable(Path.of(PYTHON)) && run(List.of(PYTHON, "-c", "import confluent_kafka, avro.io, avro.schema")).exitValue() == 0;
        String message = "needs /usr/bin/python3 with the Debian packages python3-confluent-kafka and python3-avro (apt-get install "
                + "python3-confluent-kafka python3-avro)";
        if (!present && "1".equals(System.getenv("SLUICE_REQUIRE_PEERS"))) {
            throw new AssertionError("SLUICE_REQUIRE_PEERS=1 but this test " + message);
        }
        Assumptions.assumeTrue(present, "skipped: this test " + message);
    }

    private static Process run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        process.waitFor(60, TimeUnit.SECONDS);
        return process;
    }

    /** The peer reader's output: one decoded message per line. */
    private static List<JsonNode> readWithPython(String topic, int count) throws Exception {
        // Wait until the sink has committed them, so the peer's read is a check of the bytes, not of timing.
        AvroTopics.await(kafka.bootstrapServers(), registry.url(), topic, found -> found.size() >= count);
        Path script = Path.of(AvroPeerIT.class.getResource("/peers/avro_topic_reader.py").toURI());
        Process process = new ProcessBuilder(PYTHON, script.toString(), "--bootstrap", kafka.bootstrapServers(), "--registry", registry.url(),
                "--topic", topic, "--count", Integer.toString(count), "--timeout", "90").redirectErrorStream(false).start();
        byte[] stdout = process.getInputStream().readAllBytes();
        byte[] stderr = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("peer reader failed: " + new String(stderr, StandardCharsets.UTF_8)).isZero();
        List<JsonNode> messages = new ArrayList<>();
        for (String line : new String(stdout, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                messages.add(AvroTopics.parse(line));
            }
        }
        return messages;
    }

    @Test
    void librdkafkaAndPythonAvroDecodeADebeziumSinkOfManyTypes() throws Exception {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE peer (id int PRIMARY KEY, t text, n numeric(10,2), nf numeric, d date, ti time, ts timestamptz, "
                    + "ts3 timestamp(3), b bytea, u uuid, l int list, m map[text=>int], iv interval, u4 uint4, j jsonb, f double precision, r real)");
            statement.execute("INSERT INTO peer VALUES (1, 'héllo', -12.30, 0.25, '2024-01-31', '01:02:03.000004', '2024-01-31 11:12:13.5+02', "
                    + "'1999-12-31 23:59:59.999', '\\x00ff', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{1,NULL,3}', '{a=>1,b=>NULL}', '1 month 2 days', "
                    + "4294967295, '{\"k\": [true, null]}', 2.5, -1.25)");
            statement.execute("INSERT INTO peer (id) VALUES (2)");
            statement.execute("CREATE SINK peer_sink FROM peer INTO KAFKA CONNECTION kafka_conn (TOPIC 'peer') KEY (id) "
                    + "FORMAT AVRO USING CONFLUENT SCHEMA REGISTRY CONNECTION csr_conn ENVELOPE DEBEZIUM");
            statement.execute("UPDATE peer SET t = 'changed' WHERE id = 2");
        }
        List<JsonNode> messages = readWithPython("peer", 3);
        assertThat(messages).hasSize(3);
        int keyId = AvroTopics.latest(registry.url(), "peer-key").get("id").asInt();
        int valueId = AvroTopics.latest(registry.url(), "peer-value").get("id").asInt();
        assertThat(messages).allSatisfy(message -> {
            assertThat(message.get("key_schema_id").asInt()).isEqualTo(keyId);
            assertThat(message.get("value_schema_id").asInt()).isEqualTo(valueId);
            assertThat(message.get("headers").has("materialize-timestamp")).isTrue();
        });
        JsonNode first = messages.stream().filter(m -> m.at("/key/id").asInt() == 1).findFirst().orElseThrow();
        assertThat(first.at("/value/before").isNull()).isTrue();
        JsonNode row = first.at("/value/after");
        assertThat(row.get("id").asInt()).isEqualTo(1);
        assertThat(row.get("t").asText()).isEqualTo("héllo");
        assertThat(row.at("/n/decimal").asText()).isEqualTo("-12.30");
        assertThat(new java.math.BigDecimal(row.at("/nf/decimal").asText())).isEqualByComparingTo("0.25");
        assertThat(row.at("/d/date").asText()).isEqualTo("2024-01-31");
        assertThat(row.at("/ti/time").asText()).isEqualTo("01:02:03.000004");
        assertThat(row.at("/ts/timestamp").asText()).isEqualTo("2024-01-31T09:12:13.500000+00:00");
        assertThat(row.at("/ts3/timestamp").asText()).isEqualTo("1999-12-31T23:59:59.999000+00:00");
        assertThat(row.at("/b/bytes").toString()).isEqualTo("[0,255]");
        assertThat(row.get("u").asText()).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        assertThat(row.get("l").toString()).isEqualTo("[1,null,3]");
        assertThat(row.get("m").toString()).isEqualTo("{\"a\":1,\"b\":null}");
        assertThat(row.at("/iv/bytes").toString()).isEqualTo("[1,0,0,0,2,0,0,0,0,0,0,0,0,0,0,0]");
        assertThat(row.at("/u4/bytes").toString()).isEqualTo("[255,255,255,255]");
        assertThat(row.get("j").asText()).isEqualTo("{\"k\":[true,null]}");
        assertThat(row.get("f").asDouble()).isEqualTo(2.5);
        assertThat(row.get("r").asDouble()).isEqualTo(-1.25);

        List<JsonNode> second = messages.stream().filter(m -> m.at("/key/id").asInt() == 2).toList();
        assertThat(second).hasSize(2);
        assertThat(second.get(0).at("/value/after/t").isNull()).isTrue();
        assertThat(second.get(1).at("/value/before/t").isNull()).isTrue();
        assertThat(second.get(1).at("/value/after/t").asText()).isEqualTo("changed");
    }

    @Test
    void pythonReadsUpsertTombstonesAndKeysInTheirPartitions() throws Exception {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE peer_upsert (key text, value text)");
            statement.execute("INSERT INTO peer_upsert VALUES ('v1', NULL)");
            statement.execute("CREATE SINK peer_upsert_sink FROM peer_upsert INTO KAFKA CONNECTION kafka_conn (TOPIC 'peer-upsert', "
                    + "TOPIC PARTITION COUNT 100) KEY (key) NOT ENFORCED FORMAT AVRO USING CONFLUENT SCHEMA REGISTRY CONNECTION csr_conn "
                    + "ENVELOPE UPSERT");
            statement.execute("DELETE FROM peer_upsert");
        }
        List<JsonNode> messages = readWithPython("peer-upsert", 2);
        assertThat(messages).extracting(message -> message.get("partition").asInt()).containsOnly(75);
        assertThat(messages).extracting(message -> message.get("key").toString()).containsOnly("{\"key\":\"v1\"}");
        assertThat(messages.get(0).get("value").toString()).isEqualTo("{\"key\":\"v1\",\"value\":null}");
        assertThat(messages.get(1).get("value").isNull()).as("a tombstone").isTrue();
        assertThat(messages.get(1).get("value_schema_id").isNull()).isTrue();
    }
}
