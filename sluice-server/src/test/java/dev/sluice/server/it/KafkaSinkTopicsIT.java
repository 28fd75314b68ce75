package dev.sluice.server.it;

import static dev.sluice.server.it.SinkTestKit.execute;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Data and progress topics (reference §5, decision 7), checked with the admin client. */
@ExtendWith(DropSinksAfterEach.class)
class KafkaSinkTopicsIT {
    private static TopicDescription describe(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
    }

    private static Config configs(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
    }

    @Test
    void createdTopicHasTheRequestedPartitionsReplicationAndConfig() throws Exception {
        String name = SinkTestKit.unique("topicopts");
        try (Connection connection = SinkTestKit.server().connect(); Admin admin = SinkTestKit.admin()) {
            execute(connection, "CREATE TABLE " + name + " (k int PRIMARY KEY)", "INSERT INTO " + name + " VALUES (1)",
                    "CREATE SINK " + name + "_sink FROM " + name + " INTO KAFKA CONNECTION kafka (TOPIC '" + name + "', TOPIC PARTITION COUNT 5, "
                            + "TOPIC REPLICATION FACTOR 1, TOPIC CONFIG MAP['cleanup.policy' => 'compact', 'retention.ms' => '12345']) KEY (k) "
                            + "FORMAT JSON ENVELOPE UPSERT");
            SinkTestKit.awaitCount(name, 1);
            TopicDescription description = describe(admin, name);
            assertThat(description.partitions()).hasSize(5);
            assertThat(description.partitions()).allSatisfy(partition -> assertThat(partition.replicas()).hasSize(1));
            Config config = configs(admin, name);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(config.get("retention.ms").value()).isEqualTo("12345");
        }
    }

    @Test
    void topicWithoutOptionsGetsTheBrokersDefaults() throws Exception {
        String name = SinkTestKit.unique("topicdefaults");
        try (Connection connection = SinkTestKit.server().connect(); Admin admin = SinkTestKit.admin()) {
            execute(connection, "CREATE TABLE " + name + " (k int PRIMARY KEY)", "INSERT INTO " + name + " VALUES (1)",
                    "CREATE SINK " + name + "_sink FROM " + name + " INTO KAFKA CONNECTION kafka (TOPIC '" + name + "') KEY (k) FORMAT JSON "
                            + "ENVELOPE UPSERT");
            SinkTestKit.awaitCount(name, 1);
            // The test broker sets num.partitions=1 and default.replication.factor=1.
            assertThat(describe(admin, name).partitions()).hasSize(1);
            assertThat(configs(admin, name).get("cleanup.policy").value()).isEqualTo("delete");
        }
    }

    @Test
    void existingTopicIsUsedWithItsOwnPartitionCount() throws Exception {
        String name = SinkTestKit.unique("existing");
        try (Connection connection = SinkTestKit.server().connect(); Admin admin = SinkTestKit.admin()) {
            admin.createTopics(List.of(new NewTopic(name, 4, (short) 1))).all().get(30, TimeUnit.SECONDS);
            execute(connection, "CREATE TABLE " + name + " (k int PRIMARY KEY)");
            StringBuilder values = new StringBuilder();
            for (int k = 0; k < 20; k++) {
                values.append(k == 0 ? "" : ", ").append('(').append(k).append(')');
            }
            execute(connection, "INSERT INTO " + name + " VALUES " + values,
                    "CREATE SINK " + name + "_sink FROM " + name + " INTO KAFKA CONNECTION kafka (TOPIC '" + name + "', TOPIC PARTITION COUNT 2, "
                            + "TOPIC CONFIG MAP['cleanup.policy' => 'compact']) KEY (k) FORMAT JSON ENVELOPE UPSERT");
            List<SinkTestKit.Record> records = SinkTestKit.awaitCount(name, 20);
            assertThat(describe(admin, name).partitions()).hasSize(4);
            assertThat(configs(admin, name).get("cleanup.policy").value()).as("an existing topic is never altered").isEqualTo("delete");
            assertThat(records).allSatisfy(record -> assertThat(record.partition())
                    .isEqualTo(SinkTestKit.partitionOf(SinkTestKit.seaHash(record.key()), 4)));
            assertThat(records).extracting(SinkTestKit.Record::partition).contains(0, 1, 2, 3);
        }
    }

    @Test
    void progressTopicIsOneCompactedPartitionThatRetentionNeverDeletes() throws Exception {
        String name = SinkTestKit.unique("progresstopic");
        try (Connection connection = SinkTestKit.server().connect(); Admin admin = SinkTestKit.admin()) {
            execute(connection, "CREATE TABLE " + name + " (k int PRIMARY KEY)",
                    "CREATE SINK " + name + "_sink FROM " + name + " INTO KAFKA CONNECTION kafka (TOPIC '" + name + "') KEY (k) FORMAT JSON "
                            + "ENVELOPE UPSERT");
            SinkTestKit.awaitNextProgress(connection, name + "_sink");
            String progressTopic = SinkTestKit.progressTopic(connection, name + "_sink");
            String connectionId = SinkTestKit.queryText(connection, "SELECT id FROM mz_catalog.mz_connections WHERE name = 'kafka'");
            assertThat(progressTopic).isEqualTo("_materialize-progress-test-" + connectionId);
            TopicDescription description = describe(admin, progressTopic);
            assertThat(description.partitions()).hasSize(1);
            assertThat(description.partitions().get(0).replicas()).hasSize(1);
            Config config = configs(admin, progressTopic);
            assertThat(Map.of("cleanup.policy", config.get("cleanup.policy").value(), "retention.ms", config.get("retention.ms").value(),
                    "retention.bytes", config.get("retention.bytes").value(), "segment.bytes", config.get("segment.bytes").value()))
                    .isEqualTo(Map.of("cleanup.policy", "compact", "retention.ms", "-1", "retention.bytes", "-1", "segment.bytes", "134217728"));
        }
    }

