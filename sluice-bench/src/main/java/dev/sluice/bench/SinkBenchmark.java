package dev.sluice.bench;

import dev.sluice.server.ServerConfig;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.kafka.EmbeddedKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.tools.ProducerPerformance;

/**
 * End-to-end benchmark of the Kafka sink, with Kafka's own {@code ProducerPerformance} on the same
 * broker in the same run as the baseline. Not a test: {@code ./mvnw -q -pl sluice-bench -am install
 * -DskipTests && java -cp … dev.sluice.bench.SinkBenchmark [rows] [rate] [seconds]}.
 *
 * <ol>
 *   <li>Snapshot throughput: a table of N rows, then CREATE SINK (JSON, UPSERT); time until a
 *       read_committed consumer sees all N messages.</li>
 *   <li>Baseline: ProducerPerformance, transactional (1 s transactions), acks=all, same record size.</li>
 *   <li>Commit-to-visible latency: INSERTs at a steady rate; per row, INSERT acknowledged →
 *       seen by a read_committed consumer.</li>
 * </ol>
 */
public final class SinkBenchmark {
    private SinkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        Path dir = Files.createTempDirectory("sluice-bench");
        try (EmbeddedKafka kafka = new EmbeddedKafka(dir.resolve("kafka"), "127.0.0.1", freePort())) {
            kafka.start(Duration.ofSeconds(60));
            String bootstrap = kafka.bootstrapServers();
            SluiceServer server = new SluiceServer(new ServerConfig(dir.resolve("sluice"), "127.0.0.1", 0, 0, Optional.of(bootstrap), 0,
                    Optional.of("bench"), Optional.empty()), bootstrap);
            server.start();
            String url = "jdbc:postgresql://127.0.0.1:" + server.pgwirePort() + "/materialize?user=materialize";
            try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE bench (id bigint PRIMARY KEY, name text NOT NULL, amount numeric(12,2), note text)");
                statement.execute("CREATE CONNECTION k TO KAFKA (BROKER '" + bootstrap + "', SECURITY PROTOCOL PLAINTEXT)");
                connection.setAutoCommit(false);
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO bench VALUES (?, ?, ?, ?)")) {
                    for (int i = 0; i < rows; i++) {
                        insert.setLong(1, i);
                        insert.setString(2, "customer-" + i);
                        insert.setBigDecimal(3, java.math.BigDecimal.valueOf(i % 100_000, 2));
                        insert.setString(4, "a note of some length for the benchmark row");
                        insert.executeUpdate();
                        if (i % 10_000 == 9_999) {
                            connection.commit();
                        }
                    }
                }
                connection.commit();
                connection.setAutoCommit(true);
                long start = System.nanoTime();
                statement.execute("CREATE SINK bench_sink FROM bench INTO KAFKA CONNECTION k (TOPIC 'bench', COMPRESSION TYPE 'none') "
                        + "KEY (id) FORMAT JSON ENVELOPE UPSERT");
                long[] bytes = new long[1];
                awaitCount(bootstrap, "bench", rows, bytes);
                double sinkSeconds = (System.nanoTime() - start) / 1e9;
                double sinkRate = rows / sinkSeconds;
                int recordSize = (int) (bytes[0] / rows);
                System.out.printf(Locale.ROOT, "sink snapshot: %d rows in %.2f s = %.0f rows/s, %.2f MB/s (avg key+value %d B)%n", rows, sinkSeconds,
                        sinkRate, bytes[0] / sinkSeconds / 1e6, recordSize);

                double baseline = producerPerformance(bootstrap, rows, recordSize);
                System.out.printf(Locale.ROOT, "ProducerPerformance (transactional, acks=all, %d B records): %.0f records/s%n", recordSize, baseline);
                System.out.printf(Locale.ROOT, "ratio sink / raw producer: %.2f%n", sinkRate / baseline);

                latency(url, bootstrap, rows, rate, seconds);
            } finally {
                server.close();
            }
        }
        System.exit(0);
    }

    private static void awaitCount(String bootstrap, String topic, int expected, long[] bytes) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            while (true) {
                try {
                    if (!consumer.partitionsFor(topic, Duration.ofSeconds(5)).isEmpty()) {
                        break;
                    }
                } catch (RuntimeException notYet) {
                    // created by the sink
                }
            }
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            int seen = 0;
            while (seen < expected) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    seen++;
                    bytes[0] += record.key().length + (record.value() == null ? 0 : record.value().length);
                }
            }
        }
    }

    private static double producerPerformance(String bootstrap, int records, int recordSize) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("bench-raw", 1, (short) 1))).all().get();
        }
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ProducerPerformance.main(new String[] {"--topic", "bench-raw", "--num-records", Integer.toString(records), "--record-size",
                Integer.toString(recordSize), "--throughput", "-1", "--transactional-id", "bench-raw", "--transaction-duration-ms", "1000",
                "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all", "compression.type=none", "linger.ms=10", "batch.size=262144"});
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        String last = output.lines().filter(line -> line.contains("records sent")).reduce((a, b) -> b).orElseThrow();
        System.out.println("  " + last.trim());
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("([0-9.]+) records/sec").matcher(last);
        if (!matcher.find()) {
            throw new IllegalStateException("cannot read ProducerPerformance output: " + last);
        }
        return Double.parseDouble(matcher.group(1));
    }

    private static void latency(String url, String bootstrap, int firstId, int rate, int seconds) throws Exception {
        Map<Long, Long> acknowledged = new ConcurrentHashMap<>();
        Map<Long, Long> visible = new ConcurrentHashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
                TopicPartition partition = new TopicPartition("bench", 0);
                consumer.assign(List.of(partition));
                consumer.seekToEnd(List.of(partition));
                consumer.position(partition);
                while (!done.get()) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(5))) {
                        String key = new String(record.key(), StandardCharsets.UTF_8);
                        long id = Long.parseLong(key.replaceAll("\\D", ""));
                        visible.putIfAbsent(id, System.nanoTime());
                    }
                }
            }
        });
        reader.start();
        Thread.sleep(1000);
        int total = rate * seconds;
        try (Connection connection = DriverManager.getConnection(url);
                PreparedStatement insert = connection.prepareStatement("INSERT INTO bench VALUES (?, ?, ?, ?)")) {
            long interval = 1_000_000_000L / rate;
            long next = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long id = firstId + i;
                insert.setLong(1, id);
                insert.setString(2, "customer-" + id);
                insert.setBigDecimal(3, java.math.BigDecimal.ONE);
                insert.setString(4, "latency row");
                insert.executeUpdate();
                acknowledged.put(id, System.nanoTime());
                next += interval;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (visible.size() < total && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        done.set(true);
        reader.join();
        List<Double> millis = new ArrayList<>();
        acknowledged.forEach((id, at) -> {
            Long seen = visible.get(id);
            if (seen != null) {
                millis.add(Math.max(0, seen - at) / 1e6);
            }
        });
        Collections.sort(millis);
        System.out.printf(Locale.ROOT, "commit-to-visible at %d rows/s for %d s (%d of %d rows seen): p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                rate, seconds, millis.size(), total, percentile(millis, 0.5), percentile(millis, 0.9), percentile(millis, 0.99),
                millis.isEmpty() ? 0 : millis.get(millis.size() - 1));
    }

    private static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("bootstrap.servers", bootstrap);
        properties.put("isolation.level", "read_committed");
        properties.put("allow.auto.create.topics", false);
        properties.put("enable.auto.commit", false);
        properties.put("max.poll.records", 5000);
        properties.put("fetch.max.wait.ms", 5);
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
