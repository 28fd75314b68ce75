package dev.sluice.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.kafka.sink.CommitHook;
import dev.sluice.testing.ExternalKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Zombie fencing. The first server is frozen (SIGSTOP) in the worst moment: its sink has produced
 * a transaction's data and progress record and not yet committed. A second server, started on a
 * copy of the first's data directory, takes the sink over (same transactional id) and carries on.
 * The first, resumed (SIGCONT), must write nothing that lands, and must end up stopped with the
 * {@code fenced} status instead of restarting and fencing the second back.
 */
class FencingIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void resumedOldServerWritesNothingThatLandsAndStopsAsFenced() throws Exception {
        ExternalKafka kafka = ExternalKafka.shared();
        String topic = "fenced-" + System.nanoTime();
        Path first = Files.createTempDirectory("sluice-fence-a");
        Path second = Files.createTempDirectory("sluice-fence-b");
        Path pause = first.resolveSibling(first.getFileName() + "-pause");
        Path paused = pause.resolveSibling(pause.getFileName() + ".paused");
        try (ServerProcess old = new ServerProcess(first, ServerProcess.freePort(), List.of("--kafka", kafka.bootstrapServers()),
                List.of("-D" + CommitHook.PAUSE_PROPERTY + "=" + pause));
                ServerProcess successor = new ServerProcess(second, ServerProcess.freePort(), List.of("--kafka", kafka.bootstrapServers()))) {
            old.start(WAIT);
            execute(old, "CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL)", "INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')",
                    "CREATE CONNECTION k TO KAFKA (BROKER '" + kafka.bootstrapServers() + "', SECURITY PROTOCOL PLAINTEXT)",
                    "CREATE SINK s FROM t INTO KAFKA CONNECTION k (TOPIC '" + topic + "', TOPIC PARTITION COUNT 2) KEY (id) FORMAT JSON ENVELOPE UPSERT");
            assertThat(SinkWatch.awaitMessages(kafka.bootstrapServers(), topic, 3, WAIT)).hasSize(3);

            // Freeze the old server with a produced, uncommitted transaction.
            Files.writeString(pause, "pause");
            execute(old, "INSERT INTO t VALUES (10, 'j'), (11, 'k')", "UPDATE t SET v = 'a2' WHERE id = 1");
            awaitFile(paused);
            old.signal("STOP");
            Files.delete(pause);

            copy(first, second);
            successor.start(WAIT);
            SinkWatch successorWatch = new SinkWatch(successor.jdbcUrl());
            successorWatch.awaitStatus("s", "running", WAIT);
            execute(successor, "INSERT INTO t VALUES (100, 'x'), (101, 'y')");
            assertThat(SinkWatch.awaitMessages(kafka.bootstrapServers(), topic, 8, WAIT)).hasSize(8);

            old.signal("CONT");
            SinkWatch oldWatch = new SinkWatch(old.jdbcUrl());
            SinkWatch.Status fenced = oldWatch.awaitStatus("s", "fenced", WAIT);
            assertThat(fenced.error()).hasValueSatisfying(error -> assertThat(error).startsWith("kafka: ").containsIgnoringCase("fence"));
            assertThat(fenced.details()).hasValueSatisfying(details -> assertThat(details).contains("Another Sluice process took over this sink"));
            execute(old, "INSERT INTO t VALUES (1000, 'zombie'), (1001, 'zombie')");

            // The successor keeps the sink: a later change of it lands, and it was never fenced back.
            execute(successor, "INSERT INTO t VALUES (102, 'z')");
            List<KafkaReader.Message> messages = SinkWatch.awaitMessages(kafka.bootstrapServers(), topic, 9, WAIT);
            assertThat(successorWatch.status("s").status()).isEqualTo("running");
            assertThat(successorWatch.history("s")).extracting(SinkWatch.Status::status).doesNotContain("fenced", "stalled");

            // The old one stopped for good: nothing after its fenced status, no restart.
            List<SinkWatch.Status> oldHistory = oldWatch.history("s");
            assertThat(oldHistory.get(oldHistory.size() - 1).status()).as("old history %s", oldHistory).isEqualTo("fenced");
            assertThat(oldHistory).extracting(SinkWatch.Status::status).as("old history %s", oldHistory).containsOnlyOnce("fenced");

            List<String> landed = new ArrayList<>();
            for (KafkaReader.Message message : messages) {
                landed.add(message.key() + "=" + message.value());
            }
            assertThat(landed).as("exactly what the sink owes, once each; nothing of the zombie").containsExactlyInAnyOrder(
                    "{\"id\":1}={\"id\":1,\"v\":\"a\"}", "{\"id\":2}={\"id\":2,\"v\":\"b\"}", "{\"id\":3}={\"id\":3,\"v\":\"c\"}",
                    "{\"id\":10}={\"id\":10,\"v\":\"j\"}", "{\"id\":11}={\"id\":11,\"v\":\"k\"}", "{\"id\":1}={\"id\":1,\"v\":\"a2\"}",
                    "{\"id\":100}={\"id\":100,\"v\":\"x\"}", "{\"id\":101}={\"id\":101,\"v\":\"y\"}", "{\"id\":102}={\"id\":102,\"v\":\"z\"}");
            List<String> key1 = messages.stream().filter(message -> message.key().equals("{\"id\":1}")).map(KafkaReader.Message::value).toList();
            assertThat(key1).as("per-key order").containsExactly("{\"id\":1,\"v\":\"a\"}", "{\"id\":1,\"v\":\"a2\"}");
        }
    }

    private static void execute(ServerProcess server, String... statements) throws Exception {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl()); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the sink never paused before a commit (" + file + ")");
            }
            Thread.sleep(10);
        }
    }

    /** A copy of the frozen server's data directory: to the successor it looks like a crash image. */
    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            files.forEach(source -> {
                try {
                    Path target = to.resolve(from.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else if (!source.getFileName().toString().equals("process.out")) {
                        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
