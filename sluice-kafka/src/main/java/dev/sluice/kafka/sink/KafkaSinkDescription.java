package dev.sluice.kafka.sink;

import static java.util.Objects.requireNonNull;

import dev.sluice.kafka.connection.KafkaConnectionSpec;
import dev.sluice.kafka.registry.SchemaRegistrySpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * A validated sink, as the runtime needs it. Names follow §3: the transactional id is
 * {@code prefix + materialize-{env}-{connection}-{sink}}; the progress key {@code mz-sink-{sink}}.
 */
public record KafkaSinkDescription(
        String sinkId,
        String sinkName,
        long version,
        String environmentId,
        String connectionId,
        KafkaConnectionSpec connection,
        String progressTopic,
        Optional<Integer> progressTopicReplicationFactor,
        String topic,
        String compressionType,
        String transactionalIdPrefix,
        String progressGroupIdPrefix,
        Optional<Integer> partitionCount,
        Optional<Integer> replicationFactor,
        Map<String, String> topicConfig,
        Duration metadataRefreshInterval,
        Optional<Function<dev.sluice.common.value.Row, OptionalLong>> partitionBy,
        Optional<List<Integer>> keyColumns,
        Optional<List<Integer>> naturalKey,
        Optional<Integer> headersColumn,
        Format keyFormat,
        Format valueFormat,
        Envelope envelope,
        boolean snapshot,
        long asOf,
        Optional<AvroPart> keyAvro,
        Optional<AvroPart> valueAvro) {
    /** Message formats. */
    public enum Format { JSON, TEXT, BYTES, AVRO }

    /**
     * An Avro-encoded part (key or value): the registry its schema is published to at every start,
     * the schema text as stored in the catalog, and the compatibility level asked for, if any.
     */
    public record AvroPart(SchemaRegistrySpec registry, String schema, Optional<String> compatibilityLevel) {
        public AvroPart {
            requireNonNull(registry, "registry is null");
            requireNonNull(schema, "schema is null");
            requireNonNull(compatibilityLevel, "compatibilityLevel is null");
        }
    }

    /** Envelopes (§8). */
    public enum Envelope { UPSERT, DEBEZIUM }

    public KafkaSinkDescription {
        requireNonNull(sinkId, "sinkId is null");
        requireNonNull(topic, "topic is null");
        topicConfig = Map.copyOf(topicConfig);
        keyColumns = keyColumns.map(List::copyOf);
        naturalKey = naturalKey.map(List::copyOf);
        requireNonNull(keyAvro, "keyAvro is null");
        requireNonNull(valueAvro, "valueAvro is null");
        if ((keyFormat == Format.AVRO && keyColumns.isPresent()) != keyAvro.isPresent() || (valueFormat == Format.AVRO) != valueAvro.isPresent()) {
            throw new IllegalArgumentException("an Avro key or value needs its schema, and only an Avro one has one");
        }
    }

    /** A sink whose key and value are not Avro. */
    public KafkaSinkDescription(String sinkId, String sinkName, long version, String environmentId, String connectionId, KafkaConnectionSpec connection,
            String progressTopic, Optional<Integer> progressTopicReplicationFactor, String topic, String compressionType, String transactionalIdPrefix,
            String progressGroupIdPrefix, Optional<Integer> partitionCount, Optional<Integer> replicationFactor, Map<String, String> topicConfig,
            Duration metadataRefreshInterval, Optional<Function<dev.sluice.common.value.Row, OptionalLong>> partitionBy,
            Optional<List<Integer>> keyColumns, Optional<List<Integer>> naturalKey, Optional<Integer> headersColumn, Format keyFormat,
            Format valueFormat, Envelope envelope, boolean snapshot, long asOf) {
        this(sinkId, sinkName, version, environmentId, connectionId, connection, progressTopic, progressTopicReplicationFactor, topic, compressionType,
                transactionalIdPrefix, progressGroupIdPrefix, partitionCount, replicationFactor, topicConfig, metadataRefreshInterval, partitionBy,
                keyColumns, naturalKey, headersColumn, keyFormat, valueFormat, envelope, snapshot, asOf, Optional.empty(), Optional.empty());
    }

    public String idBase() {
        return "materialize-" + environmentId + "-" + connectionId + "-" + sinkId;
    }

    public String transactionalId() {
        return transactionalIdPrefix + idBase();
    }

    public String progressGroupId() {
        return progressGroupIdPrefix + idBase();
    }
}
