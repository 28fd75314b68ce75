package dev.sluice.kafka.sink;

import static java.util.Objects.requireNonNull;

import dev.sluice.kafka.admin.TopicAdmin;
import dev.sluice.kafka.progress.ProgressRecord;
import dev.sluice.kafka.progress.ProgressScanner;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** {@link SinkClients} against the sink's real Kafka cluster. One admin client for the sink's lifetime. */
public final class KafkaSinkClients implements SinkClients {
    private final KafkaSinkDescription description;
    private final Map<String, Object> client;
    private Admin admin;

    public KafkaSinkClients(KafkaSinkDescription description) {
        this.description = requireNonNull(description, "description is null");
        this.client = description.connection().clientProperties();
    }

    /**
     * The producer of §4.1. {@code max.block.ms} bounds every blocking call (metadata, a full buffer,
     * {@code commitTransaction}) so that an unreachable broker surfaces as a retriable timeout the sink reports
     * while it retries; {@code delivery.timeout.ms} then turns batches that never got out into an abortable error.
     */
    @Override
    public Producer<byte[], byte[]> newProducer() {
        Map<String, Object> properties = new HashMap<>(client);
        properties.put("enable.idempotence", true);
        properties.put("acks", "all");
        properties.put("transactional.id", description.transactionalId());
        properties.put("client.id", description.idBase());
        properties.put("compression.type", description.compressionType());
        properties.put("linger.ms", 10);
        properties.put("batch.size", 262_144);
        properties.put("buffer.memory", 64L * 1024 * 1024);
        properties.put("max.block.ms", 10_000);
        properties.put("transaction.timeout.ms", 600_000);
        properties.put("request.timeout.ms", 30_000);
        properties.put("delivery.timeout.ms", 120_000);
        properties.put("retry.backoff.ms", 100);
        properties.put("retry.backoff.max.ms", 1_000);
        properties.put("reconnect.backoff.ms", 100);
        properties.put("reconnect.backoff.max.ms", 1_000);
        return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private TopicAdmin topics() {
        if (admin == null) {
            admin = Admin.create(client);
        }
        return new TopicAdmin(admin);
    }

    @Override
    public void ensureProgressTopic() {
        topics().ensureProgressTopic(description.progressTopic(), description.progressTopicReplicationFactor());
    }

    @Override
    public Optional<ProgressRecord> latestProgress() {
        return ProgressScanner.latest(client, description.progressGroupId(), description.idBase(), description.progressTopic(), description.sinkId());
    }

    @Override
    public Optional<ProgressRecord> highestProgressWritten() {
        if (!topics().exists(description.progressTopic())) {
            return Optional.empty();
        }
        return ProgressScanner.highestWritten(client, description.progressGroupId(), description.idBase(), description.progressTopic(),
                description.sinkId());
    }

    @Override
    public void ensureDataTopic() {
        topics().ensureTopic(description.topic(), description.partitionCount(), description.replicationFactor(), description.topicConfig());
    }

    @Override
    public int dataTopicPartitions() {
        return topics().partitionCount(description.topic());
    }

    /** Bounded: with the broker unreachable an unbounded close would hang the sink's shutdown. */
    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }
}
