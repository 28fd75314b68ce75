package dev.sluice.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.kafka.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the Kafka sink conformance suites share: one in-process broker and one Sluice server per
 * test JVM (started on first use, closed when the JVM exits), a Kafka connection named
 * {@code kafka} on it, unique names so tests never depend on each other or their order, and a
 * plain read_committed consumer and admin client to check what reached Kafka.
 */
final class SinkTestKit {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static EmbeddedKafka kafka;
    private static Path kafkaDirectory;
    private static TestServer server;

    private SinkTestKit() {
    }

    static synchronized EmbeddedKafka kafka() {
        if (kafka == null) {
            try {
                kafkaDirectory = Files.createTempDirectory("sluice-sink-kafka");
                kafka = new EmbeddedKafka(kafkaDirectory, "127.0.0.1", ServerProcess.freePort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            kafka.start(Duration.ofSeconds(60));
            Runtime.getRuntime().addShutdownHook(new Thread(SinkTestKit::shutdown));
        }
        return kafka;
    }

    /** The broker's log directory (one folder per topic partition), to inspect record batches as written. */
    static Path kafkaLogs() {
        kafka();
        return kafkaDirectory.resolve("logs");
    }

    static String bootstrap() {
        return kafka().bootstrapServers();
    }

    static synchronized TestServer server() {
        if (server == null) {
            server = new TestServer(bootstrap());
            try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE CONNECTION kafka TO KAFKA (BROKER '" + bootstrap() + "', SECURITY PROTOCOL PLAINTEXT)");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return server;
    }

    private static synchronized void shutdown() {
        if (server != null) {
            server.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** A name no other test uses: {@code prefix_<n>}. */
    static String unique(String prefix) {
        return prefix + "_" + NAMES.incrementAndGet();
    }

    static Admin admin() {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", bootstrap());
        return Admin.create(properties);
    }

    /** One record as a downstream consumer sees it, bytes untouched. */
    record Record(String topic, int partition, long offset, byte[] key, byte[] value, List<Header> headers) {
        String keyText() {
            return key == null ? null : new String(key, StandardCharsets.UTF_8);
        }

        String valueText() {
            return value == null ? null : new String(value, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.stream().filter(header -> header.key().equals(name)).findFirst()
                    .map(header -> header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8)).orElse(null);
        }

        long timestamp() {
            return Long.parseLong(header("materialize-timestamp"));
        }
    }

    /** Everything committed in {@code topic} now, in offset order per partition, partitions in order. */
    static List<Record> readCommitted(String topic) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("bootstrap.servers", bootstrap());
        properties.put("isolation.level", "read_committed");
        properties.put("allow.auto.create.topics", false);
        properties.put("enable.auto.commit", false);
        List<Record> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                return List.of();
            }
            List<TopicPartition> partitions = infos.stream().map(info -> new TopicPartition(topic, info.partition()))
                    .sorted(java.util.Comparator.comparingInt(TopicPartition::partition)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    List<Header> headers = new ArrayList<>();
                    record.headers().forEach(headers::add);
                    records.add(new Record(topic, record.partition(), record.offset(), record.key(), record.value(), headers));
                }
            }
        } catch (org.apache.kafka.common.errors.UnknownTopicOrPartitionException | org.apache.kafka.common.errors.TimeoutException missing) {
            return List.of();
        }
        records.sort(java.util.Comparator.comparingInt(Record::partition).thenComparingLong(Record::offset));
        return records;
    }

    /** Reads {@code topic} until {@code done} holds (or 60 s pass, then returns what is there, for the assertion to fail on). */
    static List<Record> await(String topic, Predicate<List<Record>> done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<Record> records = readCommitted(topic);
        while (!done.test(records) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            records = readCommitted(topic);
        }
        return records;
    }

    static List<Record> awaitCount(String topic, int count) throws InterruptedException {
        return await(topic, records -> records.size() >= count);
    }

    /** The data records of a sink, i.e. the topic's records, once at least {@code count} are there; then no more arrive in the next commit. */
    static List<Record> awaitExactly(Connection connection, String sinkName, String topic, int count) throws Exception {
        List<Record> records = awaitCount(topic, count);
        // Let one more transaction commit (progress-only when nothing else is pending), so extra messages would be visible.
        awaitNextProgress(connection, sinkName);
        return readCommitted(topic);
    }

    /** The progress topic of the sink's connection, from mz_kafka_connections. */
    static String progressTopic(Connection connection, String sinkName) throws SQLException {
        return queryText(connection, "SELECT c.sink_progress_topic FROM mz_catalog.mz_kafka_connections c JOIN mz_catalog.mz_sinks s "
                + "ON s.connection_id = c.id WHERE s.name = '" + sinkName + "'");
    }

    static String sinkId(Connection connection, String sinkName) throws SQLException {
        return queryText(connection, "SELECT id FROM mz_catalog.mz_sinks WHERE name = '" + sinkName + "'");
    }

    /** The sink's progress records, oldest first. */
    static List<Record> progressRecords(Connection connection, String sinkName) throws SQLException {
        String key = "mz-sink-" + sinkId(connection, sinkName);
        return readCommitted(progressTopic(connection, sinkName)).stream().filter(record -> key.equals(record.keyText())).toList();
    }

    static long committedFrontier(Connection connection, String sinkName) throws SQLException {
        List<Record> records = progressRecords(connection, sinkName);
        if (records.isEmpty()) {
            return -1;
        }
        String value = records.get(records.size() - 1).valueText();
        return Long.parseLong(value.substring(value.indexOf('[') + 1, value.indexOf(']')));
    }

    /** Waits until the sink commits a progress record beyond the current one. */
    static void awaitNextProgress(Connection connection, String sinkName) throws Exception {
        long before = committedFrontier(connection, sinkName);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (committedFrontier(connection, sinkName) <= before && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(committedFrontier(connection, sinkName)).as("sink %s commits progress", sinkName).isGreaterThan(before);
    }

    /** Waits until the sink's status is {@code status}; returns the status row's error. */
    static String awaitStatus(Connection connection, String sinkName, String status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String seen = null;
        while (System.nanoTime() < deadline) {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT status, error FROM mz_internal.mz_sink_statuses WHERE name = '" + sinkName + "'")) {
                if (rows.next()) {
                    seen = rows.getString(1);
                    if (seen.equals(status)) {
                        return rows.getString(2);
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("sink " + sinkName + " did not reach status " + status + " (last: " + seen + ")");
    }

    static String queryText(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    static void execute(Connection connection, String... sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String one : sql) {
                statement.execute(one);
            }
        }
    }

    static int partitionOf(long hash, int partitions) {
        return (int) Long.remainderUnsigned(hash, partitions);
    }

    /** SeaHash written out again from the reference's description (§6.1), independent of the product's implementation. */
    static long seaHash(byte[] bytes) {
        long a = 0x16f11fe89b0d677cL;
        long b = 0xb480a793d8e6c86cL;
        long c = 0x6fe2e5aaf078ebc9L;
        long d = 0x14f994a4c5259381L;
        byte[] padded = java.util.Arrays.copyOf(bytes, (bytes.length + 7) / 8 * 8);
        java.nio.ByteBuffer words = java.nio.ByteBuffer.wrap(padded).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        while (words.hasRemaining()) {
            long word = words.getLong();
            long next = diffuse(a ^ word);
            a = b;
            b = c;
            c = d;
            d = next;
        }
        return diffuse(a ^ b ^ c ^ d ^ bytes.length);
    }

    private static long diffuse(long x) {
        x *= 0x6eed0e9da4d94a4fL;
        x ^= (x >>> 32) >>> (int) (x >>> 60);
        x *= 0x6eed0e9da4d94a4fL;
        return x;
    }
}
