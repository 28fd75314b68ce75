package dev.sluice.server.it;

import dev.sluice.server.ServerConfig;
import dev.sluice.server.SluiceServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;

/** A Sluice server in the test's JVM on ephemeral ports, in a temporary data directory. */
public final class TestServer implements AutoCloseable {
    private final Path dataDir;
    private final SluiceServer server;

    public TestServer(String kafkaBootstrap) {
        try {
            dataDir = Files.createTempDirectory("sluice-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = start(dataDir, kafkaBootstrap, "test");
    }

    /** A server on an existing (or new) data directory with its own environment id, e.g. to restart a server in-process. */
    public TestServer(Path dataDir, String kafkaBootstrap, String environmentId) {
        this.dataDir = dataDir;
        server = start(dataDir, kafkaBootstrap, environmentId);
    }

    private static SluiceServer start(Path dataDir, String kafkaBootstrap, String environmentId) {
        SluiceServer server = new SluiceServer(new ServerConfig(dataDir, "127.0.0.1", 0, 0, Optional.of(kafkaBootstrap), 0, Optional.of(environmentId),
                Optional.empty()), kafkaBootstrap);
        server.start();
        return server;
    }

    public SluiceServer server() {
        return server;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + server.pgwirePort() + "/materialize?user=materialize";
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    public int port() {
        return server.pgwirePort();
    }

    @Override
    public void close() {
        server.close();
    }
}
