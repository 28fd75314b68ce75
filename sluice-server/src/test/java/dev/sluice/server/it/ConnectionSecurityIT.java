package dev.sluice.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.server.kafka.EmbeddedKafka;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * A Kafka connection's SASL options reach every client it makes: validation, topic admin, the
 * progress scan and the transactional producer all authenticate against a broker listener that
 * accepts nothing else.
 */
class ConnectionSecurityIT {
    private static EmbeddedKafka kafka;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        kafka = new EmbeddedKafka(Files.createTempDirectory("sluice-kafka-sasl"), "127.0.0.1", ServerProcess.freePort())
                .withSaslPlainListener(ServerProcess.freePort(), Map.of("sluice", "right-password"));
        kafka.start(Duration.ofSeconds(60));
        server = new TestServer(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        server.close();
        kafka.close();
    }

    @Test
    void saslPlainConnectionValidatesAuthenticatesAndCarriesASink() throws Exception {
        String sasl = kafka.saslBootstrapServers().orElseThrow();
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SECRET right_password AS 'right-password'");
            statement.execute("CREATE SECRET wrong_password AS 'wrong-password'");
            assertThatThrownBy(() -> statement.execute("CREATE CONNECTION wrong TO KAFKA (BROKER '" + sasl + "', SECURITY PROTOCOL SASL_PLAINTEXT, "
                    + "SASL MECHANISMS 'plain', SASL USERNAME 'sluice', SASL PASSWORD SECRET wrong_password)"))
                    .isInstanceOfSatisfying(PSQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("08006");
                        assertThat(e.getMessage()).containsIgnoringCase("authentication").doesNotContain("wrong-password");
                    });
            // The mechanism is upper-cased, as the reference says.
            statement.execute("CREATE CONNECTION secured TO KAFKA (BROKER '" + sasl + "', SECURITY PROTOCOL SASL_PLAINTEXT, "
                    + "SASL MECHANISMS 'plain', SASL USERNAME 'sluice', SASL PASSWORD SECRET right_password)");
            statement.execute("CREATE TABLE secured_rows (id int PRIMARY KEY, v text)");
            statement.execute("INSERT INTO secured_rows VALUES (1, 'one')");
            statement.execute("CREATE SINK secured_sink FROM secured_rows INTO KAFKA CONNECTION secured (TOPIC 'secured-topic') "
                    + "KEY (id) FORMAT JSON ENVELOPE UPSERT");
            statement.execute("INSERT INTO secured_rows VALUES (2, 'two')");
            List<KafkaReader.Message> messages = awaitMessages("secured-topic", 2);
            assertThat(messages).extracting(KafkaReader.Message::value)
                    .containsExactlyInAnyOrder("{\"id\":1,\"v\":\"one\"}", "{\"id\":2,\"v\":\"two\"}");
        }
    }

    private static List<KafkaReader.Message> awaitMessages(String topic, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        List<KafkaReader.Message> messages = List.of();
        while (System.currentTimeMillis() < deadline) {
            try {
                messages = KafkaReader.readCommitted(kafka.bootstrapServers(), topic);
                if (messages.size() >= count) {
                    return messages;
                }
            } catch (RuntimeException topicNotThereYet) {
                // retry
            }
            Thread.sleep(200);
        }
        return messages;
    }
}
