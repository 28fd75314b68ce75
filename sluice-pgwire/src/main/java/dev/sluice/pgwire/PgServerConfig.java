package dev.sluice.pgwire;

import static java.util.Objects.requireNonNull;

/** Where the pgwire server listens; port 0 picks a free one. */
public record PgServerConfig(String host, int port, int maxConnections) {
    public PgServerConfig {
        requireNonNull(host, "host is null");
    }
}
