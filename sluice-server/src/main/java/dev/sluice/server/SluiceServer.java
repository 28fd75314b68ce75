package dev.sluice.server;

import static java.util.Objects.requireNonNull;

/**
 * A running Sluice: storage, catalog, coordinator, pgwire and HTTP. Owned by the lead; the
 * launcher constructs it with the Kafka bootstrap address to use (embedded or external).
 */
public final class SluiceServer implements AutoCloseable {
    private final ServerConfig config;
    private final String kafkaBootstrap;

    public SluiceServer(ServerConfig config, String kafkaBootstrap) {
        this.config = requireNonNull(config, "config is null");
        this.kafkaBootstrap = requireNonNull(kafkaBootstrap, "kafkaBootstrap is null");
    }

    /** Starts serving; returns once every port is listening. */
    public void start() {
        throw new IllegalStateException("server wiring in progress (" + config.dataDir() + ", " + kafkaBootstrap + ")");
    }

    /** The pgwire port actually bound (useful when configured as 0). */
    public int pgwirePort() {
        return config.pgwirePort();
    }

    @Override
    public void close() {
    }
}
