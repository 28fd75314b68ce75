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
        boolean snapshot,
        Optional<AvroPlan> keyAvro,
        Optional<AvroPlan> valueAvro) {
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

    /**
     * An Avro-encoded key or value: the schema registry connection it is published to, the schema
     * generated at CREATE SINK (canonical text, stored in the catalog and published at every start)
     * and the compatibility level to set on its subject, if one was asked for.
     */
    public record AvroPlan(String registryConnectionId, String schema, Optional<String> compatibilityLevel) {
        public AvroPlan {
            requireNonNull(registryConnectionId, "registryConnectionId is null");
            requireNonNull(schema, "schema is null");
            requireNonNull(compatibilityLevel, "compatibilityLevel is null");
        }

        public AvroPlan withSchema(String storedSchema) {
            return new AvroPlan(registryConnectionId, storedSchema, compatibilityLevel);
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
        requireNonNull(keyAvro, "keyAvro is null");
        requireNonNull(valueAvro, "valueAvro is null");
    }

    /** This plan with the Avro schemas as stored in the catalog (they win over freshly generated ones). */
    public SinkPlan withStoredSchemas(Optional<String> keySchema, Optional<String> valueSchema) {
        return new SinkPlan(topic, compressionType, transactionalIdPrefix, progressGroupIdPrefix, topicPartitionCount, topicReplicationFactor,
                topicConfig, topicMetadataRefreshInterval, partitionBy, keyColumns, keyNotEnforced, headersColumn, keyFormat, valueFormat, envelope,
                snapshot, keySchema.isPresent() ? keyAvro.map(plan -> plan.withSchema(keySchema.get())) : keyAvro,
                valueSchema.isPresent() ? valueAvro.map(plan -> plan.withSchema(valueSchema.get())) : valueAvro);
    }

    /** Ids of the schema registry connections the sink publishes to. */
    public java.util.Set<String> registryConnectionIds() {
        java.util.Set<String> ids = new java.util.LinkedHashSet<>();
        keyAvro.ifPresent(plan -> ids.add(plan.registryConnectionId()));
        valueAvro.ifPresent(plan -> ids.add(plan.registryConnectionId()));
        return ids;
    }

    /** {@code mz_sinks.format}: {@code json}, or {@code key-text-value-json} when they differ. */
    public String combinedFormat() {
        if (keyFormat.isEmpty() || keyFormat.get() == valueFormat) {
            return valueFormat.word();
        }
        return "key-" + keyFormat.get().word() + "-value-" + valueFormat.word();
    }
}
