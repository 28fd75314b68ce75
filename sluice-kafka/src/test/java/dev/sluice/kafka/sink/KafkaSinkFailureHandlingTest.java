package dev.sluice.kafka.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.time.Update;
import dev.sluice.common.type.Column;
import dev.sluice.common.type.RelationDesc;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.value.Row;
import dev.sluice.kafka.connection.KafkaConnectionSpec;
import dev.sluice.kafka.progress.ProgressRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One test per class of {@link KafkaFailures}: the sink's writer runs against Kafka's {@link MockProducer}
 * with injected errors, a fake cluster whose progress is what the producers committed, and a fake table.
 * Each test checks the statuses shown and that the committed output holds every change exactly once.
 */
class KafkaSinkFailureHandlingTest {
    private static final long AS_OF = 100;
    private static final RelationDesc DESC = new RelationDesc(List.of(new Column("id", SqlType.INTEGER, false), new Column("v", SqlType.TEXT, true)),
            List.of(List.of(0)));

    private final FakeTable table = new FakeTable();
    private final FakeClients clients = new FakeClients();
    private final List<String> statuses = new CopyOnWriteArrayList<>();
    private KafkaSink sink;

    @AfterEach
    void stop() {
        if (sink != null) {
            sink.close();
        }
    }

    private void startSink(long version) {
        sink = new KafkaSink(description(version), table, (id, status, error, hints) -> statuses.add(status + error.map(e -> " " + e).orElse("")
                + (hints.isEmpty() ? "" : " hint:" + hints)), Duration.ofMillis(100), clients, CommitHook.NONE);
        sink.start();
    }

    /** Snapshot of two rows, committed with progress [101]. */
    private MockProducer<byte[], byte[]> startedWithSnapshot() {
        table.write(AS_OF, 1, "a");
        table.write(AS_OF, 2, "b");
        table.advance(AS_OF + 1);
        startSink(0);
        await(() -> clients.committedFrontier() == AS_OF + 1, "the snapshot is committed");
        return clients.producer(0);
    }

    @Test
    void retriableCommitFailureIsRetriedInTheSameTransactionWhileTheSinkShowsStalled() {
        MockProducer<byte[], byte[]> producer = startedWithSnapshot();
        producer.commitTransactionException = new TimeoutException("Timeout expired after 10000ms while awaiting EndTxn(true)");
        table.write(101, 3, "c");
        table.advance(102);
        await(() -> statuses.stream().anyMatch(status -> status.startsWith("stalled kafka: Timeout expired after 10000ms")), "stalled is shown");
        assertThat(statuses).anyMatch(status -> status.contains("hint:[If you're running a single Kafka broker"));
        producer.commitTransactionException = null;
        await(() -> clients.committedFrontier() == 102, "the retried commit passes");

        assertThat(clients.producerCount()).as("the same producer and transaction").isEqualTo(1);
        assertThat(clients.committedData()).containsExactly("1=a", "2=b", "3=c");
        assertThat(statuses.get(statuses.size() - 1)).isEqualTo("running");
        assertThat(sink.state()).isEqualTo(KafkaSink.State.RUNNING);
    }

    @Test
    void abortableFailureAbortsAndResumesFromCommittedProgressWithTheSameProducer() {
        MockProducer<byte[], byte[]> producer = startedWithSnapshot();
        producer.sendException = new TransactionAbortableException("injected: the transaction must be aborted");
        table.write(101, 3, "c");
        table.write(101, 4, "d");
        table.advance(102);
        await(() -> statuses.contains("stalled kafka: injected: the transaction must be aborted"), "stalled is shown");
        producer.sendException = null;
        await(() -> clients.committedFrontier() == 102, "the changes are committed after the abort");

        assertThat(clients.producerCount()).as("an abort keeps the producer").isEqualTo(1);
        assertThat(producer.closed()).isFalse();
        assertThat(clients.committedData()).containsExactly("1=a", "2=b", "3=c", "4=d");
        assertThat(statuses).containsSubsequence("stalled kafka: injected: the transaction must be aborted", "starting", "running");
    }

