package dev.sluice.bench;

import dev.sluice.server.ServerConfig;
import dev.sluice.server.SluiceServer;
import dev.sluice.testing.ExternalKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.tools.ProducerPerformance;

/**
 * End-to-end benchmark of the Kafka sink against Kafka's own {@code ProducerPerformance}, on one
 * broker that runs as its own JVM, in the same run. Not a test; {@code docs/benchmarks.md} says how
 * to run it and what it reported.
 *
 * <ol>
 *   <li><b>Snapshot</b>: a table of {@code rows} rows, then {@code CREATE SINK} (JSON, UPSERT, one
 *       partition, no compression). Throughput = rows / (the moment the read_committed end offset,
 *       i.e. the last stable offset, covers every row − the first message's create time): the sink's
 *       streaming rate up to commit, start-up excluded (reported separately). Repeated in rounds
 *       that alternate with the raw producer.</li>
 *   <li><b>Raw producer</b>: {@code ProducerPerformance}, transactional (1 s transactions), with the
 *       sink's producer settings and the same record size (key + value + header bytes) and count, into
 *       a one-partition topic of the same broker; the ratio sink / raw. Also a replay of the very records
 *       the sink wrote (same key, value and header bytes) by a plain transactional producer.</li>
 *   <li><b>Update stream</b>: {@code UPDATE}s of {@code batch} rows each, back to back, for
 *       {@code seconds}; rows/s and MB/s the sink delivered, next to the rate the table committed.</li>
 *   <li><b>Commit-to-visible latency</b>: first Kafka's own floor on this broker (a transactional
 *       producer fed {@code rate} records/s that commits whatever arrived since its last commit, like the
 *       sink's writer), then the sink: single-row {@code INSERT}s paced at {@code rate} rows/s by four
 *       clients; per row, INSERT acknowledged → seen by a read_committed consumer; p50/p90/p99/max.</li>
 * </ol>
 * Arguments (all optional, in order): {@code rows} (500000), {@code rate} (1000), {@code seconds} (15),
 * {@code batch} (50000), {@code rounds} (3).
 */
public final class SinkBenchmark {
    private static final int LATENCY_CLIENTS = 4;
    private static final String STREAM_TOPIC = "bench-stream";

