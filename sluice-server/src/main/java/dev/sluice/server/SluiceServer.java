package dev.sluice.server;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.pgwire.PgServer;
import dev.sluice.pgwire.PgServerConfig;
import dev.sluice.registry.RegistryConfig;
import dev.sluice.registry.SchemaRegistryServer;
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
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Sluice: storage, catalog, coordinator, sinks, pgwire, HTTP and (unless switched off)
 * the built-in schema registry. The launcher constructs it with the Kafka bootstrap address to use
 * (embedded or external).
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
    private volatile SchemaRegistryServer schemaRegistry;
    private volatile Optional<String> health = Optional.of("starting");

    public SluiceServer(ServerConfig config, String kafkaBootstrap) {
        this.config = requireNonNull(config, "config is null");
        this.kafkaBootstrap = requireNonNull(kafkaBootstrap, "kafkaBootstrap is null");
    }

    /** Starts serving; returns once every port is listening. */
    public void start() {
        // Before the sinks, which publish their Avro schemas to it when they start; and before the
        // HTTP endpoint, so that both JDK HTTP servers get the TCP_NODELAY the registry asks for.
        if (config.schemaRegistryPort().isPresent()) {
            schemaRegistry = SchemaRegistryServer.start(new RegistryConfig(config.host(), config.schemaRegistryPort().get(),
                    config.dataDir().resolve("schema-registry"), "--schema-registry-port (or turn it off with --no-schema-registry)"));
        }
        http = new HttpEndpoint(config.host(), config.httpPort(), metrics, this::health);
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
        LOG.info("Sluice is ready: pgwire on {}:{}, HTTP on {}:{}, schema registry {}, Kafka at {}, environment {}", config.host(), pgwirePort(),
                config.host(), http.port(), schemaRegistryUrl().orElse("off"), kafkaBootstrap, coordinator.catalog().environmentId());
    }

    /** Empty when healthy, otherwise why not: starting, shutting down, or the schema registry cannot take changes. */
    private Optional<String> health() {
        Optional<String> problem = health;
        if (problem.isPresent()) {
            return problem;
        }
        SchemaRegistryServer registry = schemaRegistry;
        return registry == null ? Optional.empty() : registry.problem().map(reason -> "schema registry: " + reason);
    }

    /** The pgwire port actually bound (useful when configured as 0). */
    public int pgwirePort() {
        return pgServer == null ? config.pgwirePort() : pgServer.port();
    }

    public int httpPort() {
        return http.port();
    }

    /** The built-in schema registry's port actually bound (useful when configured as 0); empty when it is off. */
    public OptionalInt schemaRegistryPort() {
        return schemaRegistry == null ? OptionalInt.empty() : OptionalInt.of(schemaRegistry.port());
    }

    /** The built-in schema registry's base URL, e.g. {@code http://127.0.0.1:8081}; empty when it is off. */
    public Optional<String> schemaRegistryUrl() {
        return Optional.ofNullable(schemaRegistry).map(SchemaRegistryServer::url);
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
        if (schemaRegistry != null) {
            schemaRegistry.close();
            schemaRegistry = null;
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