    @Test
    void fencedProducerStopsTheWriterForGoodWithTheFencedStatus() {
        MockProducer<byte[], byte[]> producer = startedWithSnapshot();
        producer.fenceProducer();
        table.write(101, 3, "c");
        table.advance(102);
        await(clients::isClosed, "the writer stops");

        assertThat(sink.state()).isEqualTo(KafkaSink.State.FENCED);
        assertThat(statuses.get(statuses.size() - 1)).startsWith("fenced kafka: ").containsIgnoringCase("fenced.")
                .contains("Another Sluice process took over this sink");
        assertThat(statuses).filteredOn(status -> status.startsWith("starting")).hasSize(1);
        assertThat(clients.producerCount()).as("no new producer fences the new holder back").isEqualTo(1);
        assertThat(producer.closed()).isTrue();
        assertThat(clients.committedData()).containsExactly("1=a", "2=b");
    }

    @Test
    void otherFailureStallsAndRestartsWithANewProducerFromCommittedProgress() {
        MockProducer<byte[], byte[]> first = startedWithSnapshot();
        first.commitTransactionException = new TopicAuthorizationException(Set.of("data"));
        table.write(101, 3, "c");
        table.advance(102);
        await(() -> clients.producerCount() == 2, "a new producer is created");
        clients.producer(1);
        await(() -> clients.committedFrontier() == 102, "the change is committed by the new producer");

        assertThat(first.closed()).isTrue();
        assertThat(clients.committedData()).containsExactly("1=a", "2=b", "3=c");
        assertThat(statuses).containsSubsequence("running", "stalled kafka: Not authorized to access topics: [data]", "starting", "running");
    }

    @Test
    void restartStopsAsFencedWhenAnotherProcessCommittedBeyondItsLastCommit() {
        MockProducer<byte[], byte[]> first = startedWithSnapshot();
        clients.otherProcessCommits(5_000);
        first.commitTransactionException = new TopicAuthorizationException(Set.of("data"));
        table.write(101, 3, "c");
        table.advance(102);
        await(clients::isClosed, "the writer stops");

        assertThat(sink.state()).isEqualTo(KafkaSink.State.FENCED);
        assertThat(statuses.get(statuses.size() - 1)).startsWith("fenced kafka: sink u1 was taken over by another process: its progress topic shows "
                + "[5000], beyond this process's last commit [102]");
        assertThat(clients.producerCount()).as("the new holder is not fenced by a new producer").isEqualTo(1);
    }

