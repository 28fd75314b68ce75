package dev.sluice.server.it;

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
import java.util.ArrayList;
import java.util.List;

/**
 * A Sluice server running as a child JVM on this test's classpath, for tests that kill it.
 * Its output goes to {@code <dataDir>/process.out}.
 */
public final class ServerProcess implements AutoCloseable {
    private final Path dataDir;
    private final int pgwirePort;
    private final List<String> jvmOptions;
    private List<String> extraArguments;
    private Process process;

    public ServerProcess(Path dataDir, int pgwirePort, List<String> extraArguments) {
        this(dataDir, pgwirePort, extraArguments, List.of());
    }

    /** {@code jvmOptions} go to the child's JVM, e.g. {@code -Dsluice.sink.test.pauseBeforeCommit=…}. */
    public ServerProcess(Path dataDir, int pgwirePort, List<String> extraArguments, List<String> jvmOptions) {
        this.dataDir = requireNonNull(dataDir, "dataDir is null");
        this.pgwirePort = pgwirePort;
        this.extraArguments = List.copyOf(extraArguments);
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** Replaces the extra arguments for the next start. */
    public void restartWith(List<String> arguments) {
        this.extraArguments = List.copyOf(arguments);
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int pgwirePort() {
        return pgwirePort;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + pgwirePort + "/materialize?user=materialize";
    }

    /** Starts the child and waits until its pgwire port accepts connections. */
    public void start(Duration timeout) {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        // A short-lived child on a shared 2-core machine: C1 and the serial collector halve its start-up time.
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-Dsluice.sink.restartDelaySeconds=1");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.sluice.server.launch.Main");
        command.add("start");
        command.add("--data-dir");
        command.add(dataDir.toString());
        command.add("--pgwire-port");
        command.add(Integer.toString(pgwirePort));
        command.add("--http-port");
        command.add(Integer.toString(freePort()));
        command.add("--no-schema-registry");
        command.addAll(extraArguments);
        try {
            Files.createDirectories(dataDir);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("process.out").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue() + "; see " + dataDir.resolve("process.out"));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", pgwirePort), 200);
                return;
            } catch (IOException notYet) {
                sleep(100);
            }
        }
        kill();
        throw new IllegalStateException("server did not listen within " + timeout + "; see " + dataDir.resolve("process.out"));
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor();
        }
    }

    /** SIGSTOP / SIGCONT, for fencing tests. */
    public void signal(String name) {
        try {
            new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM and wait: a clean shutdown. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitFor();
        }
    }

    private void waitFor() {
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }
}
