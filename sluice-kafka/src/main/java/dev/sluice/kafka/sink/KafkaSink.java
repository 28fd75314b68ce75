package dev.sluice.kafka.sink;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.error.SluiceException;
import dev.sluice.common.hash.SeaHash;
import dev.sluice.common.time.Update;
import dev.sluice.common.type.Column;
import dev.sluice.common.type.RelationDesc;
import dev.sluice.common.value.Row;
import dev.sluice.kafka.admin.TopicAdmin;
import dev.sluice.kafka.envelope.DiffPairs;
import dev.sluice.kafka.format.RowEncoder;
import dev.sluice.kafka.format.avro.AvroDebeziumEncoder;
import dev.sluice.kafka.format.avro.AvroRowEncoder;
import dev.sluice.kafka.format.json.JsonRowEncoder;
import dev.sluice.kafka.format.text.TextRowEncoder;
import dev.sluice.kafka.progress.ProgressRecord;
import dev.sluice.kafka.progress.ProgressScanner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exactly-once Kafka sink, run on its own thread.
 *
 * <pre>
 * state      \ to   STARTING  RUNNING  STALLED  DROPPED
 * STARTING            -         ok       error    close
 * RUNNING             -         -        error    close
 * STALLED          (delay)      -        -        close
 * DROPPED             -         -        -        -
 * </pre>
 *
 * Startup (§4.2): a transactional producer with the sink's stable {@code transactional.id};
 * {@code initTransactions} fences every older incarnation BEFORE progress is read; the progress
 * scan gives the resume frontier; the data topic is created only when no progress exists. Then one
 * transaction per input frontier advance strictly beyond {@code as_of} (including transactions
 * that hold only the progress record), updates below the resume frontier dropped, the progress
 * record written last. The snapshot is streamed into the open transaction (Sluice's decision 3).
 * Any failure aborts, reports {@code stalled} and restarts after the delay from the last
 * committed progress, so nothing is lost or duplicated.
 */
public final class KafkaSink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);
    private static final String SINGLE_BROKER_HINT = "If you're running a single Kafka broker, ensure that the configs "
            + "transaction.state.log.replication.factor, transaction.state.log.min.isr, and offsets.topic.replication.factor are set to 1 on the broker";

    /** Lifecycle states. */
    public enum State { STARTING, RUNNING, STALLED, DROPPED }

    private final KafkaSinkDescription description;
    private final SinkInput input;
    private final SinkStatusListener listener;
    private final Duration restartDelay;
    private final SinkStatistics statistics = new SinkStatistics();
    private final Thread thread;
    private volatile State state = State.STARTING;
    private volatile boolean closed;

    public KafkaSink(KafkaSinkDescription description, SinkInput input, SinkStatusListener listener, Duration restartDelay) {
        this.description = requireNonNull(description, "description is null");
        this.input = requireNonNull(input, "input is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.restartDelay = requireNonNull(restartDelay, "restartDelay is null");
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
            case STARTING -> to == State.RUNNING || to == State.STALLED || to == State.DROPPED;
            case RUNNING -> to == State.STALLED || to == State.DROPPED;
            case STALLED -> to == State.STARTING || to == State.DROPPED;
            case DROPPED -> false;
        };
        if (!legal) {
            throw new IllegalStateException("illegal sink transition " + state + " -> " + to);
        }
        state = to;
        listener.status(description.sinkId(), to.name().toLowerCase(java.util.Locale.ROOT), error, hints);
    }

    private void run() {
        listener.status(description.sinkId(), "starting", Optional.empty(), List.of());
        while (!closed) {
            try {
                runOnce();
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                if (isFenced(e)) {
                    // Another incarnation of this sink (another Sluice process) took over: this writer stops for good.
                    LOG.warn("sink {} was fenced by a newer incarnation; this writer stops", description.sinkId());
                    transition(State.STALLED, Optional.of("kafka: " + chain(e)), List.of("Another Sluice process took over this sink "
                            + "(same transactional id). This process no longer writes to the topic; restart it to take the sink back."));
                    return;
                }
                LOG.warn("sink {} stalled", description.sinkId(), e);
                List<String> hints = hints(e);
                transition(State.STALLED, Optional.of("kafka: " + chain(e)), hints);
                try {
                    Thread.sleep(restartDelay.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
                if (closed) {
                    return;
                }
                transition(State.STARTING, Optional.empty(), List.of());
            }
        }
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

    private static boolean isFenced(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ProducerFencedException || cause instanceof org.apache.kafka.common.errors.InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    private static String chain(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            if (text.indexOf(message) < 0) {
                text.append(text.length() == 0 ? "" : ": ").append(message);
            }
        }
        return text.toString();
    }

    private void runOnce() throws InterruptedException {
        // Avro schemas are published at every start, before the producer exists: no message without a registered schema id.
        SchemaIds schemaIds = SchemaIds.publish(description);
        Map<String, Object> client = description.connection().clientProperties();
        Map<String, Object> producerProperties = new HashMap<>(client);
        producerProperties.put("enable.idempotence", true);
        producerProperties.put("acks", "all");
        producerProperties.put("transactional.id", description.transactionalId());
        producerProperties.put("client.id", description.idBase());
        producerProperties.put("compression.type", description.compressionType());
        producerProperties.put("linger.ms", 10);
        producerProperties.put("batch.size", 262_144);
        producerProperties.put("buffer.memory", 64L * 1024 * 1024);
        producerProperties.put("max.block.ms", 30_000);
        producerProperties.put("transaction.timeout.ms", 600_000);
        producerProperties.put("delivery.timeout.ms", 120_000);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties, new ByteArraySerializer(), new ByteArraySerializer());
        Admin admin = Admin.create(client);
        try {
            producer.initTransactions();
            TopicAdmin topics = new TopicAdmin(admin);
            topics.ensureProgressTopic(description.progressTopic(), description.progressTopicReplicationFactor());
            Optional<ProgressRecord> progress = ProgressScanner.latest(client, description.progressGroupId(), description.idBase(), description.progressTopic(),
                    description.sinkId());
            long resume = 0;
            if (progress.isPresent()) {
                if (progress.get().version() > description.version()) {
                    throw new SluiceException(dev.sluice.common.error.ErrorCode.SYSTEM_ERROR, "Fenced off by newer version of the sink. ours="
                            + description.version() + " theirs=" + progress.get().version());
                }
                if (progress.get().frontier().isEmpty()) {
                    transition(State.RUNNING, Optional.empty(), List.of());
                    waitForClose();
                    return;
                }
                resume = progress.get().frontier().get();
            } else {
                topics.ensureTopic(description.topic(), description.partitionCount(), description.replicationFactor(), description.topicConfig());
            }
            int partitions = topics.partitionCount(description.topic());
            long readable = input.readableSince();
            long asOf = Math.max(Math.max(description.asOf(), resume - 1), readable);
            if (resume > 0 && resume - 1 < readable) {
                throw new SluiceException(dev.sluice.common.error.ErrorCode.SYSTEM_ERROR, description.sinkName() + ": input compacted past resume upper: as_of "
                        + readable + ", resume_upper: [" + resume + "]");
            }
            boolean withSnapshot = description.snapshot() && resume <= asOf;
            Writer writer = new Writer(producer, partitions, Math.max(resume, asOf), schemaIds);
            transition(State.RUNNING, Optional.empty(), List.of());
            try (SinkInput.Cursor cursor = input.open(asOf, withSnapshot)) {
                while (!closed) {
                    SinkInput.Event event = cursor.poll(Duration.ofMillis(500));
                    long frontier = -1;
                    // Drain what is already available so that one transaction covers every timestamp that is complete now.
                    while (event != null) {
                        if (event instanceof SinkInput.Event.Data data) {
                            writer.data(data.updates());
                        } else if (event instanceof SinkInput.Event.Progress advance) {
                            frontier = Math.max(frontier, advance.upper());
                        }
                        event = cursor.poll(Duration.ZERO);
                    }
                    // §4.5: commit only for a frontier strictly beyond as_of, and past what is committed.
                    if (frontier > asOf && frontier > writer.upper) {
                        writer.commit(frontier);
                    }
                    writer.refreshPartitionCount(topics);
                }
            } catch (ProducerFencedException | org.apache.kafka.common.errors.TimeoutException e) {
                throw e;
            } catch (RuntimeException e) {
                try {
                    producer.abortTransaction();
                } catch (RuntimeException ignored) {
                    // The producer may be unusable; the broker aborts the transaction when the next incarnation starts.
                }
                throw e;
            }
        } finally {
            // close() interrupts this thread to end blocking calls; clear the flag so the clients can shut down cleanly.
            boolean interrupted = Thread.interrupted();
            // Bounded: with the broker unreachable an unbounded close would hang this sink forever.
            producer.close(Duration.ofSeconds(5));
            admin.close(Duration.ofSeconds(5));
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void waitForClose() throws InterruptedException {
        while (!closed) {
            Thread.sleep(500);
        }
    }

    /** The transactional writer of one sink incarnation. */
    private final class Writer {
        private final KafkaProducer<byte[], byte[]> producer;
        private int partitions;
        private long partitionsReadAt = System.nanoTime();
        private final RelationDesc desc = input.desc();
        private final RowEncoder keyEncoder;
        private final RowEncoder valueEncoder;
        private final JsonRowEncoder jsonValue;
        private final Optional<AvroDebeziumEncoder> avroDebezium;
        private final List<Update> deferred = new ArrayList<>();
        private long upper;
        private boolean open;
        private long stagedMessages;
        private long stagedBytes;

        Writer(KafkaProducer<byte[], byte[]> producer, int partitions, long upper, SchemaIds schemaIds) {
            this.producer = producer;
            this.partitions = partitions;
            this.upper = upper;
            List<Column> keyColumns = description.keyColumns().map(indexes -> indexes.stream().map(desc::column).toList()).orElse(List.of());
            this.keyEncoder = encoder(description.keyFormat(), keyColumns, description.keyAvro(), schemaIds.key());
            boolean avroDebeziumValue = description.envelope() == KafkaSinkDescription.Envelope.DEBEZIUM && description.valueAvro().isPresent();
            this.valueEncoder = avroDebeziumValue ? row -> {
                throw new IllegalStateException("Debezium values are encoded as pairs");
            } : encoder(description.valueFormat(), desc.columns(), description.valueAvro(), schemaIds.value());
            this.avroDebezium = avroDebeziumValue
                    ? Optional.of(new AvroDebeziumEncoder(schemaIds.value().orElseThrow(), description.valueAvro().get().schema(), desc.columns()))
                    : Optional.empty();
            this.jsonValue = new JsonRowEncoder(desc.columns());
        }

        private RowEncoder encoder(KafkaSinkDescription.Format format, List<Column> columns, Optional<KafkaSinkDescription.AvroPart> avro,
                java.util.OptionalInt schemaId) {
            return switch (format) {
                case JSON -> new JsonRowEncoder(columns);
                case TEXT -> columns.isEmpty() ? row -> new byte[0] : new TextRowEncoder(columns.get(0).type(), false);
                case BYTES -> columns.isEmpty() ? row -> new byte[0] : new TextRowEncoder(columns.get(0).type(), true);
                case AVRO -> avro.isEmpty() ? row -> new byte[0] : new AvroRowEncoder(schemaId.orElseThrow(), avro.get().schema(), columns);
            };
        }

        void data(List<Update> updates) {
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
                    deferred.addAll(batch);
                }
                start = end;
            }
        }

        /** §6.4: re-reads the data topic's partition count every TOPIC METADATA REFRESH INTERVAL; failures are only logged. */
        void refreshPartitionCount(TopicAdmin topics) {
            if (System.nanoTime() - partitionsReadAt < description.metadataRefreshInterval().toNanos()) {
                return;
            }
            partitionsReadAt = System.nanoTime();
            try {
                int count = topics.partitionCount(description.topic());
                if (count != partitions) {
                    LOG.info("sink {}: topic {} now has {} partitions (was {})", description.sinkId(), description.topic(), count, partitions);
                    partitions = count;
                }
            } catch (RuntimeException e) {
                LOG.warn("sink {}: cannot refresh the partition count of topic {}", description.sinkId(), description.topic(), e);
            }
        }

        void commit(long frontier) {
            begin();
            if (!deferred.isEmpty()) {
                List<Update> ready = new ArrayList<>();
                List<Update> later = new ArrayList<>();
                for (Update update : deferred) {
                    (update.time() < frontier ? ready : later).add(update);
                }
                ready.sort(java.util.Comparator.comparingLong(Update::time));
                int start = 0;
                while (start < ready.size()) {
                    int end = start;
                    while (end < ready.size() && ready.get(end).time() == ready.get(start).time()) {
                        end++;
                    }
                    produce(ready.get(start).time(), ready.subList(start, end));
                    start = end;
                }
                deferred.clear();
                deferred.addAll(later);
            }
            producer.send(new ProducerRecord<>(description.progressTopic(), 0, ProgressRecord.key(description.sinkId()),
                    new ProgressRecord(dev.sluice.common.time.Frontier.at(frontier), description.version()).encode()));
            producer.commitTransaction();
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
            }
        }

        private void produce(long time, List<Update> updates) {
            begin();
            boolean snapshotLike = updates.stream().allMatch(update -> update.diff() > 0);
            List<DiffPairs.Pair> pairs;
            if (snapshotLike && description.envelope() == KafkaSinkDescription.Envelope.UPSERT) {
                pairs = new ArrayList<>();
                for (Update update : updates) {
                    for (long i = 0; i < update.diff(); i++) {
                        pairs.add(new DiffPairs.Pair(Optional.empty(), Optional.of(update.row())));
                    }
                }
            } else {
                List<Integer> pairingKey = description.keyColumns().or(description::naturalKey).orElse(null);
                pairs = DiffPairs.pair(updates, row -> pairingKey == null ? row : row.project(pairingKey));
            }
            byte[] timestamp = Long.toString(time).getBytes(StandardCharsets.UTF_8);
            for (DiffPairs.Pair pair : pairs) {
                Row row = pair.after().orElseGet(() -> pair.before().orElseThrow());
                byte[] key = description.keyColumns().map(indexes -> keyEncoder.encode(row.project(indexes))).orElse(null);
                byte[] value = switch (description.envelope()) {
                    case UPSERT -> pair.after().map(valueEncoder::encode).orElse(null);
                    case DEBEZIUM -> debezium(pair);
                };
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
                RecordHeaders headers = new RecordHeaders();
                headers.add(new RecordHeader("materialize-timestamp", timestamp));
                long userHeaderBytes = addUserHeaders(headers, row);
                producer.send(new ProducerRecord<>(description.topic(), partition, null, key, value, headers));
                stagedMessages++;
                long bytes = (key == null ? 0 : key.length) + (value == null ? 0 : value.length) + userHeaderBytes;
                stagedBytes += bytes;
                statistics.messagesStaged.incrementAndGet();
                statistics.bytesStaged.addAndGet(bytes);
            }
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

        private byte[] debezium(DiffPairs.Pair pair) {
            if (avroDebezium.isPresent()) {
                return avroDebezium.get().encode(pair.before(), pair.after());
            }
            if (description.valueFormat() != KafkaSinkDescription.Format.JSON) {
                byte[] before = pair.before().map(valueEncoder::encode).orElse(new byte[0]);
                byte[] after = pair.after().map(valueEncoder::encode).orElse(new byte[0]);
                byte[] both = new byte[before.length + after.length];
                System.arraycopy(before, 0, both, 0, before.length);
                System.arraycopy(after, 0, both, before.length, after.length);
                return both;
            }
            return jsonValue.encodeDebezium(pair.before(), pair.after());
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
        if (dropped) {
            state = State.DROPPED;
            listener.status(description.sinkId(), "dropped", Optional.empty(), List.of());
        }
    }

    @Override
    public void close() {
        close(false);
    }
}
