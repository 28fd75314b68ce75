package dev.sluice.server.it;

import static dev.sluice.server.it.SinkTestKit.execute;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The exactly-once protocol of reference §4 and the producer settings of §4.1, read back from Kafka. */
@ExtendWith(DropSinksAfterEach.class)
class KafkaSinkProtocolIT {
    @Test
    void progressRecordsAreOnePerTransactionIncludingProgressOnlyOnes() throws Exception {
        String name = SinkTestKit.unique("progress");
        String progressTopic = name + "_progress";
        try (Connection connection = SinkTestKit.server().connect()) {
            execute(connection, "CREATE CONNECTION " + name + "_conn TO KAFKA (BROKER '" + SinkTestKit.bootstrap() + "', SECURITY PROTOCOL "
                    + "PLAINTEXT, PROGRESS TOPIC '" + progressTopic + "')",
                    "CREATE TABLE " + name + " (k int PRIMARY KEY, v text)", "INSERT INTO " + name + " VALUES (1, 'a')",
                    "CREATE SINK " + name + "_sink FROM " + name + " INTO KAFKA CONNECTION " + name + "_conn (TOPIC '" + name + "') KEY (k) "
                            + "FORMAT JSON ENVELOPE UPSERT");
            String sinkId = SinkTestKit.sinkId(connection, name + "_sink");
            SinkTestKit.awaitCount(name, 1);
            execute(connection, "INSERT INTO " + name + " VALUES (2, 'b')");
            SinkTestKit.awaitCount(name, 2);
            List<SinkTestKit.Record> progress = SinkTestKit.await(progressTopic, records -> records.size() >= 5);
            List<SinkTestKit.Record> data = SinkTestKit.readCommitted(name);
            long asOf = data.get(0).timestamp();
            long previous = asOf;
            for (SinkTestKit.Record record : progress) {
                assertThat(record.keyText()).isEqualTo("mz-sink-" + sinkId);
                assertThat(record.headers()).as("progress records carry no headers").isEmpty();
                assertThat(record.valueText()).matches("\\{\"frontier\":\\[\\d+],\"version\":0}");
                long frontier = Long.parseLong(record.valueText().replaceAll("\\D+", " ").trim().split(" ")[0]);
                assertThat(frontier).as("frontiers advance strictly past as_of").isGreaterThan(previous);
                previous = frontier;
            }
            // Only this sink writes this progress topic: each record is followed by its transaction's commit marker.
            for (int i = 1; i < progress.size(); i++) {
                assertThat(progress.get(i).offset()).as("one commit marker between progress records").isEqualTo(progress.get(i - 1).offset() + 2);
            }
            // The snapshot commits with the first frontier past as_of (advances already available are coalesced into it).
            long firstFrontier = Long.parseLong(progress.get(0).valueText().replaceAll("\\D+", " ").trim().split(" ")[0]);
            assertThat(firstFrontier).isGreaterThan(asOf);
            // Data offsets skip the commit markers too: the snapshot at 0, its marker at 1, the insert at 2.
            assertThat(data).extracting(SinkTestKit.Record::offset).containsExactly(0L, 2L);
        }
    }

    @Test
    void transactionalIdAndProducerSettingsFollowTheNamingRules() throws Exception {
        String name = SinkTestKit.unique("txnid");
        try (Connection connection = SinkTestKit.server().connect(); Admin admin = SinkTestKit.admin()) {
            execute(connection, "CREATE TABLE " + name + " (k int PRIMARY KEY)",
                    "CREATE SINK " + name + "_plain FROM " + name + " INTO KAFKA CONNECTION kafka (TOPIC '" + name + "_plain') KEY (k) FORMAT JSON "
                            + "ENVELOPE UPSERT",
                    "CREATE SINK " + name + "_prefixed FROM " + name + " INTO KAFKA CONNECTION kafka (TOPIC '" + name + "_prefixed', "
                            + "TRANSACTIONAL ID PREFIX 'lockdown', PROGRESS GROUP ID PREFIX 'group-') KEY (k) FORMAT JSON ENVELOPE UPSERT");
            String connectionId = SinkTestKit.queryText(connection, "SELECT id FROM mz_catalog.mz_connections WHERE name = 'kafka'");
            String plain = "materialize-test-" + connectionId + "-" + SinkTestKit.sinkId(connection, name + "_plain");
            String prefixed = "lockdownmaterialize-test-" + connectionId + "-" + SinkTestKit.sinkId(connection, name + "_prefixed");
            SinkTestKit.awaitNextProgress(connection, name + "_plain");
            SinkTestKit.awaitNextProgress(connection, name + "_prefixed");
            Set<String> ids = admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream().map(TransactionListing::transactionalId)
                    .collect(Collectors.toSet());
            assertThat(ids).contains(plain, prefixed);
        }
    }

