package dev.sluice.kafka.sink;

import dev.sluice.kafka.progress.ProgressRecord;
import java.util.Optional;
import org.apache.kafka.clients.producer.Producer;

/**
 * The Kafka clients one sink uses: a transactional producer per incarnation and the cluster calls
 * of its startup (§4.2). {@link KafkaSinkClients} talks to a real cluster; a unit test can inject
 * Kafka's {@code MockProducer} and a fake cluster. Used by the sink's own thread only; the sink closes it.
 */
public interface SinkClients extends AutoCloseable {
    /** A new transactional producer with the sink's stable {@code transactional.id}, not yet initialized. Caller closes. */
    Producer<byte[], byte[]> newProducer();

    /** Creates the connection's progress topic if missing; refuses an unsafe existing one. */
    void ensureProgressTopic();

    /** The sink's newest committed progress record (§4.4). */
    Optional<ProgressRecord> latestProgress();

    /**
     * The highest frontier and version any progress record of the sink carries, committed or not; never waits for an
     * open transaction (see {@link dev.sluice.kafka.progress.ProgressScanner#highestWritten}).
     */
    Optional<ProgressRecord> highestProgressWritten();

    /** Creates the data topic if it is missing (only called when no progress exists, §4.2 step 4). */
    void ensureDataTopic();

    /** The data topic's partition count; fails with {@code topic <t> does not exist} when it is gone. */
    int dataTopicPartitions();

    @Override
    void close();
}
