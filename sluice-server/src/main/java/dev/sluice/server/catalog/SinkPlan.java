package dev.sluice.server.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A validated {@code CREATE SINK … INTO KAFKA}: everything the runtime needs besides ids, as_of
 * and version. Produced by planning the stored statement, so it is the same on every start.
 */
public record SinkPlan(
        String topic,
        String compressionType,
        String transactionalIdPrefix,
        String progressGroupIdPrefix,
        Optional<Integer> topicPartitionCount,
        Optional<Integer> topicReplicationFactor,
        Map<String, String> topicConfig,
        Duration topicMetadataRefreshInterval,
        Optional<String> partitionBy,
        Optional<List<Integer>> keyColumns,
        boolean keyNotEnforced,
        Optional<Integer> headersColumn,
        Optional<Format> keyFormat,
        Format valueFormat,
        Envelope envelope,
        boolean snapshot) {
    /** Encodings of keys and values. */
    public enum Format {
        JSON, TEXT, BYTES, AVRO;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How changes become messages (reference §8). */
    public enum Envelope {
        UPSERT, DEBEZIUM;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public SinkPlan {
        requireNonNull(topic, "topic is null");
        requireNonNull(compressionType, "compressionType is null");
        requireNonNull(transactionalIdPrefix, "transactionalIdPrefix is null");
        requireNonNull(progressGroupIdPrefix, "progressGroupIdPrefix is null");
        requireNonNull(topicPartitionCount, "topicPartitionCount is null");
        requireNonNull(topicReplicationFactor, "topicReplicationFactor is null");
        topicConfig = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(topicConfig, "topicConfig is null")));
        requireNonNull(topicMetadataRefreshInterval, "topicMetadataRefreshInterval is null");
        requireNonNull(partitionBy, "partitionBy is null");
        keyColumns = requireNonNull(keyColumns, "keyColumns is null").map(List::copyOf);
        requireNonNull(headersColumn, "headersColumn is null");
        requireNonNull(keyFormat, "keyFormat is null");
        requireNonNull(valueFormat, "valueFormat is null");
        requireNonNull(envelope, "envelope is null");
    }

    /** {@code mz_sinks.format}: {@code json}, or {@code key-text-value-json} when they differ. */
    public String combinedFormat() {
        if (keyFormat.isEmpty() || keyFormat.get() == valueFormat) {
            return valueFormat.word();
        }
        return "key-" + keyFormat.get().word() + "-value-" + valueFormat.word();
    }
}
