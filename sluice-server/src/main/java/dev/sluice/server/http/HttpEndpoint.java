package dev.sluice.server.http;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/** {@code GET /health} and {@code GET /metrics} on the JDK's HTTP server. */
public final class HttpEndpoint implements AutoCloseable {
    private final HttpServer server;

    /** @param health empty when healthy, otherwise why not */
    public HttpEndpoint(String host, int port, MetricsRegistry metrics, Supplier<Optional<String>> health) {
        requireNonNull(metrics, "metrics is null");
        requireNonNull(health, "health is null");
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new SluiceException(ErrorCode.SYSTEM_ERROR, "cannot listen for HTTP on " + host + ":" + port + ": " + e.getMessage(), e)
                    .withHint("Choose another port with --http-port.");
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (!exchange.getRequestMethod().equals("GET")) {
                    respond(exchange, 405, "text/plain", "method not allowed\n");
                } else if (path.equals("/health")) {
                    Optional<String> problem = health.get();
                    respond(exchange, problem.isEmpty() ? 200 : 503, "text/plain", problem.map(reason -> reason + "\n").orElse("ok\n"));
                } else if (path.equals("/metrics")) {
                    respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.render());
                } else {
                    respond(exchange, 404, "text/plain", "not found\n");
                }
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "http");
            thread.setDaemon(true);
            return thread;
        }));
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
