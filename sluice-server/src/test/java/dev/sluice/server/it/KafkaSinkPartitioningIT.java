package dev.sluice.server.it;

import static dev.sluice.server.it.SinkTestKit.execute;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Partitioning (reference §6): PARTITION BY, the SQL hash functions, partition-count refresh. */
@ExtendWith(DropSinksAfterEach.class)
class KafkaSinkPartitioningIT {
    @Test
    void partitionByValueChoosesThePartitionAndNullOrErrorsGoToZero() throws Exception {
        String name = SinkTestKit.unique("partitionby");
        try (Connection connection = SinkTestKit.server().connect()) {
            execute(connection, "CREATE TABLE " + name + " (k int PRIMARY KEY, part int, a int, b int)",
                    "INSERT INTO " + name + " VALUES (1, 0, 1, 1), (2, 1, 1, 1), (3, 2, 1, 1), (4, 3, 1, 1), (5, NULL, 1, 1), (6, -1, 1, 1)",
                    "CREATE SINK " + name + "_direct FROM " + name + " INTO KAFKA CONNECTION kafka (TOPIC '" + name + "_direct', "
                            + "TOPIC PARTITION COUNT 2, PARTITION BY = part) KEY (k) FORMAT JSON ENVELOPE UPSERT",
                    "CREATE TABLE " + name + "_div (k int PRIMARY KEY, a int, b int)",
                    "INSERT INTO " + name + "_div VALUES (1, -1, 1), (2, 1, 0), (3, NULL, 1), (4, 3, 1)",
                    "CREATE SINK " + name + "_divsink FROM " + name + "_div INTO KAFKA CONNECTION kafka (TOPIC '" + name + "_div', "
                            + "TOPIC PARTITION COUNT 4, PARTITION BY = a / b) KEY (k) FORMAT JSON ENVELOPE UPSERT");
            List<SinkTestKit.Record> direct = SinkTestKit.awaitCount(name + "_direct", 6);
            assertThat(direct).extracting(SinkTestKit.Record::keyText, SinkTestKit.Record::partition).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("{\"k\":1}", 0), org.assertj.core.groups.Tuple.tuple("{\"k\":2}", 1),
                    org.assertj.core.groups.Tuple.tuple("{\"k\":3}", 0), org.assertj.core.groups.Tuple.tuple("{\"k\":4}", 1),
                    org.assertj.core.groups.Tuple.tuple("{\"k\":5}", 0), org.assertj.core.groups.Tuple.tuple("{\"k\":6}", 0));
            List<SinkTestKit.Record> divided = SinkTestKit.awaitCount(name + "_div", 4);
            assertThat(divided).extracting(SinkTestKit.Record::keyText, SinkTestKit.Record::partition).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("{\"k\":1}", 0), org.assertj.core.groups.Tuple.tuple("{\"k\":2}", 0),
                    org.assertj.core.groups.Tuple.tuple("{\"k\":3}", 0), org.assertj.core.groups.Tuple.tuple("{\"k\":4}", 3));
            // A delete is partitioned by the row it removes.
            execute(connection, "DELETE FROM " + name + " WHERE k = 2");
            List<SinkTestKit.Record> afterDelete = SinkTestKit.awaitCount(name + "_direct", 7);
            assertThat(afterDelete).filteredOn(record -> record.value() == null).singleElement()
                    .satisfies(record -> assertThat(record.partition()).isEqualTo(1));
        }
    }

    @Test
    void kafkaMurmur2PartitionByMatchesTheJavaDefaultPartitioner() throws Exception {
        String name = SinkTestKit.unique("murmur");
        try (Connection connection = SinkTestKit.server().connect()) {
            execute(connection, "CREATE TABLE " + name + " (fruit text PRIMARY KEY)",
                    "INSERT INTO " + name + " VALUES ('apple'), ('banana'), ('grape'), ('orange'), ('zucchini')",
                    "CREATE SINK " + name + "_sink FROM " + name + " INTO KAFKA CONNECTION kafka (TOPIC '" + name + "', TOPIC PARTITION COUNT 16, "
                            + "PARTITION BY = kafka_murmur2(fruit)) KEY (fruit) FORMAT TEXT ENVELOPE UPSERT");
            List<SinkTestKit.Record> records = SinkTestKit.awaitCount(name, 5);
            assertThat(records).extracting(SinkTestKit.Record::keyText, SinkTestKit.Record::partition).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("apple", 5), org.assertj.core.groups.Tuple.tuple("banana", 13),
                    org.assertj.core.groups.Tuple.tuple("grape", 5), org.assertj.core.groups.Tuple.tuple("orange", 8),
                    org.assertj.core.groups.Tuple.tuple("zucchini", 4));
            // The same partitions as Kafka's Java default partitioner gives these keys.
            assertThat(records).allSatisfy(record -> assertThat(record.partition()).isEqualTo(Utils.toPositive(Utils.murmur2(record.key())) % 16));
        }
    }

    @Test
    void hashFunctionsInSqlMatchTheReferenceVectors() throws Exception {
        try (Connection connection = SinkTestKit.server().connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT crc32(''), crc32('foobar'), seahash(''), seahash('foobar'), kafka_murmur2('21'), "
                        + "kafka_murmur2('foobar'), kafka_murmur2('a-little-bit-long-string'), kafka_murmur2('a-little-bit-longer-string'), "
                        + "kafka_murmur2('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'), kafka_murmur2('apple') % 16, seahash('bar')")) {
            assertThat(rows.next()).isTrue();
            assertThat(List.of(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5), rows.getString(6),
                    rows.getString(7), rows.getString(8), rows.getString(9), rows.getString(10), rows.getString(11)))
                    .containsExactly("0", "2666930069", "14492805990617963705", "5348458858952426560", "1173551340", "1357151166", "1161502112",
                            "661178819", "2088585677", "5", Long.toUnsignedString(-2796170501982571315L));
        }
        assertThat(Long.toUnsignedString(SinkTestKit.seaHash("foobar".getBytes(StandardCharsets.UTF_8)))).isEqualTo("5348458858952426560");
    }

    @Test
    void partitionCountIsReReadAfterTheTopicGrows() throws Exception {
        String name = SinkTestKit.unique("grow");
        try (Connection connection = SinkTestKit.server().connect(); Admin admin = SinkTestKit.admin()) {
            execute(connection, "CREATE TABLE " + name + " (k int PRIMARY KEY)", "INSERT INTO " + name + " VALUES (0)",
                    "CREATE SINK " + name + "_sink FROM " + name + " INTO KAFKA CONNECTION kafka (TOPIC '" + name + "', TOPIC PARTITION COUNT 2, "
                            + "TOPIC METADATA REFRESH INTERVAL '1 second') KEY (k) FORMAT JSON ENVELOPE UPSERT");
            SinkTestKit.awaitCount(name, 1);
            admin.createPartitions(Map.of(name, NewPartitions.increaseTo(5))).all().get(30, TimeUnit.SECONDS);
            // Write keys until one lands where only the new count puts it: the refresh has happened.
            int k = 1;
            boolean refreshed = false;
            while (!refreshed && k < 200) {
                byte[] key = ("{\"k\":" + k + "}").getBytes(StandardCharsets.UTF_8);
                int newPartition = SinkTestKit.partitionOf(SinkTestKit.seaHash(key), 5);
                if (newPartition != SinkTestKit.partitionOf(SinkTestKit.seaHash(key), 2)) {
                    execute(connection, "INSERT INTO " + name + " VALUES (" + k + ")");
                    String keyText = new String(key, StandardCharsets.UTF_8);
                    SinkTestKit.Record record = SinkTestKit.await(name, records -> records.stream().anyMatch(r -> keyText.equals(r.keyText())))
                            .stream().filter(r -> keyText.equals(r.keyText())).findFirst().orElseThrow();
                    refreshed = record.partition() == newPartition;
                }
                k++;
            }
            assertThat(refreshed).as("a message lands by hash mod the new partition count").isTrue();
            StringBuilder values = new StringBuilder();
            for (int more = 1000; more < 1020; more++) {
                values.append(more == 1000 ? "" : ", ").append('(').append(more).append(')');
            }
            execute(connection, "INSERT INTO " + name + " VALUES " + values);
            java.util.Set<String> keys = new java.util.HashSet<>();
            for (int more = 1000; more < 1020; more++) {
                keys.add("{\"k\":" + more + "}");
            }
            List<SinkTestKit.Record> later = SinkTestKit.await(name, records -> records.stream().filter(r -> keys.contains(r.keyText())).count() >= 20)
                    .stream().filter(r -> keys.contains(r.keyText())).toList();
            assertThat(later).hasSize(20).allSatisfy(record -> assertThat(record.partition())
                    .isEqualTo(SinkTestKit.partitionOf(SinkTestKit.seaHash(record.key()), 5)));
        }
    }
}
