package dev.sluice.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.time.Update;
import dev.sluice.common.type.Column;
import dev.sluice.common.type.RelationDesc;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.value.Row;
import dev.sluice.kafka.connection.KafkaConnectionSpec;
import dev.sluice.kafka.sink.KafkaSink;
import dev.sluice.kafka.sink.KafkaSinkDescription;
import dev.sluice.kafka.sink.SinkInput;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Sluice's decision 3: the snapshot is streamed, never held whole. A synthetic input hands the sink
 * a snapshot in batches and keeps weak references to every row it produced; after each batch it
 * collects garbage and counts the rows still alive. A sink that buffered its snapshot until the
 * first commit (as the reference does) would keep them all; this one keeps only the batch in flight.
 */
class KafkaSinkSnapshotMemoryIT {
    private static final int BATCH = 1_000;
    private static final int BATCHES = 40;

    @Test
    void snapshotRowsAreReleasedBatchByBatchBeforeTheFirstCommit() throws Exception {
        String name = SinkTestKit.unique("memory");
        RelationDesc desc = new RelationDesc(List.of(new Column("k", SqlType.INTEGER, false), new Column("v", SqlType.TEXT, false)),
                List.of(List.of(0)));
        long asOf = 1_000;
        List<WeakReference<Row>> produced = new ArrayList<>();
        AtomicInteger maxAlive = new AtomicInteger();
        AtomicInteger sentBatches = new AtomicInteger();
        SinkInput input = new SinkInput() {
            @Override
            public RelationDesc desc() {
                return desc;
            }

            @Override
            public long readableSince() {
                return asOf;
            }

            @Override
            public Cursor open(long openAsOf, boolean withSnapshot) {
                return new Cursor() {
                    private boolean progressSent;

                    @Override
                    public Event poll(Duration timeout) throws InterruptedException {
                        int batch = sentBatches.get();
                        if (batch < BATCHES) {
                            if (batch > 0) {
                                System.gc();
                                int alive = (int) produced.stream().filter(reference -> reference.get() != null).count();
                                maxAlive.accumulateAndGet(alive, Math::max);
                            }
                            List<Update> updates = new ArrayList<>(BATCH);
                            for (int i = 0; i < BATCH; i++) {
                                Row row = Row.of(batch * BATCH + i, "x".repeat(200));
                                produced.add(new WeakReference<>(row));
                                updates.add(new Update(row, openAsOf, 1));
                            }
                            sentBatches.incrementAndGet();
                            return new Event.Data(updates);
                        }
                        if (!progressSent) {
                            progressSent = true;
                            return new Event.Progress(openAsOf + 1);
                        }
                        Thread.sleep(Math.min(timeout.toMillis(), 50));
                        return null;
                    }

                    @Override
                    public void close() {
                    }
                };
            }

            @Override
            public void downgradeHold(long frontier) {
            }
        };
        KafkaSinkDescription description = new KafkaSinkDescription("u1", name, 0, "memorytest", name, KafkaConnectionSpec.plaintext(SinkTestKit.bootstrap()),
                name + "_progress", Optional.empty(), name, "lz4", "", "", Optional.of(1), Optional.empty(), Map.of(), Duration.ofSeconds(30),
                Optional.empty(), Optional.of(List.of(0)), Optional.of(List.of(0)), Optional.empty(), KafkaSinkDescription.Format.JSON,
                KafkaSinkDescription.Format.JSON, KafkaSinkDescription.Envelope.UPSERT, true, asOf);
        KafkaSink sink = new KafkaSink(description, input, (sinkId, status, error, hints) -> { }, Duration.ofSeconds(1));
        sink.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (sink.statistics().messagesCommitted() < (long) BATCH * BATCHES && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } finally {
            sink.close();
        }
        assertThat(sink.statistics().messagesCommitted()).isEqualTo((long) BATCH * BATCHES);
        assertThat(lastStableOffset(name)).as("every snapshot row committed, then one marker").isEqualTo((long) BATCH * BATCHES + 1);
        assertThat(maxAlive.get()).as("snapshot rows alive at once (of %d)", BATCH * BATCHES).isLessThanOrEqualTo(3 * BATCH);
    }

    private static long lastStableOffset(String topic) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("bootstrap.servers", SinkTestKit.bootstrap());
        properties.put("isolation.level", "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            return consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
        }
    }
}
