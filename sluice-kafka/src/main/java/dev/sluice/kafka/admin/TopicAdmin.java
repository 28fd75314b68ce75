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
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Topic creation and checks of §5, plus Sluice's refusal of unsafe progress topics. */
public final class TopicAdmin {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;

    public TopicAdmin(Admin admin) {
        this.admin = admin;
    }

    /** Whether {@code topic} exists, by listing all topics (a targeted request could auto-create it). */
    public boolean exists(String topic) {
        return call(() -> admin.listTopics(new ListTopicsOptions().listInternal(false)).names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .contains(topic);
    }

    /** Creates the topic if missing and waits until it is visible with the requested partitions. */
    public void ensureTopic(String topic, Optional<Integer> partitions, Optional<Integer> replicationFactor, Map<String, String> configs) {
        if (exists(topic)) {
            return;
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
            ensureTopic(topic, Optional.of(1), replicationFactor, Map.of("cleanup.policy", "compact", "retention.ms", "-1", "retention.bytes", "-1",
                    "segment.bytes", "134217728"));
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