    @Test
    void progressOfANewerSinkVersionStallsTheOlderDefinitionWithoutFencingTheNewerOne() {
        clients.otherProcessCommits(7_000, 1);
        table.write(AS_OF, 1, "a");
        table.advance(AS_OF + 1);
        startSink(0);
        await(() -> statuses.stream().filter(status -> status.equals("stalled kafka: Fenced off by newer version of the sink. ours=0 theirs=1")).count() > 0
                && statuses.stream().filter(status -> status.equals("starting")).count() >= 3, "the sink stalls and tries again");

        assertThat(clients.producerCount()).as("no producer, so no initTransactions that would fence the newer version's").isZero();
        assertThat(clients.committedData()).isEmpty();
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static KafkaSinkDescription description(long version) {
        return new KafkaSinkDescription("u1", "materialize.public.s", version, "env", "u2", KafkaConnectionSpec.plaintext("127.0.0.1:1"), "progress",
                Optional.empty(), "data", "none", "", "", Optional.empty(), Optional.empty(), Map.of(), Duration.ofMinutes(1), Optional.empty(),
                Optional.of(List.of(0)), Optional.of(List.of(0)), Optional.empty(), KafkaSinkDescription.Format.TEXT,
                KafkaSinkDescription.Format.JSON, KafkaSinkDescription.Envelope.UPSERT, true, AS_OF);
    }

    /** The cluster as the producers left it: progress and data are what they committed. */
    private static final class FakeClients implements SinkClients {
        private final List<MockProducer<byte[], byte[]>> producers = new CopyOnWriteArrayList<>();
        private volatile Optional<ProgressRecord> otherProcess = Optional.empty();
        private volatile boolean closed;

        @Override
        public Producer<byte[], byte[]> newProducer() {
            MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
            producers.add(producer);
            return producer;
        }

        MockProducer<byte[], byte[]> producer(int index) {
            return producers.get(index);
        }

        int producerCount() {
            return producers.size();
        }

        void otherProcessCommits(long frontier) {
            otherProcessCommits(frontier, 0);
        }

        void otherProcessCommits(long frontier, long version) {
            otherProcess = Optional.of(new ProgressRecord(dev.sluice.common.time.Frontier.at(frontier), version));
        }

        private List<ProducerRecord<byte[], byte[]>> committed() {
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            producers.forEach(producer -> records.addAll(producer.history()));
            return records;
        }

        long committedFrontier() {
            return latestProgress().map(progress -> progress.frontier().get()).orElse(0L);
        }

        List<String> committedData() {
            return committed().stream().filter(record -> record.topic().equals("data"))
                    .map(record -> text(record.key()) + "=" + text(record.value()).replaceAll(".*\"v\":\"([^\"]*)\".*", "$1")).toList();
        }

        boolean isClosed() {
            return closed;
        }

        @Override
        public void ensureProgressTopic() {
        }

        @Override
        public Optional<ProgressRecord> latestProgress() {
            if (otherProcess.isPresent()) {
                return otherProcess;
            }
            Optional<ProgressRecord> latest = Optional.empty();
            for (ProducerRecord<byte[], byte[]> record : committed()) {
                if (record.topic().equals("progress")) {
                    latest = Optional.of(ProgressRecord.parse(record.value()));
                }
            }
            return latest;
        }

        @Override
        public Optional<ProgressRecord> highestProgressWritten() {
            if (otherProcess.isPresent()) {
                return otherProcess;
            }
            Optional<ProgressRecord> highest = Optional.empty();
            for (MockProducer<byte[], byte[]> producer : producers) {
                List<ProducerRecord<byte[], byte[]>> written = new ArrayList<>(producer.history());
                written.addAll(producer.uncommittedRecords());
                for (ProducerRecord<byte[], byte[]> record : written) {
                    if (record.topic().equals("progress")) {
                        ProgressRecord parsed = ProgressRecord.parse(record.value());
                        if (highest.isEmpty() || parsed.frontier().compareTo(highest.get().frontier()) > 0) {
                            highest = Optional.of(parsed);
                        }
                    }
                }
            }
            return highest;
        }

        @Override
        public void ensureDataTopic() {
        }

        @Override
        public int dataTopicPartitions() {
            return 1;
        }

        @Override
        public void close() {
            closed = true;
        }

        private static String text(byte[] bytes) {
            return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** A table: updates at times, an upper; a cursor replays it from any as_of like storage does. */
    private static final class FakeTable implements SinkInput {
        private final List<Update> log = new ArrayList<>();
        private long upper = AS_OF;

        synchronized void write(long time, int id, String v) {
            log.add(new Update(Row.of(id, v), time, 1));
        }

        synchronized void advance(long newUpper) {
            upper = newUpper;
            notifyAll();
        }

        @Override
        public RelationDesc desc() {
            return DESC;
        }

        @Override
        public long readableSince() {
            return 0;
        }

        @Override
        public void downgradeHold(long frontier) {
        }

        @Override
        public Cursor open(long asOf, boolean withSnapshot) {
            Deque<Event> pending = new ArrayDeque<>();
            if (withSnapshot) {
                List<Update> snapshot = new ArrayList<>();
                synchronized (this) {
                    log.stream().filter(update -> update.time() <= asOf).forEach(update -> snapshot.add(new Update(update.row(), asOf, update.diff())));
                }
                pending.add(new Event.Data(snapshot));
            }
            return new Cursor() {
                private long position = asOf;
                private long reportedUpper = asOf;

                @Override
                public Event poll(Duration timeout) throws InterruptedException {
                    if (!pending.isEmpty()) {
                        return pending.poll();
                    }
                    long deadline = System.nanoTime() + timeout.toNanos();
                    synchronized (FakeTable.this) {
                        while (true) {
                            OptionalLong next = log.stream().mapToLong(Update::time).filter(time -> time > position && time < upper).min();
                            if (next.isPresent()) {
                                position = next.getAsLong();
                                long time = position;
                                return new Event.Data(log.stream().filter(update -> update.time() == time).toList());
                            }
                            if (upper > reportedUpper) {
                                reportedUpper = upper;
                                position = Math.max(position, upper - 1);
                                return new Event.Progress(upper);
                            }
                            long remaining = deadline - System.nanoTime();
                            if (remaining <= 0) {
                                return null;
                            }
                            FakeTable.this.wait(Math.max(1, remaining / 1_000_000));
                        }
                    }
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