    @Test
    void everyCompressionTypeIsWhatTheProducerWritesAndLz4IsTheDefault() throws Exception {
        String name = SinkTestKit.unique("compression");
        Map<String, String> expected = new HashMap<>();
        try (Connection connection = SinkTestKit.server().connect()) {
            execute(connection, "CREATE TABLE " + name + " (k int PRIMARY KEY, v text)",
                    "INSERT INTO " + name + " VALUES (1, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'), (2, 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb')");
            for (String type : List.of("none", "gzip", "snappy", "lz4", "ZSTD", "default")) {
                String topic = name + "_" + type.toLowerCase(java.util.Locale.ROOT);
                String option = type.equals("default") ? "" : ", COMPRESSION TYPE = '" + type + "'";
                execute(connection, "CREATE SINK " + topic + "_sink FROM " + name + " INTO KAFKA CONNECTION kafka (TOPIC '" + topic + "'" + option
                        + ") KEY (k) FORMAT JSON ENVELOPE UPSERT");
                expected.put(topic, type.equals("default") ? "lz4" : type.toLowerCase(java.util.Locale.ROOT));
            }
            for (Map.Entry<String, String> sink : expected.entrySet()) {
                SinkTestKit.awaitCount(sink.getKey(), 2);
                assertThat(batchCompression(sink.getKey())).as("compression of %s", sink.getKey()).containsExactly(sink.getValue());
            }
        }
    }

    /** The compression types of the data batches in the topic's log segments, as the broker stored them. */
    private static Set<String> batchCompression(String topic) throws Exception {
        Set<String> types = new java.util.TreeSet<>();
        try (Stream<Path> files = Files.list(SinkTestKit.kafkaLogs().resolve(topic + "-0"))) {
            for (Path segment : files.filter(file -> file.toString().endsWith(".log")).toList()) {
                try (FileRecords records = FileRecords.open(segment.toFile(), false)) {
                    for (RecordBatch batch : records.batches()) {
                        if (!batch.isControlBatch()) {
                            types.add(batch.compressionType().name);
                        }
                    }
                }
            }
        }
        return types;
    }

