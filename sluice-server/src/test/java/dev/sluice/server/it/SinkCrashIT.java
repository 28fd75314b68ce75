package dev.sluice.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.kafka.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once under SIGKILL: the server runs as a child process against a broker in this JVM;
 * clients insert and update rows while the server is killed at random points (during the snapshot,
 * mid-stream, between produce and commit) and restarted. At the end a plain read_committed
 * consumer must see, per key, exactly one message per committed change, in order: no duplicate,
 * no loss. {@code -Dsluice.crash.cycles=N} runs more cycles; {@code -Dsluice.crash.seed=S} replays.
 */
class SinkCrashIT {
    private static final Pattern VALUE = Pattern.compile("\\{\"id\":(\\d+),\"v\":(\\d+)}");

    @Test
    void readCommittedConsumerSeesExactlyTheChangelogAcrossSigkills() throws Exception {
        long seed = Long.getLong("sluice.crash.seed", System.nanoTime());
        int cycles = Integer.getInteger("sluice.crash.cycles", 20);
        Random random = new Random(seed);
        Path dataDir = Files.createTempDirectory("sluice-sink-crash");
        try (EmbeddedKafka kafka = new EmbeddedKafka(Files.createTempDirectory("sluice-sink-crash-kafka"), "127.0.0.1", ServerProcess.freePort());
                ServerProcess server = new ServerProcess(dataDir, ServerProcess.freePort(), List.of())) {
            kafka.start(Duration.ofSeconds(60));
            server.restartWith(List.of("--kafka", kafka.bootstrapServers()));
            server.start(Duration.ofSeconds(60));
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl()); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL)");
                for (int i = 0; i < 200; i++) {
                    statement.execute("INSERT INTO t VALUES (" + i + ", 0)");
                }
                statement.execute("CREATE CONNECTION k TO KAFKA (BROKER '" + kafka.bootstrapServers() + "', SECURITY PROTOCOL PLAINTEXT)");
                statement.execute("CREATE SINK s FROM t INTO KAFKA CONNECTION k (TOPIC 'crash', TOPIC PARTITION COUNT 4) KEY (id) FORMAT JSON "
                        + "ENVELOPE UPSERT");
            }
            int nextId = 200;
            for (int cycle = 0; cycle < cycles; cycle++) {
                AtomicBoolean running = new AtomicBoolean(true);
                int firstId = nextId;
                nextId += 10_000;
                long writerSeed = random.nextLong();
                java.util.concurrent.CountDownLatch firstWrite = new java.util.concurrent.CountDownLatch(1);
                Thread writer = new Thread(() -> write(server.jdbcUrl(), running, firstId, new Random(writerSeed), firstWrite));
                writer.start();
                firstWrite.await(30, java.util.concurrent.TimeUnit.SECONDS);
                Thread.sleep(random.nextInt(2000));
                server.kill();
                running.set(false);
                writer.join(10_000);
                server.start(Duration.ofSeconds(60));
            }
            Map<Integer, Integer> finalState = new HashMap<>();
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl()); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT id, v FROM t")) {
                while (rows.next()) {
                    finalState.put(rows.getInt(1), rows.getInt(2));
                }
            }
            long expectedMessages = finalState.values().stream().mapToLong(v -> v + 1L).sum();
            List<KafkaReader.Message> messages = List.of();
            long deadline = System.currentTimeMillis() + 90_000;
            while (System.currentTimeMillis() < deadline) {
                messages = KafkaReader.readCommitted(kafka.bootstrapServers(), "crash");
                if (messages.size() >= expectedMessages) {
                    break;
                }
                Thread.sleep(500);
            }
            Map<Integer, List<Integer>> perKey = new HashMap<>();
            for (KafkaReader.Message message : messages) {
                Matcher matcher = VALUE.matcher(message.value());
                assertThat(matcher.matches()).as("seed %d: value %s", seed, message.value()).isTrue();
                perKey.computeIfAbsent(Integer.parseInt(matcher.group(1)), ignored -> new ArrayList<>()).add(Integer.parseInt(matcher.group(2)));
            }
            assertThat(perKey.keySet()).as("seed %d: every row reached the topic, no other", seed).isEqualTo(finalState.keySet());
            finalState.forEach((id, v) -> {
                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i <= v; i++) {
                    expected.add(i);
                }
                assertThat(perKey.get(id)).as("seed %d: changelog of key %d, exactly once and in order", seed, id).isEqualTo(expected);
            });
            assertThat(messages).as("seed %d", seed).hasSize((int) expectedMessages);
            System.out.printf("SinkCrashIT seed %d: %d cycles, %d rows, %d messages read back exactly once%n", seed, cycles, finalState.size(),
                    messages.size());
        }
    }

    /** Inserts new rows and increments existing ones, one statement at a time, until stopped or killed. */
    private static void write(String url, AtomicBoolean running, int firstId, Random random, java.util.concurrent.CountDownLatch firstWrite) {
        try (Connection connection = DriverManager.getConnection(url);
                java.sql.PreparedStatement insert = connection.prepareStatement("INSERT INTO t VALUES (?, 0)");
                java.sql.PreparedStatement update = connection.prepareStatement("UPDATE t SET v = v + 1 WHERE id = ?")) {
            int id = firstId;
            while (running.get()) {
                if (random.nextBoolean()) {
                    insert.setInt(1, id++);
                    insert.executeUpdate();
                } else {
                    update.setInt(1, random.nextInt(200));
                    update.executeUpdate();
                }
                firstWrite.countDown();
            }
        } catch (SQLException killed) {
            // The server died mid-statement.
        }
    }
}
