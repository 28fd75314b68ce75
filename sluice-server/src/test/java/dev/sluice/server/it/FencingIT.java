package dev.sluice.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.kafka.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Zombie fencing: a second server started on a copy of the data directory takes the sink over;
 * the first, resumed after SIGSTOP, writes nothing that lands.
 */
class FencingIT {
    @Test
    void resumedOldServerWritesNothingThatLands() throws Exception {
        Path first = Files.createTempDirectory("sluice-fence-a");
        Path second = Files.createTempDirectory("sluice-fence-b");
        try (EmbeddedKafka kafka = new EmbeddedKafka(Files.createTempDirectory("sluice-fence-kafka"), "127.0.0.1", ServerProcess.freePort());
                ServerProcess old = new ServerProcess(first, ServerProcess.freePort(), List.of());
                ServerProcess successor = new ServerProcess(second, ServerProcess.freePort(), List.of())) {
            kafka.start(Duration.ofSeconds(60));
            old.restartWith(List.of("--kafka", kafka.bootstrapServers()));
            successor.restartWith(List.of("--kafka", kafka.bootstrapServers()));
            old.start(Duration.ofSeconds(60));
            execute(old, "CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t VALUES (1), (2), (3)",
                    "CREATE CONNECTION k TO KAFKA (BROKER '" + kafka.bootstrapServers() + "', SECURITY PROTOCOL PLAINTEXT)",
                    "CREATE SINK s FROM t INTO KAFKA CONNECTION k (TOPIC 'fenced') KEY (id) FORMAT JSON ENVELOPE UPSERT");
            awaitKeys(kafka, 3);

            old.signal("STOP");
            copy(first, second);
            successor.start(Duration.ofSeconds(60));
            execute(successor, "INSERT INTO t VALUES (100), (101)");
            awaitKeys(kafka, 5);

            old.signal("CONT");
            execute(old, "INSERT INTO t VALUES (1000), (1001)");
            Thread.sleep(5000);
            execute(successor, "INSERT INTO t VALUES (102)");
            List<KafkaReader.Message> messages = awaitKeys(kafka, 6);
            assertThat(messages).extracting(KafkaReader.Message::key)
                    .containsExactlyInAnyOrder("{\"id\":1}", "{\"id\":2}", "{\"id\":3}", "{\"id\":100}", "{\"id\":101}", "{\"id\":102}");
        }
    }

    private static void execute(ServerProcess server, String... statements) throws Exception {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl()); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static List<KafkaReader.Message> awaitKeys(EmbeddedKafka kafka, int count) throws InterruptedException {
        List<KafkaReader.Message> messages = List.of();
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                messages = KafkaReader.readCommitted(kafka.bootstrapServers(), "fenced");
                if (messages.size() >= count) {
                    return messages;
                }
            } catch (RuntimeException notYet) {
                // topic not created yet
            }
            Thread.sleep(200);
        }
        return messages;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            files.forEach(source -> {
                try {
                    Path target = to.resolve(from.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else if (!source.getFileName().toString().equals("process.out")) {
                        Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