    @Test
    void restartResumesWithoutDuplicatesAndANewerVersionFencesTheSink() throws Exception {
        Path dataDir = Files.createTempDirectory("sluice-restart");
        String name = SinkTestKit.unique("restart");
        String sinkName = name + "_sink";
        String progressTopic;
        String sinkId;
        TestServer first = new TestServer(dataDir, SinkTestKit.bootstrap(), "restart" + name.replaceAll("\\D", ""));
        try (Connection connection = first.connect()) {
            execute(connection, "CREATE CONNECTION kafka TO KAFKA (BROKER '" + SinkTestKit.bootstrap() + "', SECURITY PROTOCOL PLAINTEXT)",
                    "CREATE TABLE " + name + " (k int PRIMARY KEY, v text)", "INSERT INTO " + name + " VALUES (1, 'a'), (2, 'b')",
                    "CREATE SINK " + sinkName + " FROM " + name + " INTO KAFKA CONNECTION kafka (TOPIC '" + name + "') KEY (k) FORMAT JSON "
                            + "ENVELOPE UPSERT");
            SinkTestKit.awaitCount(name, 2);
            execute(connection, "UPDATE " + name + " SET v = 'c' WHERE k = 1");
            SinkTestKit.awaitExactly(connection, sinkName, name, 3);
            progressTopic = SinkTestKit.progressTopic(connection, sinkName);
            sinkId = SinkTestKit.sinkId(connection, sinkName);
        } finally {
            first.close();
        }
        long committedBefore = lastFrontier(SinkTestKit.readCommitted(progressTopic), sinkId);
        TestServer second = new TestServer(dataDir, SinkTestKit.bootstrap(), "restart" + name.replaceAll("\\D", ""));
        try (Connection connection = second.connect()) {
            execute(connection, "INSERT INTO " + name + " VALUES (3, 'd')", "DELETE FROM " + name + " WHERE k = 2");
            List<SinkTestKit.Record> all = SinkTestKit.awaitExactly(connection, sinkName, name, 5);
            assertThat(all).extracting(SinkTestKit.Record::keyText, SinkTestKit.Record::valueText).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("{\"k\":1}", "{\"k\":1,\"v\":\"a\"}"),
                    org.assertj.core.groups.Tuple.tuple("{\"k\":2}", "{\"k\":2,\"v\":\"b\"}"),
                    org.assertj.core.groups.Tuple.tuple("{\"k\":1}", "{\"k\":1,\"v\":\"c\"}"),
                    org.assertj.core.groups.Tuple.tuple("{\"k\":3}", "{\"k\":3,\"v\":\"d\"}"),
                    org.assertj.core.groups.Tuple.tuple("{\"k\":2}", null));
            assertThat(lastFrontier(SinkTestKit.readCommitted(progressTopic), sinkId)).isGreaterThan(committedBefore);
        } finally {
            second.close();
        }
        // A newer version of the sink committed progress: this (older) definition must refuse to write.
        Map<String, Object> properties = new HashMap<>();
        properties.put("bootstrap.servers", SinkTestKit.bootstrap());
        properties.put("transactional.id", "test-newer-version-" + name);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(progressTopic, ("mz-sink-" + sinkId).getBytes(StandardCharsets.UTF_8),
                    ("{\"frontier\":[" + (System.currentTimeMillis() + 3_600_000) + "],\"version\":1}").getBytes(StandardCharsets.UTF_8)));
            producer.commitTransaction();
        }
        TestServer third = new TestServer(dataDir, SinkTestKit.bootstrap(), "restart" + name.replaceAll("\\D", ""));
        try (Connection connection = third.connect()) {
            assertThat(SinkTestKit.awaitStatus(connection, sinkName, "stalled"))
                    .isEqualTo("kafka: Fenced off by newer version of the sink. ours=0 theirs=1");
            execute(connection, "INSERT INTO " + name + " VALUES (4, 'e')");
            assertThat(SinkTestKit.readCommitted(name)).hasSize(5);
        } finally {
            third.close();
        }
    }

    @Test
    void deletedDataTopicWithSurvivingProgressStallsUntilTheTopicIsBack() throws Exception {
        Path dataDir = Files.createTempDirectory("sluice-deleted-topic");
        String name = SinkTestKit.unique("deleted");
        String sinkName = name + "_sink";
        String environment = "deleted" + name.replaceAll("\\D", "");
        TestServer first = new TestServer(dataDir, SinkTestKit.bootstrap(), environment);
        try (Connection connection = first.connect()) {
            execute(connection, "CREATE CONNECTION kafka TO KAFKA (BROKER '" + SinkTestKit.bootstrap() + "', SECURITY PROTOCOL PLAINTEXT)",
                    "CREATE TABLE " + name + " (k int PRIMARY KEY)", "INSERT INTO " + name + " VALUES (1)",
                    "CREATE SINK " + sinkName + " FROM " + name + " INTO KAFKA CONNECTION kafka (TOPIC '" + name + "') KEY (k) FORMAT JSON "
                            + "ENVELOPE UPSERT");
            SinkTestKit.awaitExactly(connection, sinkName, name, 1);
        } finally {
            first.close();
        }
        try (Admin admin = SinkTestKit.admin()) {
            admin.deleteTopics(List.of(name)).all().get(30, TimeUnit.SECONDS);
            TestServer second = new TestServer(dataDir, SinkTestKit.bootstrap(), environment);
            try (Connection connection = second.connect()) {
                assertThat(SinkTestKit.awaitStatus(connection, sinkName, "stalled")).isEqualTo("kafka: topic " + name + " does not exist");
                // The data topic is never re-created once progress exists; the operator brings it back and the sink resumes by itself.
                admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                SinkTestKit.awaitStatus(connection, sinkName, "running");
                execute(connection, "INSERT INTO " + name + " VALUES (2)");
                assertThat(SinkTestKit.awaitExactly(connection, sinkName, name, 1)).extracting(SinkTestKit.Record::keyText).containsExactly("{\"k\":2}");
            } finally {
                second.close();
            }
        }
    }

    private static long lastFrontier(List<SinkTestKit.Record> progress, String sinkId) {
        List<Long> frontiers = new ArrayList<>();
        for (SinkTestKit.Record record : progress) {
            if (("mz-sink-" + sinkId).equals(record.keyText())) {
                frontiers.add(Long.parseLong(record.valueText().replaceAll("\\D+", " ").trim().split(" ")[0]));
            }
        }
        return frontiers.get(frontiers.size() - 1);
    }
}
