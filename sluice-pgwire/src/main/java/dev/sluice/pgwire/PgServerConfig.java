package dev.sluice.pgwire;

import static java.util.Objects.requireNonNull;

/**
 * Where the pgwire server listens and how much it accepts.
 *
 * @param host address to bind, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}
 * @param port TCP port; 0 picks a free one (read it back with {@link PgServer#port()})
 * @param maxConnections sessions open at once; the next client gets "sorry, too many clients already"
 * @param workerThreads Netty event loop threads (socket I/O only: session work runs on its own threads)
 */
public record PgServerConfig(String host, int port, int maxConnections, int workerThreads) {
    public PgServerConfig {
        requireNonNull(host, "host is null");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive: " + maxConnections);
        }
        if (workerThreads < 1) {
            throw new IllegalArgumentException("workerThreads must be positive: " + workerThreads);
        }
    }

    /** Two event loop threads, which keep up with thousands of connections on a small machine. */
    public PgServerConfig(String host, int port, int maxConnections) {
        this(host, port, maxConnections, 2);
    }
}
