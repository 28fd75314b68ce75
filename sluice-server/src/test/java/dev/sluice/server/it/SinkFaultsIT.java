package dev.sluice.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.ExternalKafka;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runtime faults of the cluster, each while the sink runs: the sink goes {@code stalled} with the
 * error in {@code mz_internal.mz_sink_statuses}, loses and duplicates nothing, and recovers by
 * itself once the fault is repaired. (The broker going away is {@link BrokerOutageIT}.) The broker
 * is a separate process with an authorizer, so ACL denials are real.
 */
class SinkFaultsIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static ExternalKafka kafka;
    private static TestServer server;
    private static SinkWatch watch;

    @BeforeAll
    static void start() {
        kafka = ExternalKafka.shared();
        server = new TestServer(kafka.bootstrapServers());
        watch = new SinkWatch(server.jdbcUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void deletedTopicStallsTheSinkUntilItExistsAgain() throws Exception {
        String topic = "faults-deleted-" + System.nanoTime();
        execute("CREATE TABLE deleted_t (id int PRIMARY KEY)", "INSERT INTO deleted_t VALUES (1), (2), (3)",
                "CREATE CONNECTION deleted_k TO KAFKA (BROKER '" + kafka.bootstrapServers() + "', SECURITY PROTOCOL PLAINTEXT)",
                "CREATE SINK deleted_s FROM deleted_t INTO KAFKA CONNECTION deleted_k (TOPIC '" + topic + "') KEY (id) FORMAT JSON ENVELOPE UPSERT");
        assertThat(SinkWatch.awaitMessages(kafka.bootstrapServers(), topic, 3, WAIT)).hasSize(3);

        try (Admin admin = kafka.admin()) {
            admin.deleteTopics(List.of(topic)).all().get();
            execute("INSERT INTO deleted_t VALUES (4), (5)");
            SinkWatch.Status stalled = watch.awaitStatus("deleted_s", "stalled", WAIT);
            assertThat(stalled.error()).hasValueSatisfying(error -> assertThat(error).startsWith("kafka: ").contains(topic));
            execute("INSERT INTO deleted_t VALUES (6)");

            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            watch.awaitStatus("deleted_s", "running", WAIT);
        }
        execute("INSERT INTO deleted_t VALUES (7)");
        assertThat(keys(SinkWatch.awaitMessages(kafka.bootstrapServers(), topic, 4, WAIT)))
                .as("the changes after the deletion, once each; the deleted topic's messages are gone with it").containsExactly(4, 5, 6, 7);
    }

    @Test
    void deniedAclStallsTheSinkUntilItIsGranted() throws Exception {
        String topic = "faults-acl-" + System.nanoTime();
        String progressTopic = "faults-acl-progress-" + System.nanoTime();
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
            String user = "User:" + ExternalKafka.RESTRICTED_USER;
            admin.createAcls(List.of(
                    allow(ResourceType.TOPIC, progressTopic, PatternType.LITERAL, user, AclOperation.ALL),
                    allow(ResourceType.TOPIC, topic, PatternType.LITERAL, user, AclOperation.DESCRIBE),
                    allow(ResourceType.TRANSACTIONAL_ID, "materialize-", PatternType.PREFIXED, user, AclOperation.ALL),
                    allow(ResourceType.GROUP, "materialize-", PatternType.PREFIXED, user, AclOperation.ALL))).all().get();
            execute("CREATE TABLE acl_t (id int PRIMARY KEY)", "INSERT INTO acl_t VALUES (1), (2)",
                    "CREATE SECRET acl_password AS '" + ExternalKafka.RESTRICTED_PASSWORD + "'",
                    "CREATE CONNECTION acl_k TO KAFKA (BROKER '" + kafka.saslBootstrapServers() + "', SECURITY PROTOCOL SASL_PLAINTEXT, "
                            + "SASL MECHANISMS 'PLAIN', SASL USERNAME '" + ExternalKafka.RESTRICTED_USER + "', SASL PASSWORD SECRET acl_password, "
                            + "PROGRESS TOPIC '" + progressTopic + "')",
                    "CREATE SINK acl_s FROM acl_t INTO KAFKA CONNECTION acl_k (TOPIC '" + topic + "') KEY (id) FORMAT JSON ENVELOPE UPSERT");
            SinkWatch.Status stalled = watch.awaitStatus("acl_s", "stalled", WAIT);
            assertThat(stalled.error()).hasValueSatisfying(error -> assertThat(error).startsWith("kafka: ").contains("Not authorized").contains(topic));
            execute("INSERT INTO acl_t VALUES (3)");

            admin.createAcls(List.of(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, user, AclOperation.WRITE))).all().get();
            watch.awaitStatus("acl_s", "running", WAIT);
        }
        execute("INSERT INTO acl_t VALUES (4)");
        assertThat(keys(SinkWatch.awaitMessages(kafka.bootstrapServers(), topic, 4, WAIT))).as("every row once")
                .containsExactlyInAnyOrder(1, 2, 3, 4);
    }

    @Test
    void topicConfigRejectedByTheBrokerStallsTheSinkUntilTheTopicExists() throws Exception {
        String topic = "faults-config-" + System.nanoTime();
        execute("CREATE TABLE config_t (id int PRIMARY KEY)", "INSERT INTO config_t VALUES (1), (2)",
                "CREATE CONNECTION config_k TO KAFKA (BROKER '" + kafka.bootstrapServers() + "', SECURITY PROTOCOL PLAINTEXT)",
                "CREATE SINK config_s FROM config_t INTO KAFKA CONNECTION config_k (TOPIC '" + topic + "', "
                        + "TOPIC CONFIG MAP['cleanup.policy' => 'sideways']) KEY (id) FORMAT JSON ENVELOPE UPSERT");
        SinkWatch.Status stalled = watch.awaitStatus("config_s", "stalled", WAIT);
        assertThat(stalled.error()).hasValueSatisfying(error -> assertThat(error).startsWith("kafka: Error creating topic " + topic + " for sink: "));
        execute("INSERT INTO config_t VALUES (3)");

        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")))).all().get();
        }
        watch.awaitStatus("config_s", "running", WAIT);
        execute("INSERT INTO config_t VALUES (4)");
        assertThat(keys(SinkWatch.awaitMessages(kafka.bootstrapServers(), topic, 4, WAIT))).as("every row once").containsExactly(1, 2, 3, 4);
    }

    private static AclBinding allow(ResourceType type, String name, PatternType pattern, String principal, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern), new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    private static List<Integer> keys(List<KafkaReader.Message> messages) {
        return messages.stream().map(message -> Integer.parseInt(message.key().replaceAll("\\D", ""))).sorted().toList();
    }

    private static void execute(String... statements) throws Exception {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
