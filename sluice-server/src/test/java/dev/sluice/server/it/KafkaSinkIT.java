package dev.sluice.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.hash.SeaHash;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The exactly-once Kafka sink end to end: SQL in, a real broker, a plain read_committed consumer out. */
@ExtendWith(DropSinksAfterEach.class)
class KafkaSinkIT {
    private static final TestServer server = SinkTestKit.server();

    private static List<KafkaReader.Message> awaitMessages(String topic, Predicate<List<KafkaReader.Message>> done) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        List<KafkaReader.Message> messages = List.of();
        while (System.currentTimeMillis() < deadline) {
            try {
                messages = KafkaReader.readCommitted(SinkTestKit.bootstrap(), topic);
                if (done.test(messages)) {
                    return messages;
                }
            } catch (RuntimeException topicNotThereYet) {
                // retry
            }
            Thread.sleep(200);
        }
        return messages;
    }

    @Test
    void upsertJsonSinkWritesSnapshotThenChangesExactlyOnce() throws Exception {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE orders (id int PRIMARY KEY, item text, amount numeric(6,2))");
            statement.execute("INSERT INTO orders VALUES (1, 'apple', 1.50), (2, 'pear', 2.00)");
            statement.execute("CREATE SINK orders_sink FROM orders INTO KAFKA CONNECTION kafka (TOPIC 'orders', TOPIC PARTITION COUNT 3) "
                    + "KEY (id) FORMAT JSON ENVELOPE UPSERT");
            List<KafkaReader.Message> snapshot = awaitMessages("orders", messages -> messages.size() >= 2);
            assertThat(snapshot).extracting(KafkaReader.Message::key, KafkaReader.Message::value).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("{\"id\":1}", "{\"id\":1,\"item\":\"apple\",\"amount\":\"1.50\"}"),
                    org.assertj.core.groups.Tuple.tuple("{\"id\":2}", "{\"id\":2,\"item\":\"pear\",\"amount\":\"2.00\"}"));
            for (KafkaReader.Message message : snapshot) {
                long hash = SeaHash.hash(message.key().getBytes(StandardCharsets.UTF_8));
                assertThat(message.partition()).isEqualTo((int) Long.remainderUnsigned(hash, 3));
                assertThat(message.headers()).containsKey("materialize-timestamp");
            }
            statement.execute("UPDATE orders SET amount = 3.00 WHERE id = 1");
            statement.execute("DELETE FROM orders WHERE id = 2");
            List<KafkaReader.Message> all = awaitMessages("orders", messages -> messages.size() >= 4);
            assertThat(all).hasSize(4);
            assertThat(all).extracting(KafkaReader.Message::key, KafkaReader.Message::value).contains(
                    org.assertj.core.groups.Tuple.tuple("{\"id\":1}", "{\"id\":1,\"item\":\"apple\",\"amount\":\"3.00\"}"),
                    org.assertj.core.groups.Tuple.tuple("{\"id\":2}", null));
            try (ResultSet statuses = statement.executeQuery("SELECT status FROM mz_internal.mz_sink_statuses WHERE name = 'orders_sink'")) {
                assertThat(statuses.next()).isTrue();
                assertThat(statuses.getString(1)).isEqualTo("running");
            }
            List<KafkaReader.Message> progress = KafkaReader.readCommitted(SinkTestKit.bootstrap(), SinkTestKit.progressTopic(connection, "orders_sink"));
            assertThat(progress).isNotEmpty();
            assertThat(progress.get(progress.size() - 1).value()).matches("\\{\"frontier\":\\[\\d+],\"version\":0}");
        }
    }

    @Test
    void aNotEnforcedKeyThatRepeatsKeepsEveryMessageAndWarnsInTheLog() throws Exception {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement();
                CapturedLog log = CapturedLog.of(dev.sluice.kafka.sink.KafkaSink.class)) {
            statement.execute("CREATE TABLE repeats (k int, v text)");
            statement.execute("CREATE SINK repeats_sink FROM repeats INTO KAFKA CONNECTION kafka (TOPIC 'repeats') KEY (k) NOT ENFORCED "
                    + "FORMAT JSON ENVELOPE UPSERT");
            awaitMessages("repeats", messages -> true);
            // Two insertions of key 1 at one time (sent without pairing), then two updates of it (paired).
            statement.execute("INSERT INTO repeats VALUES (1, 'a'), (1, 'b'), (2, 'c')");
            List<KafkaReader.Message> inserted = awaitMessages("repeats", messages -> messages.size() >= 3);
            assertThat(inserted).extracting(KafkaReader.Message::key, KafkaReader.Message::value).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("{\"k\":1}", "{\"k\":1,\"v\":\"a\"}"),
                    org.assertj.core.groups.Tuple.tuple("{\"k\":1}", "{\"k\":1,\"v\":\"b\"}"),
                    org.assertj.core.groups.Tuple.tuple("{\"k\":2}", "{\"k\":2,\"v\":\"c\"}"));
            String warning = "sink " + SinkTestKit.sinkId(connection, "repeats_sink") + ": primary key error: expected at most one update per key "
                    + "and timestamp; this can happen when the configured sink key is not a primary key of the sinked relation";
            assertThat(log.messages()).containsExactly(warning);
            statement.execute("UPDATE repeats SET v = 'd' WHERE k = 1");
            List<KafkaReader.Message> updated = awaitMessages("repeats", messages -> messages.size() >= 5);
            assertThat(updated.subList(3, updated.size())).extracting(KafkaReader.Message::key, KafkaReader.Message::value).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("{\"k\":1}", "{\"k\":1,\"v\":\"d\"}"),
                    org.assertj.core.groups.Tuple.tuple("{\"k\":1}", "{\"k\":1,\"v\":\"d\"}"));
            // Within ten seconds of the first warning the second is held back: no user-visible error, no status change.
            assertThat(log.messages()).containsExactly(warning);
            try (ResultSet statuses = statement.executeQuery("SELECT status, error FROM mz_internal.mz_sink_statuses WHERE name = 'repeats_sink'")) {
                assertThat(statuses.next()).isTrue();
                assertThat(statuses.getString(1)).isEqualTo("running");
                assertThat(statuses.getString(2)).isNull();
            }
        }
    }

    @Test
    void debeziumSinkPairsUpdatesByKey() throws Exception {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE accounts (k int PRIMARY KEY, v text)");
            statement.execute("CREATE SINK accounts_sink FROM accounts INTO KAFKA CONNECTION kafka (TOPIC 'accounts') KEY (k) FORMAT JSON "
                    + "ENVELOPE DEBEZIUM");
            awaitMessages("accounts", messages -> true);
            statement.execute("INSERT INTO accounts VALUES (1, 'a')");
            statement.execute("UPDATE accounts SET v = 'b' WHERE k = 1");
            statement.execute("DELETE FROM accounts WHERE k = 1");
            List<KafkaReader.Message> messages = awaitMessages("accounts", found -> found.size() >= 3);
            assertThat(messages).extracting(KafkaReader.Message::value).containsExactly(
                    "{\"before\":null,\"after\":{\"k\":1,\"v\":\"a\"}}",
                    "{\"before\":{\"k\":1,\"v\":\"a\"},\"after\":{\"k\":1,\"v\":\"b\"}}",
                    "{\"before\":{\"k\":1,\"v\":\"b\"},\"after\":null}");
        }
    }

    @Test
    void createSinkRejectsInvalidDefinitionsWithTheReferenceMessages() throws Exception {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE plain (a int, b text)");
            assertThatThrownBy(() -> statement.execute("CREATE SINK s FROM plain INTO KAFKA CONNECTION kafka (TOPIC 't') FORMAT JSON"))
                    .hasMessageContaining("ENVELOPE clause is required");
            assertThatThrownBy(() -> statement.execute("CREATE SINK s FROM plain INTO KAFKA CONNECTION kafka FORMAT JSON ENVELOPE DEBEZIUM"))
                    .hasMessageContaining("KAFKA CONNECTION must specify TOPIC");
            assertThatThrownBy(() -> statement.execute("CREATE SINK s FROM plain INTO KAFKA CONNECTION kafka (TOPIC 't') FORMAT JSON ENVELOPE UPSERT"))
                    .hasMessageContaining("upsert sinks must specify a key");
            assertThatThrownBy(() -> statement.execute("CREATE SINK s FROM plain INTO KAFKA CONNECTION kafka (TOPIC 't') KEY (a) FORMAT JSON "
                    + "ENVELOPE UPSERT")).hasMessageContaining("upsert key could not be validated as unique");
            assertThatThrownBy(() -> statement.execute("CREATE SINK s FROM plain INTO KAFKA CONNECTION kafka (TOPIC 't') KEY (nope) FORMAT JSON "
                    + "ENVELOPE DEBEZIUM")).hasMessageContaining("column referenced in KEY does not exist: nope");
            assertThatThrownBy(() -> statement.execute("CREATE SINK s FROM plain INTO KAFKA CONNECTION kafka (TOPIC 't', COMPRESSION TYPE 'brotli') "
                    + "FORMAT JSON ENVELOPE DEBEZIUM")).hasMessageContaining("invalid COMPRESSION TYPE: brotli");
            assertThatThrownBy(() -> statement.execute("CREATE SINK s FROM plain INTO KAFKA CONNECTION kafka (TOPIC 't') FORMAT TEXT ENVELOPE DEBEZIUM"))
                    .hasMessageContaining("BYTES or TEXT format with multiple columns not yet supported");
            assertThatThrownBy(() -> statement.execute("CREATE SINK s FROM plain INTO KAFKA CONNECTION kafka (TOPIC 't') FORMAT JSON ENVELOPE DEBEZIUM "
                    + "WITH (SIZE = '1')")).hasMessageContaining("Expected one of PARTITION or SNAPSHOT or VERSION or COMMIT, found identifier \"size\"");
            assertThatThrownBy(() -> statement.execute("CREATE SINK s FROM plain INTO KAFKA CONNECTION kafka (TOPIC 't', TOPIC REPLICATION FACTOR 0) "
                    + "FORMAT JSON ENVELOPE DEBEZIUM")).hasMessageContaining("TOPIC REPLICATION FACTOR must be a positive integer");
            statement.execute("CREATE SINK s_ok FROM plain INTO KAFKA CONNECTION kafka (TOPIC 'plain') FORMAT JSON ENVELOPE DEBEZIUM");
            assertThatThrownBy(() -> statement.execute("DROP TABLE plain")).hasMessageContaining("still depended upon by sink");
            statement.execute("DROP SINK s_ok");
            statement.execute("DROP TABLE plain");
        }
    }
}
