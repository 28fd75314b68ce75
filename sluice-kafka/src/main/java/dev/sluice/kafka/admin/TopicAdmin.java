package dev.sluice.kafka.admin;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import java.time.Duration;
import java.time.Instant;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Topic creation and checks of §5, plus Sluice's refusal of unsafe progress topics. */
public final class TopicAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The configuration of a progress topic Sluice creates (decision 7): compacted, never deleted by retention. */
    public static final Map<String, String> PROGRESS_TOPIC_CONFIG = Map.of("cleanup.policy", "compact", "retention.ms", "-1",
            "retention.bytes", "-1", "segment.bytes", "134217728");

    private final Admin admin;

    public TopicAdmin(Admin admin) {
        this.admin = admin;
    }

    /** Whether {@code topic} exists, by listing all topics (a targeted request could auto-create it). */
    public boolean exists(String topic) {
        return call(() -> admin.listTopics(new ListTopicsOptions().listInternal(false)).names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .contains(topic);
    }

    /** The broker's {@code num.partitions} and {@code default.replication.factor}; -1 each when they cannot be read. */
    public record BrokerDefaults(int partitions, int replicationFactor) {
    }

    /**
     * §5 step 1: DescribeConfigs of the first broker of the cluster metadata; any failure falls back
     * to -1 (the broker's default, Kafka 2.4+) with a warning, so a missing DescribeConfigs
     * permission does not stop the sink.
     */
    public BrokerDefaults brokerDefaults() {
        try {
            Node first = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).iterator().next();
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(first.id()));
            Config config = admin.describeConfigs(List.of(broker)).all().get(5, TimeUnit.SECONDS).get(broker);
            if (config == null || config.entries().isEmpty()) {
                throw new IllegalStateException("read empty cluster configuration; do we have DescribeConfigs permissions?");
            }
            return new BrokerDefaults(Integer.parseInt(value(config, "num.partitions")), Integer.parseInt(value(config, "default.replication.factor")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SluiceException(ErrorCode.QUERY_CANCELED, "interrupted");
        } catch (Exception e) {
            LOG.warn("cannot read the broker's default partition count and replication factor, using the broker default (-1): {}", e.toString());
            return new BrokerDefaults(-1, -1);
        }
    }

    /**
     * Creates the topic if missing (partition count and replication factor default to the broker's
     * defaults of {@link #brokerDefaults()}) and waits until it is visible with its partition count.
     * An existing topic is left as it is.
     */
    public void ensureTopic(String topic, Optional<Integer> partitions, Optional<Integer> replicationFactor, Map<String, String> configs) {
        if (exists(topic)) {
            return;
        }
        if (partitions.isEmpty() || replicationFactor.isEmpty()) {
            BrokerDefaults defaults = brokerDefaults();
            partitions = Optional.of(partitions.orElse(defaults.partitions())).filter(count -> count > 0);
            replicationFactor = Optional.of(replicationFactor.orElse(defaults.replicationFactor())).filter(factor -> factor > 0);
        }
        NewTopic newTopic = new NewTopic(topic, partitions, replicationFactor.map(Integer::shortValue)).configs(configs);
        try {
            admin.createTopics(List.of(newTopic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new SluiceException(ErrorCode.SYSTEM_ERROR, "Error creating topic " + topic + " for sink: " + e.getCause().getMessage(), e.getCause());
            }
        } catch (Exception e) {
            throw new SluiceException(ErrorCode.SYSTEM_ERROR, "Error creating topic " + topic + " for sink: " + e.getMessage(), e);
        }
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (true) {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic);
                if (partitions.isEmpty() || description.partitions().size() == partitions.get()) {
                    return;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new SluiceException(ErrorCode.SYSTEM_ERROR, "topic reports " + description.partitions().size()
                            + " partitions, but expected " + partitions.get() + " partitions");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SluiceException(ErrorCode.QUERY_CANCELED, "interrupted");
            } catch (Exception notVisibleYet) {
                if (Instant.now().isAfter(deadline)) {
                    throw new SluiceException(ErrorCode.SYSTEM_ERROR, "topic " + topic + " did not become visible after creation");
                }
            }
            sleep(100);
        }
    }

    /**
     * Ensures the connection's progress topic: created with 1 partition, compaction and no retention;
     * an existing one must have exactly 1 partition and must not delete by retention.
     */
    public void ensureProgressTopic(String topic, Optional<Integer> replicationFactor) {
        if (!exists(topic)) {
            try {
                ensureTopic(topic, Optional.of(1), replicationFactor, PROGRESS_TOPIC_CONFIG);
            } catch (SluiceException e) {
                throw new SluiceException(e.code(), "error registering kafka progress topic for sink: " + e.getMessage(), e);
            }
            return;
        }
        TopicDescription description = call(() -> admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .get(topic);
        if (description.partitions().size() != 1) {
            throw new SluiceException(ErrorCode.SYSTEM_ERROR, "Progress topic " + topic + " should contain a single partition, but instead contains "
                    + description.partitions().size() + " partitions");
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = call(() -> admin.describeConfigs(List.of(resource)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).get(resource);
        String cleanup = value(config, "cleanup.policy");
        if (cleanup.contains("delete")) {
            for (String setting : List.of("retention.ms", "retention.bytes")) {
                String current = value(config, setting);
                if (!current.equals("-1")) {
                    throw new SluiceException(ErrorCode.SYSTEM_ERROR, "progress topic " + topic + " deletes records by retention ("
                            + "cleanup.policy=" + cleanup + ", " + setting + "=" + current + "): a deleted progress record would make sinks "
                            + "write their output again").withHint("Set " + setting + "=-1 on topic " + topic
                            + " (or cleanup.policy=compact), then the sink restarts by itself.");
                }
            }
        }
    }

    /** The topic's current partition count. */
    public int partitionCount(String topic) {
        Map<String, TopicDescription> topics;
        try {
            topics = admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new SluiceException(ErrorCode.SYSTEM_ERROR, "topic " + topic + " does not exist");
            }
            // Not an answer about the topic (the broker is unreachable, access is denied): keep the cause for the sink's classification.
            throw new SluiceException(ErrorCode.SYSTEM_ERROR, "cannot describe topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (Exception e) {
            throw new SluiceException(ErrorCode.SYSTEM_ERROR, "cannot describe topic " + topic + ": " + e.getMessage(), e);
        }
        int count = topics.get(topic).partitions().size();
        if (count == 0) {
            throw new SluiceException(ErrorCode.SYSTEM_ERROR, "topic " + topic + " has an impossible partition count of zero");
        }
        return count;
    }

    private static String value(Config config, String name) {
        ConfigEntry entry = config.get(name);
        return entry == null || entry.value() == null ? "" : entry.value();
    }

    @FunctionalInterface
    private interface KafkaCall<T> {
        T call() throws Exception;
    }

    private static <T> T call(KafkaCall<T> call) {
        try {
            return call.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SluiceException(ErrorCode.QUERY_CANCELED, "interrupted");
        } catch (ExecutionException e) {
            throw new SluiceException(ErrorCode.SYSTEM_ERROR, String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (Exception e) {
            throw new SluiceException(ErrorCode.SYSTEM_ERROR, String.valueOf(e.getMessage()), e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
