package dev.sluice.registry;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.registry.internal.HttpApi;
import dev.sluice.registry.internal.Registry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running schema registry that speaks the Confluent Schema Registry REST API (Avro schemas),
 * on the JDK's HTTP server, durable in its data directory: every answered change was forced to
 * disk first, so it survives a crash. Thread-safe; the caller closes it.
 */
public final class SchemaRegistryServer implements AutoCloseable {
    private static final int THREADS = 4;
    private static final String NO_DELAY = "sun.net.httpserver.nodelay";

    static {
        // The JDK's HTTP server writes an answer's headers and body separately; with Nagle's
        // algorithm on, the client's delayed ACK then holds every answer back ~40 ms. The server
        // reads this property once per JVM, when its first HTTP server is created; an explicit
        // setting wins.
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
    }

    private final Registry registry;
    private final HttpServer server;
    private final ExecutorService executor;
    private final String host;
    private volatile boolean closed;

    private SchemaRegistryServer(Registry registry, HttpServer server, ExecutorService executor, String host) {
        this.registry = registry;
        this.server = server;
        this.executor = executor;
        this.host = host;
    }

    /**
     * Opens the registry in {@code config.dataDir()} and starts serving; returns once the port listens.
     *
     * @throws SluiceException when the port is taken or the data directory cannot be used
     */
    public static SchemaRegistryServer start(RegistryConfig config) {
        return serve(Registry.open(config.dataDir()), config.host(), config.port(), config.portOption());
    }

    /** Serves an already opened {@code registry}; the server owns it from this call on (and closes it if it cannot listen). */
    public static SchemaRegistryServer serve(Registry registry, String host, int port, String portOption) {
        requireNonNull(registry, "registry is null");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 64);
        } catch (IOException e) {
            registry.close();
            throw new SluiceException(ErrorCode.SYSTEM_ERROR,
                    "cannot listen for the schema registry on " + host + ":" + port + ": " + e.getMessage(), e)
                    .withHint("Choose another port with " + portOption + ".");
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, "schema-registry-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/", new HttpApi(registry));
        server.setExecutor(executor);
        server.start();
        return new SchemaRegistryServer(registry, server, executor, host);
    }

    /** The port actually bound (useful when configured as 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:8081}. */
    public String url() {
        return "http://" + host + ":" + port();
    }

    /** Empty while healthy; otherwise why the registry cannot take changes. */
    public Optional<String> problem() {
        if (closed) {
            return Optional.of("schema registry is closed");
        }
        return registry.problem();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(0);
        executor.shutdownNow();
        registry.close();
    }
}
