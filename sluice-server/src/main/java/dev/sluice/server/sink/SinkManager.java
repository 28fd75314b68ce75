package dev.sluice.server.sink;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.server.catalog.Catalog;
import dev.sluice.server.coordinator.Coordinator;
import dev.sluice.server.ddl.DdlContext;
import dev.sluice.server.http.MetricsRegistry;
import dev.sluice.server.session.Session;
import dev.sluice.server.system.SinkObservations;
import dev.sluice.sql.ast.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs the Kafka sinks of the catalog and records their statuses and statistics.
 * CREATE SINK is refused until the exactly-once sink runtime lands (see docs/kafka-sink.md).
 */
public final class SinkManager implements Session.SessionHooks, SinkObservations, AutoCloseable {
    private final Coordinator coordinator;
    private final List<StatusEvent> history = new CopyOnWriteArrayList<>();

    public SinkManager(Coordinator coordinator, MetricsRegistry metrics) {
        this.coordinator = requireNonNull(coordinator, "coordinator is null");
        requireNonNull(metrics, "metrics is null");
    }

    /** Starts every sink of the catalog (none can exist yet). */
    public void startAll() {
        coordinator.catalog();
    }

    @Override
    public Coordinator.DdlResult createSink(Catalog catalog, Statement.CreateSink statement, DdlContext context) {
        throw new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED, "CREATE SINK is not available in this build")
                .withHint("The exactly-once Kafka sink is being built; tables, secrets and connections work today.");
    }

    @Override
    public void sinkDropped(String sinkId) {
        history.add(new StatusEvent(java.time.Instant.now(), sinkId, "dropped", java.util.Optional.empty(), java.util.Optional.empty()));
    }

    @Override
    public List<StatusEvent> statusHistory() {
        return List.copyOf(history);
    }

    @Override
    public List<Statistics> statistics() {
        return List.of();
    }

    @Override
    public void close() {
        history.clear();
    }
}