    @Test
    void progressTopicWithTwoPartitionsStallsTheSink() throws Exception {
        String name = SinkTestKit.unique("multiprogress");
        try (Connection connection = SinkTestKit.server().connect(); Admin admin = SinkTestKit.admin()) {
            admin.createTopics(List.of(new NewTopic(name + "_progress", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            execute(connection, "CREATE CONNECTION " + name + "_conn TO KAFKA (BROKER '" + SinkTestKit.bootstrap() + "', SECURITY PROTOCOL "
                    + "PLAINTEXT, PROGRESS TOPIC '" + name + "_progress')", "CREATE TABLE " + name + " (k int PRIMARY KEY)",
                    "CREATE SINK " + name + "_sink FROM " + name + " INTO KAFKA CONNECTION " + name + "_conn (TOPIC '" + name + "') KEY (k) "
                            + "FORMAT JSON ENVELOPE UPSERT");
            assertThat(SinkTestKit.awaitStatus(connection, name + "_sink", "stalled")).isEqualTo("kafka: Progress topic " + name
                    + "_progress should contain a single partition, but instead contains 2 partitions");
        }
    }

    @Test
    void progressTopicDeletingByRetentionStallsTheSinkUntilFixedThenItResumes() throws Exception {
        String name = SinkTestKit.unique("retention");
        String progressTopic = name + "_progress";
        try (Connection connection = SinkTestKit.server().connect(); Admin admin = SinkTestKit.admin()) {
            admin.createTopics(List.of(new NewTopic(progressTopic, 1, (short) 1).configs(Map.of("cleanup.policy", "delete",
                    "retention.ms", "604800000")))).all().get(30, TimeUnit.SECONDS);
            execute(connection, "CREATE CONNECTION " + name + "_conn TO KAFKA (BROKER '" + SinkTestKit.bootstrap() + "', SECURITY PROTOCOL "
                    + "PLAINTEXT, PROGRESS TOPIC '" + progressTopic + "')", "CREATE TABLE " + name + " (k int PRIMARY KEY)",
                    "INSERT INTO " + name + " VALUES (1)",
                    "CREATE SINK " + name + "_sink FROM " + name + " INTO KAFKA CONNECTION " + name + "_conn (TOPIC '" + name + "') KEY (k) "
                            + "FORMAT JSON ENVELOPE UPSERT");
            String error = SinkTestKit.awaitStatus(connection, name + "_sink", "stalled");
            assertThat(error).startsWith("kafka: progress topic " + progressTopic + " deletes records by retention").contains("retention.ms=604800000");
            String details = SinkTestKit.queryText(connection, "SELECT details FROM mz_internal.mz_sink_statuses WHERE name = '" + name + "_sink'");
            assertThat(details).contains("Set retention.ms=-1 on topic " + progressTopic);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, progressTopic);
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "-1"), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS);
            SinkTestKit.awaitStatus(connection, name + "_sink", "running");
            assertThat(SinkTestKit.awaitCount(name, 1)).extracting(SinkTestKit.Record::keyText).containsExactly("{\"k\":1}");
        }
    }

    @Test
    void topicConfigTheBrokerRejectsStallsTheSinkWithTheBrokersError() throws Exception {
        String name = SinkTestKit.unique("badconfig");
        try (Connection connection = SinkTestKit.server().connect()) {
            execute(connection, "CREATE TABLE " + name + " (k int PRIMARY KEY)",
                    "CREATE SINK " + name + "_sink FROM " + name + " INTO KAFKA CONNECTION kafka (TOPIC '" + name + "', TOPIC CONFIG "
                            + "MAP['no.such.config' => 'x']) KEY (k) FORMAT JSON ENVELOPE UPSERT");
            assertThat(SinkTestKit.awaitStatus(connection, name + "_sink", "stalled")).startsWith("kafka: Error creating topic " + name + " for sink: ")
                    .containsIgnoringCase("config");
            assertThat(SinkTestKit.queryText(connection, "SELECT h.details FROM mz_internal.mz_sink_status_history h JOIN mz_catalog.mz_sinks s "
                    + "ON s.id = h.sink_id WHERE s.name = '" + name + "_sink' AND h.status = 'stalled'"))
                    .startsWith("{\"namespaced\": {\"kafka\": \"Error creating topic " + name + " for sink: ");
        }
    }
}
