package dev.sluice.testing.registry;

import dev.sluice.registry.RegistryConfig;
import dev.sluice.registry.SchemaRegistryServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The built-in schema registry in the test's JVM, on an ephemeral port of 127.0.0.1, in a fresh
 * temporary data directory. {@link #restart()} reopens it on the same directory and port.
 *
 * <pre>{@code
 * try (TestRegistry registry = TestRegistry.start()) {
 *     String url = registry.url();   // http://127.0.0.1:<port>, for CREATE CONNECTION … URL or a client
 * }
 * }</pre>
 */
public final class TestRegistry implements AutoCloseable {
    private final Path dataDir;
    private SchemaRegistryServer server;

    private TestRegistry(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.server = SchemaRegistryServer.start(new RegistryConfig("127.0.0.1", port, dataDir, "TestRegistry"));
    }

    public static TestRegistry start() {
        try {
            return new TestRegistry(Files.createTempDirectory("sluice-registry"), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL, e.g. {@code http://127.0.0.1:40123}. */
    public String url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Closes the registry and opens it again on the same data directory and port. */
    public void restart() {
        int port = server.port();
        server.close();
        server = SchemaRegistryServer.start(new RegistryConfig("127.0.0.1", port, dataDir, "TestRegistry"));
    }

    @Override
    public void close() {
        server.close();
    }
}