    private SinkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "log4j2-bench.xml");
        }
        run(args);
        // ProducerPerformance and client threads may linger; the report is complete.
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 50_000;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        System.out.printf(Locale.ROOT, "machine: %d cores, %d MiB heap max, Java %s %s, load average %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"), ManagementFactory.getRuntimeMXBean().getInputArguments(),
                loadAverage());
        System.out.printf(Locale.ROOT, "parameters: rows=%d rate=%d/s seconds=%d batch=%d rounds=%d%n", rows, rate, seconds, batch, rounds);
        Path dir = Files.createTempDirectory("sluice-bench");
        try (ExternalKafka kafka = ExternalKafka.start(dir.resolve("kafka"), List.of("-Xmx1g"), Duration.ofSeconds(120))) {
            String bootstrap = kafka.bootstrapServers();
            SluiceServer server = new SluiceServer(new ServerConfig(dir.resolve("sluice"), "127.0.0.1", 0, 0, Optional.of(bootstrap), 0,
                    Optional.of("bench"), Optional.empty()), bootstrap);
            server.start();
            try {
                String url = "jdbc:postgresql://127.0.0.1:" + server.pgwirePort() + "/materialize?user=materialize&prepareThreshold=1";
                warmUp(url, bootstrap);
                load(url, bootstrap, rows);
                // A full round of both sides, not counted: the JIT compiles the rest of both write paths (on two busy cores it
                // otherwise takes a core for a second in the first measured rounds), as in a server that has been up a while.
                Snapshot warm = snapshot(url, bootstrap, rows, 0);
                producerPerformance(bootstrap, rows, warm.recordSize(), 0);
                replay(bootstrap, warm.records(), 0);
                System.out.printf(Locale.ROOT, "round 0 was the warm-up of both sides (not counted; load average %s)%n", loadAverage());
                // Rounds alternate the sink and the raw producer, so that both meet the same background load.
                List<Double> sinkRates = new ArrayList<>();
                List<Double> rawRates = new ArrayList<>();
                List<Double> replayRates = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    Snapshot snapshot = snapshot(url, bootstrap, rows, round);
                    double raw = producerPerformance(bootstrap, rows, snapshot.recordSize(), round);
                    double replay = replay(bootstrap, snapshot.records(), round);
                    sinkRates.add(snapshot.rowsPerSecond());
                    rawRates.add(raw);
                    replayRates.add(replay);
                    System.out.printf(Locale.ROOT, "round %d: sink %.0f rows/s, raw producer %.0f records/s, ratio %.2f; replay of the sink's records "
                            + "%.0f records/s, ratio %.2f (load average %s)%n", round, snapshot.rowsPerSecond(), raw, snapshot.rowsPerSecond() / raw,
                            replay, snapshot.rowsPerSecond() / replay, loadAverage());
                }
                System.out.printf(Locale.ROOT, "SNAPSHOT THROUGHPUT: sink median %.0f rows/s, raw producer median %.0f records/s, ratio of medians %.2f; "
                        + "replay median %.0f records/s, sink / replay %.2f%n", median(sinkRates), median(rawRates), median(sinkRates) / median(rawRates),
                        median(replayRates), median(sinkRates) / median(replayRates));
                streamSink(url, bootstrap);
                updates(url, bootstrap, rows, batch, seconds);
                rawLatency(bootstrap, rate, seconds);
                latency(url, bootstrap, rows, rate, seconds);
                System.out.printf(Locale.ROOT, "load average at the end: %s%n", loadAverage());
            } finally {
                server.close();
            }
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** The group of a thread (by its Linux name: the Java name cut to 15 characters) in the CPU report of a phase. */
    private static String threadGroup(String threadName) {
        if (threadName.matches("sink-u[0-9]+")) {
            return "sink writer";
        }
        if (threadName.matches("sink-u[0-9]+-input")) {
            return "sink input";
        }
        if (threadName.startsWith("kafka-producer-")) {
            return "producer network";
        }
        if (threadName.startsWith("GC Thread") || threadName.startsWith("G1 ")) {
            return "GC";
        }
        if (threadName.contains("CompilerThre")) {
            return "JIT";
        }
        // The launcher's main thread keeps the process's name.
        return threadName.equals("java") ? "main" : "other";
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /**
     * A first sink over a smaller table, dropped again: the measured phases then run with the write path compiled, as
     * in a server that has been up for a while (ProducerPerformance, measured after the sink, gets the same).
     */
    private static void warmUp(String url, String bootstrap) throws Exception {
        long started = System.nanoTime();
        int rows = 100_000;
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE warm (id bigint PRIMARY KEY, name text NOT NULL, amount numeric(12,2), note text)");
            statement.execute("CREATE CONNECTION warm_k TO KAFKA (BROKER '" + bootstrap + "', SECURITY PROTOCOL PLAINTEXT)");
            load(statement, "warm", rows);
            statement.execute("CREATE SINK warm_sink FROM warm INTO KAFKA CONNECTION warm_k (TOPIC 'warm', COMPRESSION TYPE 'none') "
                    + "KEY (id) FORMAT JSON ENVELOPE UPSERT");
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
                awaitTopic(consumer, "warm");
                TopicPartition partition = new TopicPartition("warm", 0);
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                for (long seen = 0; seen < rows; ) {
                    seen += consumer.poll(Duration.ofMillis(100)).count();
                }
            }
            statement.execute("DROP SINK warm_sink");
            statement.execute("DROP TABLE warm");
        }
        System.out.printf(Locale.ROOT, "warm-up (a %d-row sink, dropped): %.1f s%n", rows, (System.nanoTime() - started) / 1e9);
    }

    private static void awaitTopic(KafkaConsumer<byte[], byte[]> consumer, String topic) throws InterruptedException {
        while (true) {
            try {
                if (!consumer.partitionsFor(topic, Duration.ofSeconds(5)).isEmpty()) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // The sink creates it.
            }
            Thread.sleep(100);
        }
    }

    private static void load(Statement statement, String table, int rows) throws SQLException {
        for (int start = 0; start < rows; start += 1000) {
            StringBuilder insert = new StringBuilder("INSERT INTO " + table + " VALUES ");
            for (int id = start; id < Math.min(rows, start + 1000); id++) {
                insert.append(id == start ? "" : ", ").append('(').append(id).append(", 'customer-").append(id).append("', ")
                        .append(BigDecimal.valueOf(id % 100_000, 2)).append(", 'a note of some length for the benchmark row')");
            }
            statement.execute(insert.toString());
        }
    }

    /** The snapshot phase's result. */
    private record Snapshot(double rowsPerSecond, int recordSize, List<ConsumerRecord<byte[], byte[]>> records) {
    }

    private static void load(String url, String bootstrap, int rows) throws Exception {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE bench (id bigint PRIMARY KEY, name text NOT NULL, amount numeric(12,2), note text)");
            statement.execute("CREATE CONNECTION k TO KAFKA (BROKER '" + bootstrap + "', SECURITY PROTOCOL PLAINTEXT)");
            long loading = System.nanoTime();
            load(statement, "bench", rows);
            System.out.printf(Locale.ROOT, "loaded %d rows in %.1f s%n", rows, (System.nanoTime() - loading) / 1e9);
            // Past a storage tick, so that the table's since (a new sink's as_of) covers the whole load: all of it is snapshot.
            Thread.sleep(2000);
        }
    }

    /**
     * A new sink on the loaded table; its throughput is rows / (last message visible − first message's create time). The
     * sink is dropped again, and the round's topic stays.
     */
    private static Snapshot snapshot(String url, String bootstrap, int rows, int round) throws Exception {
        String topic = "bench-" + round;
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            }
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap); CpuAccount cpu = CpuAccount.start(SinkBenchmark::threadGroup)) {
                TopicPartition partition = new TopicPartition(topic, 0);
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                long created = System.nanoTime();
                long createdMillis = System.currentTimeMillis();
                statement.execute("CREATE SINK bench_sink_" + round + " FROM bench INTO KAFKA CONNECTION k (TOPIC '" + topic + "', COMPRESSION TYPE 'none') "
                        + "KEY (id) FORMAT JSON ENVELOPE UPSERT");
                // Timed: from the first message's create time (the sink's first send) until the read_committed end offset
                // (the last stable offset) covers every row, i.e. all of them are committed and visible; not timed: reading
                // them back, which only counts their bytes.
                long firstCreateTime = -1;
                while (firstCreateTime < 0) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                        firstCreateTime = firstCreateTime < 0 ? record.timestamp() : firstCreateTime;
                    }
                }
                while (consumer.endOffsets(List.of(partition)).get(partition) < rows) {
                    Thread.sleep(5);
                }
                long visibleMillis = System.currentTimeMillis();
                double total = (System.nanoTime() - created) / 1e9;
                String cpuUsed = cpu.report(firstCreateTime);
                consumer.seekToBeginning(List.of(partition));
                long seen = 0;
                long bytes = 0;
                long headerBytes = 0;
                List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(rows);
                while (seen < rows) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        seen++;
                        records.add(record);
                        bytes += record.key().length + (record.value() == null ? 0 : record.value().length);
                        for (Header header : record.headers()) {
                            headerBytes += header.key().length() + header.value().length;
                        }
                    }
                }
                double streaming = Math.max(1, visibleMillis - firstCreateTime) / 1e3;
                int recordSize = (int) ((bytes + headerBytes) / rows);
                System.out.printf(Locale.ROOT, "round %d sink snapshot: %d rows, first message sent %.2f s after CREATE SINK, all visible after %.2f s: "
                        + "%.0f rows/s, %.2f MB/s of key+value (avg key+value %d B, headers %d B)%n", round, rows,
                        (firstCreateTime - createdMillis) / 1e3, total, rows / streaming, bytes / streaming / 1e6, bytes / rows, headerBytes / rows);
                System.out.printf(Locale.ROOT, "round %d sink snapshot, first send to all visible: %s%n", round, cpuUsed);
                statement.execute("DROP SINK bench_sink_" + round);
                return new Snapshot(rows / streaming, recordSize, records);
            }
        }
    }

    private static double producerPerformance(String bootstrap, int records, int recordSize, int round) throws Exception {
        String topic = "bench-raw-" + round;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        String[] arguments = {"--topic", topic, "--num-records", Integer.toString(records), "--record-size", Integer.toString(recordSize),
            "--throughput", "-1", "--transactional-id", topic, "--transaction-duration-ms", "1000", "--producer-props",
            "bootstrap.servers=" + bootstrap, "acks=all", "enable.idempotence=true", "compression.type=none", "linger.ms=10", "batch.size=262144",
            "buffer.memory=67108864", "max.block.ms=10000"};
        if (round == 0) {
            System.out.println("ProducerPerformance " + String.join(" ", arguments));
        }
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        String cpuUsed;
        try (CpuAccount cpu = CpuAccount.start(SinkBenchmark::threadGroup)) {
            long started = System.currentTimeMillis();
            try {
                ProducerPerformance.main(arguments);
            } finally {
                System.setOut(original);
            }
            cpuUsed = cpu.report(started);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        String last = output.lines().filter(line -> line.contains("records sent")).reduce((a, b) -> b).orElseThrow();
        Matcher matcher = Pattern.compile("([0-9.]+) records/sec \\(([0-9.]+) MB/sec\\)").matcher(last);
        if (!matcher.find()) {
            throw new IllegalStateException("cannot read ProducerPerformance output: " + last);
        }
        System.out.printf(Locale.ROOT, "round %d raw producer (transactional, %d B records): %s%n", round, recordSize, last.trim());
        System.out.printf(Locale.ROOT, "round %d raw producer, start to end (main = ProducerPerformance): %s%n", round, cpuUsed);
        return Double.parseDouble(matcher.group(1));
    }

    /**
     * A second baseline: a transactional {@link KafkaProducer} with the sink's producer settings sends exactly the records the
     * sink wrote this round (the same key, value and header bytes) in one transaction, as the sink does; time from the first
     * send until the commit returns (when the records are visible to read_committed consumers). Against this, what is left
     * of the gap is Sluice's own work (reading storage, encoding, partitioning); against ProducerPerformance, whose records
     * have no key and no header, it also includes what the broker spends on the sink's keys and headers.
     */
    private static double replay(String bootstrap, List<ConsumerRecord<byte[], byte[]>> records, int round) throws Exception {
        String topic = "bench-replay-" + round;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        Map<String, Object> properties = new HashMap<>();
        properties.put("bootstrap.servers", bootstrap);
        properties.put("enable.idempotence", true);
        properties.put("acks", "all");
        properties.put("transactional.id", topic);
        properties.put("compression.type", "none");
        properties.put("linger.ms", 10);
        properties.put("batch.size", 262_144);
        properties.put("buffer.memory", 64L * 1024 * 1024);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            String cpuUsed;
            double seconds;
            try (CpuAccount cpu = CpuAccount.start(SinkBenchmark::threadGroup)) {
                long started = System.currentTimeMillis();
                long start = System.nanoTime();
                producer.beginTransaction();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    producer.send(new ProducerRecord<>(topic, 0, null, record.key(), record.value(), record.headers()));
                }
                producer.commitTransaction();
                seconds = (System.nanoTime() - start) / 1e9;
                cpuUsed = cpu.report(started);
            }
            System.out.printf(Locale.ROOT, "round %d replay of the sink's %d records (one transaction): %.0f records/s; %s%n", round, records.size(),
                    records.size() / seconds, cpuUsed);
            return records.size() / seconds;
        }
    }

    /** The sink of the update and latency phases: no snapshot, changes only. */
    private static void streamSink(String url, String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(STREAM_TOPIC, 1, (short) 1))).all().get();
        }
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SINK stream_sink FROM bench INTO KAFKA CONNECTION k (TOPIC '" + STREAM_TOPIC + "', COMPRESSION TYPE 'none') "
                    + "KEY (id) FORMAT JSON ENVELOPE UPSERT WITH (SNAPSHOT = false)");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                try (var rows = statement.executeQuery("SELECT status FROM mz_internal.mz_sink_statuses WHERE name = 'stream_sink'")) {
                    if (rows.next() && "running".equals(rows.getString(1))) {
                        return;
                    }
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("stream_sink did not start");
        }
    }

    /**
     * Kafka's own floor for commit-to-visible on this broker: a transactional producer fed {@code rate} records/s that,
     * like the sink's writer, commits whatever arrived since its last commit (one transaction at a time); the same consumer.
     */
    private static void rawLatency(String bootstrap, int rate, int seconds) throws Exception {
        String topic = "bench-raw-latency";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        Map<Long, Long> sent = new ConcurrentHashMap<>();
        Map<Long, Long> visible = new ConcurrentHashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = tail(bootstrap, topic, true, done,
                (record, now) -> visible.putIfAbsent(Long.parseLong(new String(record.key(), StandardCharsets.UTF_8)), now));
        java.util.concurrent.BlockingQueue<Long> queue = new java.util.concurrent.LinkedBlockingQueue<>();
        int total = rate * seconds;
        Thread generator = new Thread(() -> {
            long interval = 1_000_000_000L / rate;
            long next = System.nanoTime();
            for (long id = 0; id < total; id++) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                next += interval;
                sent.put(id, System.nanoTime());
                queue.add(id);
            }
        }, "raw-latency-generator");
        Map<String, Object> properties = new HashMap<>();
        properties.put("bootstrap.servers", bootstrap);
        properties.put("transactional.id", topic);
        properties.put("enable.idempotence", true);
        properties.put("acks", "all");
        properties.put("linger.ms", 10);
        properties.put("batch.size", 262_144);
        byte[] value = "x".repeat(100).getBytes(StandardCharsets.UTF_8);
        try (org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> producer = new org.apache.kafka.clients.producer.KafkaProducer<>(properties,
                new org.apache.kafka.common.serialization.ByteArraySerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.initTransactions();
            Thread.sleep(1000);
            generator.start();
            List<Long> ready = new ArrayList<>();
            for (long delivered = 0; delivered < total; ) {
                Long first = queue.poll(1, java.util.concurrent.TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                ready.add(first);
                queue.drainTo(ready);
                producer.beginTransaction();
                for (Long id : ready) {
                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, 0, Long.toString(id).getBytes(StandardCharsets.UTF_8),
                            value));
                }
                producer.commitTransaction();
                delivered += ready.size();
                ready.clear();
            }
        }
        generator.join();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (visible.size() < total && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        done.set(true);
        reader.join();
        report("raw producer commit-to-visible (Kafka's floor)", total, rate, sent, visible, seconds);
    }

    private static void report(String what, int total, int rate, Map<Long, Long> acknowledged, Map<Long, Long> visible, double writingSeconds) {
        List<Double> millis = new ArrayList<>();
        acknowledged.forEach((id, at) -> {
            Long seen = visible.get(id);
            if (seen != null) {
                millis.add(Math.max(0, seen - at) / 1e6);
            }
        });
        Collections.sort(millis);
        System.out.printf(Locale.ROOT, "%s: %d records at %.0f/s achieved (%d/s asked), %d seen: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                what, total, acknowledged.size() / writingSeconds, rate, millis.size(), percentile(millis, 0.5), percentile(millis, 0.9),
                percentile(millis, 0.99), millis.isEmpty() ? Double.NaN : millis.get(millis.size() - 1));
    }

    /** Back-to-back UPDATEs of {@code batch} rows; the sink must deliver them as fast as the table commits them. */
    private static void updates(String url, String bootstrap, int rows, int batch, int seconds) throws Exception {
        AtomicLong delivered = new AtomicLong();
        AtomicLong deliveredBytes = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong lastVisible = new AtomicLong();
        Thread reader = tail(bootstrap, STREAM_TOPIC, false, done, (record, now) -> {
            delivered.incrementAndGet();
            deliveredBytes.addAndGet(record.key().length + record.value().length);
            lastVisible.set(now);
        });
        Thread.sleep(1000);
        long updated = 0;
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        try (Connection connection = DriverManager.getConnection(url);
                PreparedStatement update = connection.prepareStatement("UPDATE bench SET amount = amount + 1 WHERE id >= ? AND id < ?")) {
            for (long from = 0; System.nanoTime() < end; from = (from + batch) % rows) {
                update.setLong(1, from);
                update.setLong(2, from + batch);
                updated += update.executeUpdate();
            }
        }
        double committing = (System.nanoTime() - start) / 1e9;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (delivered.get() < updated && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        done.set(true);
        reader.join();
        double delivering = (lastVisible.get() - start) / 1e9;
        System.out.printf(Locale.ROOT, "update stream: table committed %d row updates in %.1f s (%.0f rows/s); sink delivered %d in %.1f s: %.0f rows/s, "
                + "%.2f MB/s of key+value%n", updated, committing, updated / committing, delivered.get(), delivering, delivered.get() / delivering,
                deliveredBytes.get() / delivering / 1e6);
    }

    private static void latency(String url, String bootstrap, int firstId, int rate, int seconds) throws Exception {
        Map<Long, Long> acknowledged = new ConcurrentHashMap<>();
        Map<Long, Long> visible = new ConcurrentHashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = tail(bootstrap, STREAM_TOPIC, false, done,
                (record, now) -> visible.putIfAbsent(Long.parseLong(new String(record.key(), StandardCharsets.UTF_8).replaceAll("\\D", "")), now));
        Thread.sleep(1000);
        int total = rate * seconds;
        List<Thread> clients = new ArrayList<>();
        List<SQLException> failures = Collections.synchronizedList(new ArrayList<>());
        long started = System.nanoTime();
        for (int client = 0; client < LATENCY_CLIENTS; client++) {
            int number = client;
            Thread thread = new Thread(() -> {
                try (Connection connection = DriverManager.getConnection(url);
                        PreparedStatement insert = connection.prepareStatement("INSERT INTO bench VALUES (?, ?, ?, ?)")) {
                    long interval = 1_000_000_000L * LATENCY_CLIENTS / rate;
                    long next = started + interval * number / LATENCY_CLIENTS;
                    for (int i = number; i < total; i += LATENCY_CLIENTS) {
                        long sleep = next - System.nanoTime();
                        if (sleep > 0) {
                            Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                        }
                        next += interval;
                        long id = firstId + 10_000_000L + i;
                        insert.setLong(1, id);
                        insert.setString(2, "customer-" + id);
                        insert.setBigDecimal(3, BigDecimal.ONE);
                        insert.setString(4, "latency row");
                        insert.executeUpdate();
                        acknowledged.put(id, System.nanoTime());
                    }
                } catch (SQLException e) {
                    failures.add(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "latency-client-" + client);
            thread.start();
            clients.add(thread);
        }
        for (Thread client : clients) {
            client.join();
        }
        double writing = (System.nanoTime() - started) / 1e9;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (visible.size() < acknowledged.size() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        done.set(true);
        reader.join();
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        report("SINK COMMIT-TO-VISIBLE (single-row INSERTs by " + LATENCY_CLIENTS + " clients, acknowledged -> seen read_committed)", total, rate,
                acknowledged, visible, writing);
    }

    /**
     * A read_committed consumer of partition 0 of {@code topic} on its own thread, from the beginning or the end, that hands
     * every record with the time it arrived to {@code onRecord} until {@code done} is set. Started; the caller joins.
     */
    private static Thread tail(String bootstrap, String topic, boolean fromBeginning, AtomicBoolean done,
            java.util.function.BiConsumer<ConsumerRecord<byte[], byte[]>, Long> onRecord) {
        Thread reader = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
                TopicPartition partition = new TopicPartition(topic, 0);
                consumer.assign(List.of(partition));
                if (fromBeginning) {
                    consumer.seekToBeginning(List.of(partition));
                } else {
                    consumer.seekToEnd(List.of(partition));
                }
                consumer.position(partition);
                while (!done.get()) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(5))) {
                        onRecord.accept(record, System.nanoTime());
                    }
                }
            }
        }, "reader-" + topic);
        reader.start();
        return reader;
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
}
