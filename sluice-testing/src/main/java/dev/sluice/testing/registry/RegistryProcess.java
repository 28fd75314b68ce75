package dev.sluice.testing.registry;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The schema registry as a separate process ({@code dev.sluice.registry.RegistryMain} in a child
 * JVM on this test's classpath), for tests that kill it or that want "another process's"
 * registry. It keeps its port across restarts; its output goes to {@code <dataDir>/process.out}.
 */
public final class RegistryProcess implements AutoCloseable {
    private final Path dataDir;
    private final int port;
    private Process process;

    /** A registry process to be started on a free port of 127.0.0.1, keeping its data in {@code dataDir}. */
    public RegistryProcess(Path dataDir) {
        this.dataDir = requireNonNull(dataDir, "dataDir is null");
        this.port = freePort();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Starts the child and waits until its port accepts connections. */
    public void start(Duration timeout) {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-cp",
                System.getProperty("java.class.path"), "dev.sluice.registry.RegistryMain", "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--data-dir", dataDir.toString());
        try {
            Files.createDirectories(dataDir);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("process.out").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("schema registry exited with " + process.exitValue() + "; see " + dataDir.resolve("process.out"));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                pause();
            }
        }
        kill();
        throw new IllegalStateException("schema registry did not listen within " + timeout + "; see " + dataDir.resolve("process.out"));
    }

    /** SIGKILL: no shutdown hook runs. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            awaitExit();
        }
    }

    /** SIGTERM and wait: a clean shutdown. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            awaitExit();
        }
    }

    @Override
    public void close() {
        kill();
    }

    private void awaitExit() {
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
