package dev.sluice.kafka.sink;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.error.SluiceException;
import dev.sluice.common.hash.SeaHash;
import dev.sluice.common.time.Update;
import dev.sluice.common.value.Row;
import dev.sluice.kafka.envelope.DiffPairs;
import dev.sluice.kafka.format.avro.AvroRowEncoder;
import dev.sluice.kafka.progress.ProgressRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exactly-once Kafka sink, run on its own thread.
 *
 * <pre>
 * state      \ to   STARTING  RUNNING  STALLED  FENCED  DROPPED
 * STARTING            -         ok       ok       ok      close
 * RUNNING             -         -        ok       ok      close
 * STALLED          (restart)  (retry     ok       ok      close
 *                              passed) (new error)
 * FENCED              -         -        -        -       close
 * DROPPED             -         -        -        -       -
 * </pre>
 *
 * Startup (§4.2): a transactional producer with the sink's stable {@code transactional.id};
 * {@code initTransactions} fences every older incarnation BEFORE progress is read; the progress
 * scan gives the resume frontier; the data topic is created only when no progress exists. Then one
 * transaction per input frontier advance strictly beyond {@code as_of} (including transactions
 * that hold only the progress record), updates below the resume frontier dropped, the progress
 * record written last. The snapshot is streamed into the open transaction (Sluice's decision 3).
 *
 * <p>Failures are classified by {@link KafkaFailures} and handled here per class: a retriable one
 * retries the failed call with backoff (status {@code stalled} meanwhile, then back); an abortable
 * one aborts the transaction and restarts from the last committed progress with the same producer;
 * a fenced one stops this writer for good (status {@code fenced}); anything else closes the
 * producer, reports {@code stalled} and restarts the whole sink after the restart delay. Every path
 * resumes from committed progress, so nothing is lost or duplicated. Before it creates a producer
 * (whose {@code initTransactions} would fence whoever holds the sink now), the sink reads its
 * progress read_uncommitted: a record of a newer sink version stalls this definition without
 * fencing the newer one; once this process has committed, a frontier beyond its own last commit
 * means another process took the sink over, and this one stops as fenced instead of fencing it back.
 */
public final class KafkaSink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);
    private static final String SINGLE_BROKER_HINT = "If you're running a single Kafka broker, ensure that the configs "
            + "transaction.state.log.replication.factor, transaction.state.log.min.isr, and offsets.topic.replication.factor are set to 1 on the broker";
    private static final String FENCED_HINT = "Another Sluice process took over this sink (same transactional id). This process no longer "
            + "writes to the topic; restart it to take the sink back.";
    /** How long one call is retried before a retriable failure restarts the sink. */
    private static final Duration RETRY_LIMIT = Duration.ofSeconds(60);
    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 2_000;
    /** How long available input is drained into one transaction before it commits at the frontier reached. */
    private static final long DRAIN_NANOS = Duration.ofMillis(100).toNanos();

    /** Lifecycle states. */
    public enum State { STARTING, RUNNING, STALLED, FENCED, DROPPED }

    private final KafkaSinkDescription description;
    private final SinkInput input;
    private final SinkStatusListener listener;
    private final Duration restartDelay;
    private final SinkClients clients;
    private final CommitHook commitHook;
    private final SinkStatistics statistics = new SinkStatistics();
    private final Thread thread;
    private volatile State state = State.STARTING;
    private volatile boolean closed;
    private Optional<String> shownError = Optional.empty();
    /** The writer of the running incarnation, if any (sink thread only). */
    private Writer writer;
    /** The schema ids published for the current producer (sink thread only). */
    private SchemaIds schemaIds;
    /** The highest frontier this process asked Kafka to commit; 0 before its first commit (sink thread only). */
    private long attemptedUpper;

    /** A sink against its real Kafka cluster, with the commit hook of {@link CommitHook#fromSystemProperties()}. */
    public KafkaSink(KafkaSinkDescription description, SinkInput input, SinkStatusListener listener, Duration restartDelay) {
        this(description, input, listener, restartDelay, new KafkaSinkClients(description), CommitHook.fromSystemProperties());
    }

    public KafkaSink(KafkaSinkDescription description, SinkInput input, SinkStatusListener listener, Duration restartDelay, SinkClients clients,
            CommitHook commitHook) {
        this.description = requireNonNull(description, "description is null");
        this.input = requireNonNull(input, "input is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.restartDelay = requireNonNull(restartDelay, "restartDelay is null");
        this.clients = requireNonNull(clients, "clients is null");
        this.commitHook = requireNonNull(commitHook, "commitHook is null");
        this.thread = new Thread(this::run, "sink-" + description.sinkId());
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public SinkStatistics statistics() {
        return statistics;
    }

    public State state() {
        return state;
    }

    private synchronized void transition(State to, Optional<String> error, List<String> hints) {
        boolean legal = switch (state) {
            case STARTING -> to == State.RUNNING || to == State.STALLED || to == State.FENCED || to == State.DROPPED;
            case RUNNING -> to == State.STALLED || to == State.FENCED || to == State.DROPPED;
            case STALLED -> to == State.STARTING || to == State.RUNNING || to == State.FENCED || to == State.DROPPED
                    || to == State.STALLED && !error.equals(shownError);
            case FENCED -> to == State.DROPPED;
            case DROPPED -> false;
        };
        if (!legal) {
            throw new IllegalStateException("illegal sink transition " + state + " -> " + to);
        }
        state = to;
        shownError = error;
        listener.status(description.sinkId(), to.name().toLowerCase(Locale.ROOT), error, hints);
    }

    /** Reports {@code stalled} with the failure, unless exactly that is already shown. */
    private void stall(RuntimeException failure) {
        Optional<String> error = Optional.of(KafkaFailures.describe(failure));
        if (state == State.STALLED && error.equals(shownError)) {
            return;
        }
        transition(State.STALLED, error, hints(failure));
    }

    /** The hints shown with a stalled status: the single-broker hint on timeouts, and the hint an error carries. */
    private static List<String> hints(Throwable error) {
        List<String> hints = new ArrayList<>();
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException && !hints.contains(SINGLE_BROKER_HINT)) {
                hints.add(SINGLE_BROKER_HINT);
            }
            if (cause instanceof SluiceException sluice && sluice.hint().isPresent() && !hints.contains(sluice.hint().get())) {
                hints.add(sluice.hint().get());
            }
        }
        return hints;
    }

    private void run() {
        listener.status(description.sinkId(), "starting", Optional.empty(), List.of());
        Producer<byte[], byte[]> producer = null;
        try {
            while (!closed) {
                try {
                    if (producer == null) {
                        // Avro schemas are published at every start, before the producer exists: no message without a registered
                        // schema id, and no producer (that would fence) while the registry refuses them.
                        schemaIds = SchemaIds.publish(description);
                        checkBeforeFencing();
                        producer = clients.newProducer();
                        retriedRun(producer::initTransactions);
                    }
                    runIncarnation(producer);
                    return;
                } catch (InterruptedException e) {
                    if (closed) {
                        return;
                    }
                    LOG.warn("sink {} was interrupted; restarting it", description.sinkId());
                    closeQuietly(producer);
                    producer = null;
                } catch (RuntimeException | Error thrown) {
                    if (closed) {
                        return;
                    }
                    // An Error (out of memory in an encoder, a library's assertion) must not end this thread silently while
                    // the sink shows 'running': it stalls and restarts like any other failure.
                    RuntimeException e = thrown instanceof RuntimeException runtime ? runtime
                            : new IllegalStateException("unexpected error on the sink's thread: " + thrown, thrown);
                    KafkaFailures.Kind kind = KafkaFailures.classify(e);
                    LOG.warn("sink {}: {} failure", description.sinkId(), kind.name().toLowerCase(Locale.ROOT), e);
                    if (kind == KafkaFailures.Kind.FENCED) {
                        fenced(e);
                        return;
                    }
                    stall(e);
                    AbortOutcome outcome = kind == KafkaFailures.Kind.ABORTABLE ? abortOpenTransaction(producer) : AbortOutcome.UNUSABLE;
                    if (outcome == AbortOutcome.FENCED) {
                        return;
                    }
                    if (outcome == AbortOutcome.UNUSABLE) {
                        closeQuietly(producer);
                        producer = null;
                    }
                    writer = null;
                    Thread.sleep(restartDelay.toMillis());
                    if (closed) {
                        return;
                    }
                    transition(State.STARTING, Optional.empty(), List.of());
                }
            }
        } catch (InterruptedException e) {
            // Closed while waiting to restart.
        } finally {
            // close() interrupts this thread to end blocking calls; clear the flag so the clients can shut down cleanly.
            Thread.interrupted();
            if (producer != null && writer != null && writer.open && state != State.FENCED) {
                // A clean stop releases the transaction (and the progress topic's stable offset) right away.
                try {
                    producer.abortTransaction();
                } catch (RuntimeException ignored) {
                    // The broker aborts it when the sink's next incarnation initializes, or after the transaction timeout.
                }
            }
            closeQuietly(producer);
            clients.close();
        }
    }

    /** What became of the producer after an abortable failure. */
    private enum AbortOutcome { ABORTED, UNUSABLE, FENCED }

    /** Abortable failure: aborts the open transaction (retrying), so that the producer can be used again. */
    private AbortOutcome abortOpenTransaction(Producer<byte[], byte[]> producer) throws InterruptedException {
        if (writer == null || !writer.open) {
            return AbortOutcome.ABORTED;
        }
        try {
            retriedRun(producer::abortTransaction);
            writer.open = false;
            return AbortOutcome.ABORTED;
        } catch (RuntimeException e) {
            if (KafkaFailures.classify(e) == KafkaFailures.Kind.FENCED) {
                fenced(e);
                return AbortOutcome.FENCED;
            }
            LOG.warn("sink {}: the abort failed; the producer is replaced", description.sinkId(), e);
            return AbortOutcome.UNUSABLE;
        }
    }

    private void fenced(RuntimeException e) {
        LOG.warn("sink {} was fenced; this writer stops", description.sinkId());
        transition(State.FENCED, Optional.of(KafkaFailures.describe(e)), List.of(FENCED_HINT));
    }

    /**
     * Before a producer is created, whose {@code initTransactions} would fence whoever holds the sink now: a record by a
     * newer version of the sink means this definition must not run (stalled, as the reference, but without fencing the
     * newer one on every restart); once this process has committed, a frontier beyond its own last attempted commit
     * means another process took the sink over (fenced: this writer stops). Reads read_uncommitted, so it never waits
     * for a transaction this sink's previous producer left open.
     */
    private void checkBeforeFencing() throws InterruptedException {
        Optional<ProgressRecord> written = retried(clients::highestProgressWritten);
        if (written.isPresent()) {
            checkVersion(written.get());
        }
        checkNotTakenOver(written);
    }

    private void checkVersion(ProgressRecord progress) {
        if (progress.version() > description.version()) {
            throw new SluiceException(dev.sluice.common.error.ErrorCode.SYSTEM_ERROR, "Fenced off by newer version of the sink. ours="
                    + description.version() + " theirs=" + progress.version());
        }
    }

    private void checkNotTakenOver(Optional<ProgressRecord> progress) {
        if (attemptedUpper == 0 || progress.isEmpty()) {
            return;
        }
        ProgressRecord found = progress.get();
        if (found.frontier().isEmpty() || found.frontier().get() > attemptedUpper) {
            throw new ProducerFencedException("sink " + description.sinkId() + " was taken over by another process: its progress topic shows "
                    + found.frontier() + ", beyond this process's last commit [" + attemptedUpper + "]");
        }
    }

    /** One incarnation: progress, topics, then streaming until closed. The producer is initialized. */
    private void runIncarnation(Producer<byte[], byte[]> producer) throws InterruptedException {
        retriedRun(clients::ensureProgressTopic);
        Optional<ProgressRecord> progress = retried(clients::latestProgress);
        long resume = 0;
        if (progress.isPresent()) {
            checkVersion(progress.get());
            checkNotTakenOver(progress);
            if (progress.get().frontier().isEmpty()) {
                transition(State.RUNNING, Optional.empty(), List.of());
                waitForClose();
                return;
            }
            resume = progress.get().frontier().get();
        } else {
            retriedRun(clients::ensureDataTopic);
        }
        int partitions = retried(clients::dataTopicPartitions);
        long readable = input.readableSince();
        long asOf = Math.max(Math.max(description.asOf(), resume - 1), readable);
        if (resume > 0 && resume - 1 < readable) {
            throw new SluiceException(dev.sluice.common.error.ErrorCode.SYSTEM_ERROR, description.sinkName() + ": input compacted past resume upper: as_of "
                    + readable + ", resume_upper: [" + resume + "]");
        }
        boolean withSnapshot = description.snapshot() && resume <= asOf;
        writer = new Writer(producer, partitions, Math.max(resume, asOf), schemaIds);
        transition(State.RUNNING, Optional.empty(), List.of());
        EncodingAhead ahead = new EncodingAhead(new MessageEncoder(description, input.desc(), schemaIds));
        try (PrefetchingCursor<Prepared> cursor = new PrefetchingCursor<>(input.open(asOf, withSnapshot), "sink-" + description.sinkId() + "-input",
                ahead::prepare)) {
            while (!closed) {
                Prepared event = cursor.poll(Duration.ofMillis(500));
                long frontier = -1;
                // Drain what is available so that one transaction covers every timestamp complete now, but commit at
                // least every DRAIN_NANOS under sustained input, so that deferred updates and latency stay bounded.
                long drainUntil = System.nanoTime() + DRAIN_NANOS;
                while (event != null) {
                    // Whether the input has more at once: then it is waited for (within the drain time), as the reader
                    // thread may not have handed it over yet; once the input is caught up, only what is there is taken.
                    boolean more = true;
                    if (event.event() instanceof SinkInput.Event.Data data) {
                        writer.data(data.updates(), event.insertions());
                    } else if (event.event() instanceof SinkInput.Event.Behind behind) {
                        frontier = Math.max(frontier, behind.upper());
                    } else if (event.event() instanceof SinkInput.Event.Progress advance) {
                        frontier = Math.max(frontier, advance.upper());
                        more = false;
                    }
                    long left = drainUntil - System.nanoTime();
                    if (frontier > writer.upper && left < 0) {
                        break;
                    }
                    event = cursor.poll(more && left > 0 ? Duration.ofNanos(left) : Duration.ZERO);
                }
                // §4.5: commit only for a frontier strictly beyond as_of, and past what is committed.
                if (frontier > asOf && frontier > writer.upper) {
                    writer.commit(frontier);
                }
                writer.refreshPartitionCount();
            }
        }
    }

    private void waitForClose() throws InterruptedException {
        while (!closed) {
            Thread.sleep(500);
        }
    }

    /** A Kafka call that may fail retriably. */
    @FunctionalInterface
    private interface KafkaCall<T> {
        T call();
    }

    /** A Kafka action that may fail retriably. */
    @FunctionalInterface
    private interface KafkaAction {
        void run();
    }

    private void retriedRun(KafkaAction action) throws InterruptedException {
        retried(() -> {
            action.run();
            return null;
        }, () -> {
        });
    }

    private <T> T retried(KafkaCall<T> call) throws InterruptedException {
        return retried(call, () -> {
        });
    }

    /**
     * Runs {@code call}, retrying it with exponential backoff while it fails retriably, for at most
     * {@link #RETRY_LIMIT}; reports {@code stalled} with the error while it does, and the previous state once it passes.
     * Before each retry {@code diagnosis} runs: when it fails other than retriably, that failure is the real cause
     * (a timed-out commit whose data topic was deleted) and replaces the retries.
     */
    private <T> T retried(KafkaCall<T> call, KafkaAction diagnosis) throws InterruptedException {
        long backoff = FIRST_BACKOFF_MILLIS;
        long giveUp = System.nanoTime() + RETRY_LIMIT.toNanos();
        State resumeTo = null;
        while (true) {
            try {
                T result = call.call();
                if (resumeTo != null && state == State.STALLED) {
                    transition(resumeTo, Optional.empty(), List.of());
                }
                return result;
            } catch (RuntimeException e) {
                if (closed || KafkaFailures.classify(e) != KafkaFailures.Kind.RETRIABLE || System.nanoTime() - giveUp > 0) {
                    throw e;
                }
                diagnose(diagnosis);
                LOG.info("sink {}: retrying after {}", description.sinkId(), e.toString());
                if (resumeTo == null) {
                    resumeTo = state == State.STALLED ? State.STARTING : state;
                }
                stall(e);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            }
        }
    }

    private static void diagnose(KafkaAction diagnosis) {
        try {
            diagnosis.run();
        } catch (RuntimeException e) {
            if (KafkaFailures.classify(e) != KafkaFailures.Kind.RETRIABLE) {
                throw e;
            }
        }
    }

    private static void closeQuietly(Producer<byte[], byte[]> producer) {
        if (producer == null) {
            return;
        }
        try {
            // Bounded: with the broker unreachable an unbounded close would hang this sink forever.
            producer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.debug("closing a producer failed", e);
        }
    }

    /** Updates of one time past the committed frontier, with their messages when they were encoded ahead. */
    private record Deferred(long time, List<Update> updates, Optional<MessageEncoder.Insertions> insertions) {
    }

    /** An input event, with its messages when they were encoded ahead on the input's reader thread. */
    private record Prepared(SinkInput.Event event, Optional<MessageEncoder.Insertions> insertions) {
    }

    /**
     * Runs on the input's reader thread ({@link PrefetchingCursor}): encodes a batch of insertions at one time (a snapshot's,
     * above all) with its own encoder, so that the writer's thread only partitions and sends. Other events pass as they are.
     */
    private static final class EncodingAhead {
        private final MessageEncoder encoder;

        EncodingAhead(MessageEncoder encoder) {
            this.encoder = encoder;
        }

        Prepared prepare(SinkInput.Event event) {
            if (event instanceof SinkInput.Event.Data data && encoder.insertionsOnly(data.updates())) {
                try {
                    return new Prepared(event, Optional.of(encoder.insertions(data.updates())));
                } catch (RuntimeException e) {
                    // The writer encodes these again and fails there, as it would without encoding ahead.
                    return new Prepared(event, Optional.empty());
                }
            }
            return new Prepared(event, Optional.empty());
        }
    }

    /** The transactional writer of one sink incarnation. */
    private final class Writer {
        private final Producer<byte[], byte[]> producer;
        private int partitions;
        private long partitionsReadAt = System.nanoTime();
        private final MessageEncoder encoder;
        /**
         * Whether the key may repeat within one time: a user key that is not the relation's primary key (NOT ENFORCED).
         * A natural key and an enforced key are unique, and the whole row of a keyless sink says nothing (§8.1).
         */
        private final boolean mayRepeatKeys = description.keyColumns().isPresent() && !description.keyColumns().equals(description.naturalKey());
        private final PkViolationWarner pkViolations = new PkViolationWarner(message -> LOG.warn("sink {}: {}", description.sinkId(), message),
                System::nanoTime);
        /** Updates past the committed frontier, in input (time) order, each with its messages when encoded ahead. */
        private final List<Deferred> deferred = new ArrayList<>();
        private long upper;
        private boolean open;
        private long stagedMessages;
        private long stagedBytes;
        /** When the open transaction began (for the debug log). */
        private long begun;

        Writer(Producer<byte[], byte[]> producer, int partitions, long upper, SchemaIds schemaIds) {
            this.producer = producer;
            this.partitions = partitions;
            this.upper = upper;
            this.encoder = new MessageEncoder(description, input.desc(), schemaIds);
        }

        /** Updates of the input; {@code insertions}, when present, are their messages encoded ahead. */
        void data(List<Update> updates, Optional<MessageEncoder.Insertions> insertions) {
            if (insertions.isPresent()) {
                long time = insertions.get().time();
                if (time == upper) {
                    begin();
                    send(insertions.get());
                } else if (time > upper) {
                    deferred.add(new Deferred(time, updates, insertions));
                }
                return;
            }
            // Group consecutive updates by time; updates of one time arrive together (the snapshot may span events).
            int start = 0;
            while (start < updates.size()) {
                long time = updates.get(start).time();
                int end = start;
                while (end < updates.size() && updates.get(end).time() == time) {
                    end++;
                }
                List<Update> batch = updates.subList(start, end);
                if (time == upper) {
                    produce(time, batch);
                } else if (time > upper) {
                    deferred.add(new Deferred(time, batch, Optional.empty()));
                }
                start = end;
            }
        }

        /** §6.4: re-reads the data topic's partition count every TOPIC METADATA REFRESH INTERVAL; failures are only logged. */
        void refreshPartitionCount() {
            if (System.nanoTime() - partitionsReadAt < description.metadataRefreshInterval().toNanos()) {
                return;
            }
            partitionsReadAt = System.nanoTime();
            try {
                int count = clients.dataTopicPartitions();
                if (count != partitions) {
                    LOG.info("sink {}: topic {} now has {} partitions (was {})", description.sinkId(), description.topic(), count, partitions);
                    partitions = count;
                }
            } catch (RuntimeException e) {
                LOG.warn("sink {}: cannot refresh the partition count of topic {}", description.sinkId(), description.topic(), e);
            }
        }

        void commit(long frontier) throws InterruptedException {
            begin();
            if (!deferred.isEmpty()) {
                // In time order (the input's, kept by a stable sort); the pieces of one time are sent together.
                deferred.sort(java.util.Comparator.comparingLong(Deferred::time));
                List<Deferred> later = new ArrayList<>();
                int start = 0;
                while (start < deferred.size()) {
                    Deferred first = deferred.get(start);
                    int end = start + 1;
                    while (end < deferred.size() && deferred.get(end).time() == first.time()) {
                        end++;
                    }
                    if (first.time() >= frontier) {
                        later.addAll(deferred.subList(start, end));
                    } else if (end == start + 1 && first.insertions().isPresent()) {
                        send(first.insertions().get());
                    } else {
                        List<Update> updates = new ArrayList<>();
                        deferred.subList(start, end).forEach(piece -> updates.addAll(piece.updates()));
                        produce(first.time(), updates);
                    }
                    start = end;
                }
                deferred.clear();
                deferred.addAll(later);
            }
            producer.send(new ProducerRecord<>(description.progressTopic(), 0, ProgressRecord.key(description.sinkId()),
                    new ProgressRecord(dev.sluice.common.time.Frontier.at(frontier), description.version()).encode()));
            commitHook.beforeCommit(description.sinkId(), frontier, stagedMessages);
            attemptedUpper = Math.max(attemptedUpper, frontier);
            long committing = System.nanoTime();
            retried(() -> {
                producer.commitTransaction();
                return null;
            }, clients::dataTopicPartitions);
            if (LOG.isDebugEnabled()) {
                long now = System.nanoTime();
                LOG.debug("sink {} committed {} messages ({} bytes) below {}: transaction open {} ms, commit {} ms", description.sinkId(),
                        stagedMessages, stagedBytes, frontier, (now - begun) / 1_000_000, (now - committing) / 1_000_000);
            }
            open = false;
            statistics.messagesCommitted.addAndGet(stagedMessages);
            statistics.bytesCommitted.addAndGet(stagedBytes);
            stagedMessages = 0;
            stagedBytes = 0;
            upper = frontier;
            input.downgradeHold(frontier);
        }

        private void begin() {
            if (!open) {
                producer.beginTransaction();
                open = true;
                begun = System.nanoTime();
            }
        }

        private void produce(long time, List<Update> updates) {
            begin();
            if (encoder.insertionsOnly(updates)) {
                // Nothing to pair (a snapshot, above all): each row is its message, repeated by its multiplicity.
                send(encoder.insertions(updates));
                return;
            }
            Header timestamp = timestampHeader(time);
            List<Integer> pairingKey = description.keyColumns().or(description::naturalKey).orElse(null);
            Runnable repeatedKey = mayRepeatKeys ? pkViolations::repeatedKey : () -> { };
            for (DiffPairs.Pair pair : DiffPairs.pair(updates, row -> pairingKey == null ? row : row.project(pairingKey), repeatedKey)) {
                Row row = pair.after().orElseGet(() -> pair.before().orElseThrow());
                send(timestamp, row, encoder.key(row), encoder.value(pair));
            }
        }

        /**
         * Whether two of {@code insertions} have the same key. Only within one batch of the input, so that a snapshot's keys
         * are never all held in memory: a key repeated across batches of one snapshot goes unreported.
         */
        private static boolean repeatsKey(MessageEncoder.Insertions insertions) {
            Set<ByteBuffer> keys = new HashSet<>();
            List<Update> updates = insertions.updates();
            for (int i = 0; i < updates.size(); i++) {
                if (updates.get(i).diff() > 1 || !keys.add(ByteBuffer.wrap(insertions.keys()[i]))) {
                    return true;
                }
            }
            return false;
        }

        /** One header object for every message of a time (Kafka only reads it). */
        private static Header timestampHeader(long time) {
            return new RecordHeader("materialize-timestamp", Long.toString(time).getBytes(StandardCharsets.UTF_8));
        }

        private void send(MessageEncoder.Insertions insertions) {
            Header timestamp = timestampHeader(insertions.time());
            List<Update> updates = insertions.updates();
            if (mayRepeatKeys && repeatsKey(insertions)) {
                pkViolations.repeatedKey();
            }
            for (int i = 0; i < updates.size(); i++) {
                Update update = updates.get(i);
                for (long copy = 0; copy < update.diff(); copy++) {
                    send(timestamp, update.row(), insertions.keys()[i], insertions.values()[i]);
                }
            }
        }

        /** Sends one message of {@code row} with its key and value, to the partition of its key (or PARTITION BY), with its headers. */
        private void send(Header timestamp, Row row, byte[] key, byte[] value) {
            long hash = 0;
            if (description.partitionBy().isPresent()) {
                OptionalLong computed;
                try {
                    computed = description.partitionBy().get().apply(row);
                } catch (RuntimeException e) {
                    computed = OptionalLong.empty();
                }
                hash = computed.orElse(0);
            } else if (key != null) {
                // Avro keys hash the datum without the 5-byte header, so a new schema id keeps every key's partition (§6.1).
                hash = description.keyFormat() == KafkaSinkDescription.Format.AVRO
                        ? SeaHash.hash(key, AvroRowEncoder.HEADER_LENGTH, key.length - AvroRowEncoder.HEADER_LENGTH) : SeaHash.hash(key);
            }
            int partition = (int) Long.remainderUnsigned(hash, partitions);
            long userHeaderBytes = 0;
            Iterable<Header> headers = List.of(timestamp);
            if (description.headersColumn().isPresent()) {
                RecordHeaders withUserHeaders = new RecordHeaders();
                withUserHeaders.add(timestamp);
                userHeaderBytes = addUserHeaders(withUserHeaders, row);
                headers = withUserHeaders;
            }
            producer.send(new ProducerRecord<>(description.topic(), partition, null, key, value, headers));
            stagedMessages++;
            long bytes = (key == null ? 0 : key.length) + (value == null ? 0 : value.length) + userHeaderBytes;
            stagedBytes += bytes;
            statistics.messagesStaged.incrementAndGet();
            statistics.bytesStaged.addAndGet(bytes);
        }

        private long addUserHeaders(RecordHeaders headers, Row row) {
            if (description.headersColumn().isEmpty()) {
                return 0;
            }
            Object value = row.get(description.headersColumn().get());
            if (!(value instanceof Map<?, ?> map)) {
                return 0;
            }
            long bytes = 0;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String name = (String) entry.getKey();
                Object headerValue = entry.getValue();
                byte[] encoded = headerValue == null ? null : headerValue instanceof dev.sluice.common.value.ByteString byteString
                        ? byteString.toByteArray() : headerValue.toString().getBytes(StandardCharsets.UTF_8);
                bytes += name.getBytes(StandardCharsets.UTF_8).length + (encoded == null ? 0 : encoded.length);
                if (!name.startsWith("materialize-")) {
                    headers.add(new RecordHeader(name, encoded));
                }
            }
            return bytes;
        }
    }

    /** Stops the sink; it reports {@code dropped} when {@code dropped} is set. Nothing in Kafka is deleted. */
    public void close(boolean dropped) {
        closed = true;
        thread.interrupt();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (dropped && state != State.DROPPED) {
            transition(State.DROPPED, Optional.empty(), List.of());
        }
    }

    @Override
    public void close() {
        close(false);
    }
}
