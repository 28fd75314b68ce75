package dev.sluice.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.ExternalKafka;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The broker (its own process) is stopped mid-stream while a client keeps writing, and restarted:
 * the sink shows {@code stalled} with the error in {@code mz_internal.mz_sink_statuses}, then
 * {@code running} again by itself, and the topic holds exactly every change once, in order per key.
 */
class BrokerOutageIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int KEYS = 20;

    @Test
    void sinkStallsWhileTheBrokerIsDownAndResumesExactly() throws Exception {
        try (ExternalKafka kafka = ExternalKafka.start(Files.createTempDirectory("sluice-outage-kafka"), List.of("-Xmx384m"), WAIT);
                TestServer server = new TestServer(kafka.bootstrapServers()); Connection connection = server.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL)");
            for (int id = 0; id < KEYS; id++) {
                statement.execute("INSERT INTO t VALUES (" + id + ", 0)");
            }
            statement.execute("CREATE CONNECTION k TO KAFKA (BROKER '" + kafka.bootstrapServers() + "', SECURITY PROTOCOL PLAINTEXT)");
            statement.execute("CREATE SINK s FROM t INTO KAFKA CONNECTION k (TOPIC 'outage', TOPIC PARTITION COUNT 3) KEY (id) FORMAT JSON ENVELOPE UPSERT");
            SinkWatch watch = new SinkWatch(server.jdbcUrl());
            assertThat(SinkWatch.awaitMessages(kafka.bootstrapServers(), "outage", KEYS, WAIT)).hasSize(KEYS);

            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger updates = new AtomicInteger();
            List<Throwable> failures = new ArrayList<>();
            Thread writer = new Thread(() -> {
                try (Connection client = server.connect(); PreparedStatement update = client.prepareStatement("UPDATE t SET v = v + 1 WHERE id = ?")) {
                    for (int i = 0; writing.get(); i++) {
                        update.setInt(1, i % KEYS);
                        assertThat(update.executeUpdate()).isEqualTo(1);
                        updates.incrementAndGet();
                        Thread.sleep(20);
                    }
                } catch (SQLException | InterruptedException | RuntimeException | AssertionError e) {
                    failures.add(e);
                }
            }, "writer");
            writer.start();
            awaitCount(updates, 20);

            kafka.stop();
            SinkWatch.Status stalled = watch.awaitStatus("s", "stalled", WAIT);
            assertThat(stalled.error()).as("the error is shown").hasValueSatisfying(error -> assertThat(error).startsWith("kafka: "));
            int duringOutage = updates.get();
            awaitCount(updates, duringOutage + 20);

            kafka.start(WAIT);
            watch.awaitStatus("s", "running", WAIT);
            int afterRecovery = updates.get();
            awaitCount(updates, afterRecovery + 20);
            writing.set(false);
            writer.join();
            assertThat(failures).as("the client writes throughout: the table never depends on the broker").isEmpty();

            Map<Integer, Integer> finalValues = new LinkedHashMap<>();
            try (var rows = statement.executeQuery("SELECT id, v FROM t")) {
                while (rows.next()) {
                    finalValues.put(rows.getInt(1), rows.getInt(2));
                }
            }
            int expected = finalValues.values().stream().mapToInt(v -> v + 1).sum();
            List<KafkaReader.Message> messages = SinkWatch.awaitMessages(kafka.bootstrapServers(), "outage", expected, WAIT);
            Map<Integer, List<Integer>> perKey = new LinkedHashMap<>();
            for (KafkaReader.Message message : messages) {
                int id = Integer.parseInt(message.key().replaceAll("\\D", ""));
                int v = Integer.parseInt(message.value().replaceAll(".*\"v\":(\\d+)}", "$1"));
                perKey.computeIfAbsent(id, ignored -> new ArrayList<>()).add(v);
            }
            assertThat(perKey.keySet()).containsExactlyInAnyOrderElementsOf(finalValues.keySet());
            finalValues.forEach((id, v) -> {
                List<Integer> changelog = new ArrayList<>();
                for (int value = 0; value <= v; value++) {
                    changelog.add(value);
                }
                assertThat(perKey.get(id)).as("key %d: every change once, in order", id).isEqualTo(changelog);
            });
            assertThat(messages).hasSize(expected);
            assertThat(watch.history("s")).extracting(SinkWatch.Status::status).containsSubsequence("running", "stalled", "running");
        }
    }

    private static void awaitCount(AtomicInteger counter, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (counter.get() < atLeast) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the client stopped writing at " + counter.get());
            }
            Thread.sleep(20);
        }
    }
}
