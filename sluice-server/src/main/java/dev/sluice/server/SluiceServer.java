package dev.sluice.server;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.pgwire.PgServer;
import dev.sluice.pgwire.PgServerConfig;
import dev.sluice.server.catalog.Catalog;
import dev.sluice.server.coordinator.Coordinator;
import dev.sluice.server.ddl.DdlContext;
import dev.sluice.server.ddl.Planner;
import dev.sluice.server.http.HttpEndpoint;
import dev.sluice.server.http.MetricsRegistry;
import dev.sluice.server.session.Session;
import dev.sluice.server.session.Sessions;
import dev.sluice.server.sink.SinkManager;
import dev.sluice.storage.Storage;
import dev.sluice.storage.StorageOptions;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Sluice: storage, catalog, coordinator, sinks, pgwire and HTTP. The launcher constructs
 * it with the Kafka bootstrap address to use (embedded or external).
 */
public final class SluiceServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SluiceServer.class);

    private final ServerConfig config;
    private final String kafkaBootstrap;
    private final MetricsRegistry metrics = new MetricsRegistry();
    private Storage storage;
    private Coordinator coordinator;
    private SinkManager sinks;
    private PgServer pgServer;
    private HttpEndpoint http;
    private volatile Optional<String> health = Optional.of("starting");

    public SluiceServer(ServerConfig config, String kafkaBootstrap) {
        this.config = requireNonNull(config, "config is null");
        this.kafkaBootstrap = requireNonNull(kafkaBootstrap, "kafkaBootstrap is null");
    }

    /** Starts serving; returns once every port is listening. */
    public void start() {
        http = new HttpEndpoint(config.host(), config.httpPort(), metrics, () -> health);
        http.start();
        storage = Storage.open(config.dataDir().resolve("storage"), StorageOptions.defaults());
        Planner planner = new Planner(catalog -> new DdlContext(Sessions.engineFor(catalog), notice -> {
        }, false));
        coordinator = Coordinator.open(storage, planner, config.environmentId());
        sinks = new SinkManager(coordinator, metrics);
        coordinator.setSinkObservations(sinks);
        sinks.startAll();
        pgServer = new PgServer(new PgServerConfig(config.host(), config.pgwirePort(), 1000), info -> {
            if (!info.database().equals(Catalog.DATABASE)) {
                throw SluiceException.of(ErrorCode.INVALID_CATALOG_NAME, "database \"%s\" does not exist", info.database())
                        .withHint("Sluice has one database, materialize.");
            }
            return new Session(coordinator, sinks, info.user(), info.parameters());
        });
        pgServer.start();
        metrics.gauge("sluice_sessions", "Open client sessions.", () -> Map.of("", (double) pgServer.sessionCount()));
        health = Optional.empty();
        LOG.info("Sluice is ready: pgwire on {}:{}, HTTP on {}:{}, Kafka at {}, environment {}", config.host(), pgwirePort(), config.host(),
                http.port(), kafkaBootstrap, coordinator.catalog().environmentId());
    }

    /** The pgwire port actually bound (useful when configured as 0). */
    public int pgwirePort() {
        return pgServer == null ? config.pgwirePort() : pgServer.port();
    }

    public int httpPort() {
        return http.port();
    }

    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    public Coordinator coordinator() {
        return coordinator;
    }

    @Override
    public void close() {
        health = Optional.of("shutting down");
        if (pgServer != null) {
            pgServer.close();
            pgServer = null;
        }
        if (sinks != null) {
            sinks.close();
            sinks = null;
        }
        if (storage != null) {
            storage.close();
            storage = null;
        }
        if (http != null) {
            http.close();
            http = null;
        }
    }
}
