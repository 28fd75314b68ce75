package dev.sluice.kafka.progress;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.time.Frontier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Finds a sink's newest committed progress record (§4.4): the high-water mark from a
 * read_uncommitted consumer, then a read_committed scan that must reach it; newest suffix first.
 */
public final class ProgressScanner {
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(90);

    private ProgressScanner() {
    }

    /** The newest committed record of {@code sinkId}; the consumers use the sink's progress {@code groupId} and {@code clientId} (§4.4). */
    public static Optional<ProgressRecord> latest(Map<String, Object> clientProperties, String groupId, String clientId, String topic, String sinkId) {
        TopicPartition partition = new TopicPartition(topic, 0);
        long[] watermarks;
        try (KafkaConsumer<byte[], byte[]> uncommitted = consumer(clientProperties, groupId, clientId, "read_uncommitted")) {
            watermarks = watermarks(uncommitted, partition);
        }
        try (KafkaConsumer<byte[], byte[]> committed = consumer(clientProperties, groupId, clientId, "read_committed")) {
            return newestSuffixFirst(committed, partition, watermarks, ProgressRecord.key(sinkId), topic, () -> new LatestScan(topic));
        }
    }

    /**
     * The highest frontier and the highest version that the newest records of {@code sinkId} carry, committed, still
     * open or aborted: a read_uncommitted scan, which never waits for an open transaction, of the smallest suffix of
     * {@link #startOffsets} holding a record of the sink. Not a resume point: the sink uses it before
     * {@code initTransactions} to see whether a newer version or another process wrote its progress lately, without
     * fencing anyone first. Empty when the topic holds no record of the sink.
     */
    public static Optional<ProgressRecord> highestWritten(Map<String, Object> clientProperties, String groupId, String clientId, String topic,
            String sinkId) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> uncommitted = consumer(clientProperties, groupId, clientId, "read_uncommitted")) {
            return newestSuffixFirst(uncommitted, partition, watermarks(uncommitted, partition), ProgressRecord.key(sinkId), topic,
                    HighestScan::new);
        }
    }

    /**
     * Where to start scanning (§4.4 step 4): the suffixes {@code hi - L} for {@code L = (hi-lo)/10,
     * (hi-lo)/100, …} while {@code L >= 20000}, smallest first (records are written in order, so the
     * newest record in a suffix is the newest overall), then {@code lo}.
     */
    static List<Long> startOffsets(long lo, long hi) {
        List<Long> starts = new ArrayList<>();
        for (long length = (hi - lo) / 10; length >= 20_000; length /= 10) {
            starts.add(0, hi - length);
        }
        starts.add(lo);
        return starts;
    }

    /** {@code [lo, hi)} of the partition as {@code consumer}'s isolation level sees it. */
    private static long[] watermarks(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition) {
        long lo = consumer.beginningOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
        long hi = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
        return new long[] {lo, hi};
    }

    /** What one scan of a suffix makes of the sink's records, in offset order. */
    private interface Scan {
        void accept(ProgressRecord record);

        Optional<ProgressRecord> result();
    }

    /** The newest record; the frontier must never regress (§4.4 step 5). */
    private static final class LatestScan implements Scan {
        private final String topic;
        private ProgressRecord last;

        LatestScan(String topic) {
            this.topic = topic;
        }

        @Override
        public void accept(ProgressRecord record) {
            if (last != null && record.frontier().compareTo(last.frontier()) < 0) {
                throw new SluiceException(ErrorCode.SYSTEM_ERROR, "upper regressed in topic " + topic + ":0 from " + last.frontier() + " to "
                        + record.frontier());
            }
            last = record;
        }

        @Override
        public Optional<ProgressRecord> result() {
            return Optional.ofNullable(last);
        }
    }

    /** The highest frontier and version, whatever their order (aborted attempts may be higher than what followed). */
    private static final class HighestScan implements Scan {
        private Frontier frontier;
        private long version;

        @Override
        public void accept(ProgressRecord record) {
            frontier = frontier == null || record.frontier().compareTo(frontier) > 0 ? record.frontier() : frontier;
            version = Math.max(version, record.version());
        }

        @Override
        public Optional<ProgressRecord> result() {
            return frontier == null ? Optional.empty() : Optional.of(new ProgressRecord(frontier, version));
        }
    }

    private static Optional<ProgressRecord> newestSuffixFirst(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, long[] watermarks,
            byte[] key, String topic, java.util.function.Supplier<Scan> scans) {
        long lo = watermarks[0];
        long hi = watermarks[1];
        if (hi <= lo) {
            return Optional.empty();
        }
        consumer.assign(List.of(partition));
        for (long start : startOffsets(lo, hi)) {
            Scan scan = scans.get();
            read(consumer, partition, start, hi, key, topic, scan);
            Optional<ProgressRecord> found = scan.result();
            if (found.isPresent() || start == lo) {
                return found;
            }
        }
        throw new IllegalStateException("the scan always ends at the low-water mark");
    }

    /** Reads {@code [start, hi)}: the position must positively reach {@code hi} (§4.4 step 5). */
    private static void read(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, long start, long hi, byte[] key, String topic,
            Scan scan) {
        consumer.seek(partition, start);
        // The timeout is per poll, as §4.4 has it: a long topic that is being read never times out, a stuck one does.
        Instant deadline = Instant.now().plus(POLL_TIMEOUT);
        long position = start;
        while (consumer.position(partition) < hi) {
            var records = consumer.poll(Duration.ofMillis(500));
            long now = consumer.position(partition);
            if (now > position) {
                position = now;
                deadline = Instant.now().plus(POLL_TIMEOUT);
            }
            if (records.isEmpty() && Instant.now().isAfter(deadline)) {
                throw new SluiceException(ErrorCode.SYSTEM_ERROR, "timed out while waiting to reach high water mark of non-empty topic " + topic
                        + ":0, lo/hi: " + start + "/" + hi + ", current position: " + consumer.position(partition));
            }
            for (ConsumerRecord<byte[], byte[]> record : records) {
                if (record.offset() >= hi || record.value() == null || !Arrays.equals(record.key(), key)) {
                    continue;
                }
                scan.accept(ProgressRecord.parse(record.value()));
            }
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> clientProperties, String groupId, String clientId, String isolation) {
        Map<String, Object> properties = new HashMap<>(clientProperties);
        properties.put("group.id", groupId);
        properties.put("client.id", clientId);
        properties.put("enable.auto.commit", false);
        properties.put("auto.offset.reset", "earliest");
        properties.put("isolation.level", isolation);
        properties.put("allow.auto.create.topics", false);
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
