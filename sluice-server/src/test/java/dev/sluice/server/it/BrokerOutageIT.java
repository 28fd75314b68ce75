package dev.sluice.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.kafka.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The broker stops mid-stream and comes back: the sink goes stalled, then running, and the output is exact. */
class BrokerOutageIT {
    @Test
    void sinkStallsWhileTheBrokerIsDownAndResumesExactly() throws Exception {
        Path kafkaDir = Files.createTempDirectory("sluice-outage-kafka");
        int port = ServerProcess.freePort();
        EmbeddedKafka kafka = new EmbeddedKafka(kafkaDir, "127.0.0.1", port);
        kafka.start(Duration.ofSeconds(60));
        try (TestServer server = new TestServer(kafka.bootstrapServers()); Connection connection = server.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (id int PRIMARY KEY)");
            for (int i = 0; i < 50; i++) {
                statement.execute("INSERT INTO t VALUES (" + i + ")");
            }
            statement.execute("CREATE CONNECTION k TO KAFKA (BROKER '" + kafka.bootstrapServers() + "', SECURITY PROTOCOL PLAINTEXT)");
            statement.execute("CREATE SINK s FROM t INTO KAFKA CONNECTION k (TOPIC 'outage') KEY (id) FORMAT JSON ENVELOPE UPSERT");
            awaitMessages(kafka.bootstrapServers(), 50);

            kafka.close();
            for (int i = 50; i < 100; i++) {
                statement.execute("INSERT INTO t VALUES (" + i + ")");
            }
            assertThat(awaitStatus(statement, "stalled", Duration.ofSeconds(120))).as("the sink reports the outage").isTrue();

            kafka = new EmbeddedKafka(kafkaDir, "127.0.0.1", port);
            kafka.start(Duration.ofSeconds(60));
            assertThat(awaitStatus(statement, "running", Duration.ofSeconds(150))).as("the sink recovers by itself; history: %s", history(statement))
                    .isTrue();
            List<KafkaReader.Message> messages = awaitMessages(kafka.bootstrapServers(), 100);
            assertThat(messages).hasSize(100);
            assertThat(messages).extracting(KafkaReader.Message::key).doesNotHaveDuplicates();
            try (ResultSet errors = statement.executeQuery("SELECT error FROM mz_internal.mz_sink_status_history WHERE status = 'stalled'")) {
                assertThat(errors.next()).isTrue();
                assertThat(errors.getString(1)).startsWith("kafka: ");
            }
        } finally {
            kafka.close();
        }
    }

    private static String history(Statement statement) throws Exception {
        StringBuilder text = new StringBuilder();
        try (ResultSet rows = statement.executeQuery("SELECT occurred_at, status, error FROM mz_internal.mz_sink_status_history")) {
            while (rows.next()) {
                text.append('\n').append(rows.getString(1)).append(' ').append(rows.getString(2)).append(' ').append(rows.getString(3));
            }
        }
        return text.toString();
    }

    private static boolean awaitStatus(Statement statement, String status, Duration timeout) throws Exception {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            try (ResultSet rows = statement.executeQuery("SELECT status FROM mz_internal.mz_sink_statuses WHERE name = 's'")) {
                if (rows.next() && status.equals(rows.getString(1))) {
                    return true;
                }
            }
            Thread.sleep(250);
        }
        return false;
    }

    private static List<KafkaReader.Message> awaitMessages(String bootstrap, int count) throws InterruptedException {
        List<KafkaReader.Message> messages = List.of();
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                messages = KafkaReader.readCommitted(bootstrap, "outage");
                if (messages.size() >= count) {
                    return messages;
                }
            } catch (RuntimeException notYet) {
                // topic not there yet
            }
            Thread.sleep(250);
        }
        return messages;
    }
}
