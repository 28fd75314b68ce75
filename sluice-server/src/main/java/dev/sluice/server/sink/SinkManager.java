package dev.sluice.server.sink;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.Column;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.value.Row;
import dev.sluice.kafka.connection.SchemaRegistryValidator;
import dev.sluice.kafka.sink.KafkaSink;
import dev.sluice.kafka.sink.KafkaSinkDescription;
import dev.sluice.server.catalog.Catalog;
import dev.sluice.server.catalog.CatalogItem;
import dev.sluice.server.catalog.ConnectionDetails;
import dev.sluice.server.catalog.ConnectionItem;
import dev.sluice.server.catalog.SinkItem;
import dev.sluice.server.catalog.SinkPlan;
import dev.sluice.server.catalog.StoredItem;
import dev.sluice.server.catalog.TableItem;
import dev.sluice.server.coordinator.Coordinator;
import dev.sluice.server.ddl.CreateConnectionTask;
import dev.sluice.server.ddl.CreateSinkTask;
import dev.sluice.server.ddl.DdlContext;
import dev.sluice.server.http.MetricsRegistry;
import dev.sluice.server.session.Session;
import dev.sluice.server.session.Sessions;
import dev.sluice.server.system.SinkObservations;
import dev.sluice.server.system.SystemCatalog;
import dev.sluice.sql.ast.Statement;
import dev.sluice.sql.query.QueryContext;
import dev.sluice.sql.query.QueryEngine;
import dev.sluice.storage.ReadHold;
import dev.sluice.storage.Storage;
import dev.sluice.storage.WriteBatch;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the catalog's Kafka sinks, plans CREATE SINK, and records statuses and statistics. */
public final class SinkManager implements Session.SessionHooks, SinkObservations, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SinkManager.class);
    private static final Duration RESTART_DELAY = Duration.ofSeconds(Long.getLong("sluice.sink.restartDelaySeconds", 5));

    private final Coordinator coordinator;
    private final Map<String, KafkaSink> running = new ConcurrentHashMap<>();
    /** The latest status events per sink (a stalled sink adds a few every restart, so the history is bounded). */
    private final Map<String, java.util.ArrayDeque<StatusEvent>> history = new ConcurrentHashMap<>();
    private static final int HISTORY_PER_SINK = 256;
    /** How often the sinks' counters are written to storage (and once more when the server stops). */
    private static final Duration STATISTICS_INTERVAL = Duration.ofMillis(Long.getLong("sluice.sink.statisticsIntervalMillis", 5_000));
    private final SinkStateStore stateStore;
    private final java.util.concurrent.ScheduledExecutorService stateWriter = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            runnable -> {
                Thread thread = new Thread(runnable, "sink-state-writer");
                thread.setDaemon(true);
                return thread;
            });

    public SinkManager(Coordinator coordinator, MetricsRegistry metrics) {
        this.coordinator = requireNonNull(coordinator, "coordinator is null");
        this.stateStore = new SinkStateStore(coordinator.storage());
        for (StatusEvent event : stateStore.storedHistory()) {
            history.computeIfAbsent(event.sinkId(), id -> new java.util.ArrayDeque<>()).addLast(event);
        }
        stateWriter.scheduleWithFixedDelay(this::writeStatistics, STATISTICS_INTERVAL.toMillis(), STATISTICS_INTERVAL.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
        metrics.counter("sluice_sink_messages_committed_total", "Messages committed to Kafka per sink.",
                () -> perSink(sink -> (double) sink.statistics().messagesCommitted()));
        metrics.counter("sluice_sink_bytes_committed_total", "Bytes committed to Kafka per sink.",
                () -> perSink(sink -> (double) sink.statistics().bytesCommitted()));
        metrics.counter("sluice_sink_messages_staged_total", "Messages handed to the producer in open transactions per sink.",
                () -> perSink(sink -> (double) sink.statistics().messagesStaged()));
        metrics.gauge("sluice_sink_running", "1 when the sink is running, 0 otherwise.",
                () -> perSink(sink -> sink.state() == KafkaSink.State.RUNNING ? 1.0 : 0.0));
    }

    private Map<String, Double> perSink(Function<KafkaSink, Double> value) {
        Map<String, Double> samples = new LinkedHashMap<>();
        running.forEach((id, sink) -> samples.put(MetricsRegistry.label("sink_id", id), value.apply(sink)));
        return samples;
    }

    /**
     * Starts every sink of the catalog, re-taking read holds that did not survive a crash, and releases the holds of sinks
     * that are no longer in the catalog. A hold is taken before CREATE SINK commits and released after DROP SINK commits,
     * so a crash in either window leaves one behind; left alone it would keep the table's history forever.
     */
    public void startAll() {
        Map<String, String> sinkInputs = new LinkedHashMap<>();
        for (SinkItem sink : coordinator.catalog().items(SinkItem.class)) {
            sinkInputs.put(holdName(sink.id()), sink.fromId());
        }
        for (ReadHold hold : coordinator.storage().holds()) {
            if (hold.name().startsWith(HOLD_PREFIX) && !hold.collection().equals(sinkInputs.get(hold.name()))) {
                LOG.info("releasing read hold {} on {}: its sink is not in the catalog", hold.name(), hold.collection());
                hold.release();
            }
        }
        stateStore.retainOnly(coordinator.catalog().items(SinkItem.class).stream().map(SinkItem::id).collect(java.util.stream.Collectors.toSet()));
        for (SinkItem sink : coordinator.catalog().items(SinkItem.class)) {
            start(sink);
        }
    }

    /** Writes the running sinks' counters (periodically, and when the server stops); a failure only waits for the next write. */
    private synchronized void writeStatistics() {
        try {
            stateStore.write(statistics());
        } catch (RuntimeException e) {
            LOG.warn("cannot write the sinks' statistics; trying again in {} ms: {}", STATISTICS_INTERVAL.toMillis(), e.toString());
        }
    }

    /** Removes a dropped sink's counters; after its removal from the running sinks, so that no later write brings them back. */
    private synchronized void forgetStatistics(String sinkId) {
        stateStore.forget(sinkId);
    }

    private static final String HOLD_PREFIX = "sink-";

    private static String holdName(String sinkId) {
        return HOLD_PREFIX + sinkId;
    }

    @Override
    public Coordinator.DdlResult createSink(Catalog catalog, Statement.CreateSink statement, DdlContext context) {
        String name = statement.name().map(qualified -> qualified.last()).orElse("");
        Optional<CatalogItem> existing = catalog.byName(name);
        if (existing.isPresent() && !name.isEmpty()) {
            if (statement.ifNotExists()) {
                return Coordinator.DdlResult.noop(catalog, "sink \"" + name + "\" already exists, skipping");
            }
            throw SluiceException.of(ErrorCode.DUPLICATE_OBJECT, "sink \"%s\" already exists", existing.get().qualifiedName());
        }
        Statement.CreateSink stored = CreateSinkTask.withCommentDocs(catalog, statement);
        CreateSinkTask.Planned planned = CreateSinkTask.plan(catalog, stored, context);
        if (context.validateExternally()) {
            dev.sluice.kafka.connection.KafkaConnectionValidator.validate(
                    CreateConnectionTask.spec(catalog, (ConnectionDetails.Kafka) planned.connection().details()), Duration.ofSeconds(10));
            for (String registryId : planned.plan().registryConnectionIds()) {
                ConnectionItem registry = (ConnectionItem) catalog.byId(registryId).orElseThrow();
                SchemaRegistryValidator.validate(CreateConnectionTask.registrySpec(catalog, (ConnectionDetails.SchemaRegistry) registry.details()),
                        Duration.ofSeconds(10));
            }
        }
        String id = catalog.peekNextId();
        Storage storage = coordinator.storage();
        // as_of = the latest complete time of the input, the time a query would read now: with SNAPSHOT = false only
        // changes committed after CREATE SINK are written. (The reference takes the input's since, which for its tables
        // trails by about a second; here since can trail far behind while other readers hold it, and a SNAPSHOT = false
        // sink would then replay old changes.) The hold is taken at since first, which is always allowed, then moved up.
        long since = storage.since(planned.from().id());
        ReadHold hold = storage.acquireHold(holdName(id), planned.from().id(), since);
        long asOf = Math.max(since, storage.upper() - 1);
        hold.downgrade(asOf);
        SinkItem item = CreateSinkTask.item(id, planned, asOf, 0, stored.sql());
        WriteBatch batch = new WriteBatch().add(StoredItem.COLLECTION_ID, stored(item).toRow(), 1);
        return new Coordinator.DdlResult(catalog.with(item), batch, List.of(() -> start(item)), Optional.empty());
    }

    static StoredItem stored(SinkItem sink) {
        var body = StoredItem.newBody();
        body.put("name", sink.name());
        body.put("create_sql", sink.createSql());
        body.put("as_of", sink.asOf());
        body.put("version", sink.version());
        // The Avro schemas as generated at CREATE: what is published at every start, whatever a later version would generate.
        sink.plan().keyAvro().ifPresent(avro -> body.put("key_schema", avro.schema()));
        sink.plan().valueAvro().ifPresent(avro -> body.put("value_schema", avro.schema()));
        return new StoredItem(sink.id(), "sink", body);
    }

    /** Re-plans a stored sink while the catalog loads. */
    public static SinkItem replan(Catalog catalog, StoredItem item, DdlContext context) {
        Statement.CreateSink statement = (Statement.CreateSink) dev.sluice.sql.parser.StatementParser.parse(item.text("create_sql"));
        CreateSinkTask.Planned planned = CreateSinkTask.plan(catalog, statement, context);
        SinkPlan plan = planned.plan().withStoredSchemas(Optional.ofNullable(item.body().get("key_schema")).map(node -> node.asText()),
                Optional.ofNullable(item.body().get("value_schema")).map(node -> node.asText()));
        CreateSinkTask.Planned stored = new CreateSinkTask.Planned(planned.name(), planned.from(), planned.connection(), plan);
        return CreateSinkTask.item(item.id(), stored, item.body().path("as_of").asLong(), item.body().path("version").asLong(), item.text("create_sql"));
    }

    private void start(SinkItem sink) {
        Catalog catalog = coordinator.catalog();
        TableItem from = (TableItem) catalog.byId(sink.fromId()).orElseThrow();
        ConnectionItem connection = (ConnectionItem) catalog.byId(sink.connectionId()).orElseThrow();
        ConnectionDetails.Kafka kafka = (ConnectionDetails.Kafka) connection.details();
        Storage storage = coordinator.storage();
        ReadHold hold = storage.hold(holdName(sink.id()), from.id())
                .orElseGet(() -> storage.acquireHold(holdName(sink.id()), from.id(), storage.since(from.id())));
        SinkPlan plan = sink.plan();
        KafkaSinkDescription description = new KafkaSinkDescription(sink.id(), sink.qualifiedName(), sink.version(), catalog.environmentId(),
                connection.id(), CreateConnectionTask.spec(catalog, kafka), kafka.progressTopic(), kafka.progressTopicReplicationFactor(),
                plan.topic(), plan.compressionType(), plan.transactionalIdPrefix(), plan.progressGroupIdPrefix(), plan.topicPartitionCount(),
                plan.topicReplicationFactor(), plan.topicConfig(), plan.topicMetadataRefreshInterval(),
                plan.partitionBy().map(expression -> partitionFunction(catalog, from, plan, expression)), plan.keyColumns(),
                from.hasPrimaryKey() ? Optional.of(from.primaryKey()) : Optional.empty(), plan.headersColumn(),
                format(plan.keyFormat().orElse(SinkPlan.Format.JSON)), format(plan.valueFormat()),
                plan.envelope() == SinkPlan.Envelope.UPSERT ? KafkaSinkDescription.Envelope.UPSERT : KafkaSinkDescription.Envelope.DEBEZIUM,
                plan.snapshot(), sink.asOf(), plan.keyAvro().map(avro -> avroPart(catalog, avro)), plan.valueAvro().map(avro -> avroPart(catalog, avro)));
        KafkaSink runtime = new KafkaSink(description, new StorageSinkInput(storage, from.id(), hold), this::recordStatus, RESTART_DELAY);
        stateStore.stored(sink.id()).ifPresent(before -> runtime.statistics().carryOver(before.messagesStaged(), before.messagesCommitted(),
                before.bytesStaged(), before.bytesCommitted()));
        running.put(sink.id(), runtime);
        runtime.start();
    }

    private static KafkaSinkDescription.Format format(SinkPlan.Format format) {
        return switch (format) {
            case JSON -> KafkaSinkDescription.Format.JSON;
            case TEXT -> KafkaSinkDescription.Format.TEXT;
            case BYTES -> KafkaSinkDescription.Format.BYTES;
            case AVRO -> KafkaSinkDescription.Format.AVRO;
        };
    }

    /** The registry connection resolved (secrets included) at every start, so ALTER SECRET takes effect on the next restart. */
    private static KafkaSinkDescription.AvroPart avroPart(Catalog catalog, SinkPlan.AvroPlan avro) {
        ConnectionItem registry = (ConnectionItem) catalog.byId(avro.registryConnectionId()).orElseThrow();
        return new KafkaSinkDescription.AvroPart(CreateConnectionTask.registrySpec(catalog, (ConnectionDetails.SchemaRegistry) registry.details()),
                avro.schema(), avro.compatibilityLevel());
    }

    /** PARTITION BY: the expression evaluated by the query engine, assignment-cast to uint8; NULL, negative or error → partition 0. */
    private static Function<Row, OptionalLong> partitionFunction(Catalog catalog, TableItem from, SinkPlan plan, String expression) {
        List<Column> visible = plan.envelope() == SinkPlan.Envelope.DEBEZIUM
                ? plan.keyColumns().orElse(List.of()).stream().map(from.desc()::column).toList() : from.desc().columns();
        List<Integer> projection = plan.envelope() == SinkPlan.Envelope.DEBEZIUM ? plan.keyColumns().orElse(List.of()) : null;
        QueryEngine engine = Sessions.engineFor(catalog);
        QueryEngine.CompiledExpression compiled = engine.compileExpression(expression, visible, Optional.of(SqlType.UINT8));
        QueryContext context = new QueryContext(0, Map.of());
        return row -> {
            Object value = compiled.evaluate(projection == null ? row : row.project(projection), List.of(), context);
            BigInteger number = value instanceof BigInteger big ? big : value instanceof BigDecimal decimal ? decimal.toBigInteger()
                    : value instanceof Number plain ? BigInteger.valueOf(plain.longValue()) : null;
            if (number == null || number.signum() < 0 || number.bitLength() > 64) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(number.longValue());
        };
    }

    private void recordStatus(String sinkId, String status, Optional<String> error, List<String> hints) {
        Optional<String> kafkaError = error.filter(text -> text.startsWith("kafka: ")).map(text -> text.substring("kafka: ".length()));
        // Microseconds, as timestamptz keeps them: the stored event is then equal to this one, and can be removed again.
        StatusEvent event = new StatusEvent(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS), sinkId, status, error,
                hints.isEmpty() && kafkaError.isEmpty() ? Optional.empty() : Optional.of(SystemCatalog.detailsJson(hints, kafkaError)));
        java.util.ArrayDeque<StatusEvent> events = history.computeIfAbsent(sinkId, id -> new java.util.ArrayDeque<>());
        List<StatusEvent> evicted = new ArrayList<>();
        synchronized (events) {
            events.addLast(event);
            while (events.size() > HISTORY_PER_SINK) {
                evicted.add(events.removeFirst());
            }
            // Stored in order on the writer thread, off the sink's thread (a status change must not wait for an fsync).
            try {
                stateWriter.execute(() -> {
                    try {
                        stateStore.recordStatus(event, evicted);
                    } catch (RuntimeException e) {
                        LOG.warn("cannot store the status change of sink {}; it is shown until the server stops: {}", sinkId, e.toString());
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // The server is stopping: the change is shown, not stored.
            }
        }
    }

    @Override
    public void sinkDropped(String sinkId) {
        KafkaSink sink = running.remove(sinkId);
        // Stopping a sink can wait on the broker (a commit in flight, a broker that is down); it runs off the coordinator
        // lock, so a DROP SINK never blocks other statements. A crash before the hold is released is repaired at start.
        Thread stopper = new Thread(() -> {
            try {
                if (sink != null) {
                    sink.close(true);
                }
                coordinator.storage().holds().stream().filter(hold -> hold.name().equals(holdName(sinkId))).forEach(ReadHold::release);
                forgetStatistics(sinkId);
            } catch (RuntimeException e) {
                LOG.warn("stopping dropped sink {} failed; its read hold is released at the next start", sinkId, e);
            }
        }, "sink-drop-" + sinkId);
        stopper.setDaemon(true);
        stopper.start();
    }

    @Override
    public List<StatusEvent> statusHistory() {
        List<StatusEvent> all = new ArrayList<>();
        for (java.util.ArrayDeque<StatusEvent> events : history.values()) {
            synchronized (events) {
                all.addAll(events);
            }
        }
        all.sort(java.util.Comparator.comparing(StatusEvent::occurredAt));
        return all;
    }

    @Override
    public List<Statistics> statistics() {
        List<Statistics> result = new ArrayList<>();
        running.forEach((id, sink) -> result.add(new Statistics(id, sink.statistics().messagesStaged(), sink.statistics().messagesCommitted(),
                sink.statistics().bytesStaged(), sink.statistics().bytesCommitted())));
        return result;
    }

    @Override
    public void close() {
        running.values().forEach(sink -> sink.close(false));
        // Status changes still queued are stored; the periodic statistics write stops.
        stateWriter.shutdown();
        try {
            stateWriter.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // The stopped sinks' final counters, so that a clean restart goes on from exactly here.
        writeStatistics();
        running.clear();
    }
}
