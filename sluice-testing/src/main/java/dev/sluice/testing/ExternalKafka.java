package dev.sluice.testing;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka (KRaft, combined broker and controller) running as its own JVM
 * ({@code kafka.Kafka server.properties}), its storage formatted once with
 * {@code kafka.tools.StorageTool format --standalone}. Tests stop, kill and restart it on the same
 * ports and data, and processes under test never share its JVM.
 *
 * <p>Listeners: {@link #bootstrapServers()} (PLAINTEXT, principal {@code User:ANONYMOUS}, a super
 * user) and {@link #saslBootstrapServers()} (SASL_PLAINTEXT with mechanism PLAIN, users {@code admin}
 * (a super user) and {@link #RESTRICTED_USER}, who may do only what ACLs allow). The broker runs
 * KRaft's {@code StandardAuthorizer}, so ACL denials are real. The broker's output goes to
 * {@code <directory>/broker.out}. Not thread-safe; the owner closes it.
 */
public final class ExternalKafka implements AutoCloseable {
    /** A SASL/PLAIN user without any permission until ACLs grant it some. */
    public static final String RESTRICTED_USER = "sluice";
    /** {@link #RESTRICTED_USER}'s password. */
    public static final String RESTRICTED_PASSWORD = "sluice-secret";

    /** The broker logs warnings to its output file, whatever logging configuration the classpath holds. */
    private static final String LOG_CONFIGURATION = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Configuration status="WARN">
              <Appenders>
                <Console name="stdout" target="SYSTEM_OUT">
                  <PatternLayout pattern="%d{HH:mm:ss.SSS} %-5level [%t] %c{1}: %msg%n"/>
                </Console>
              </Appenders>
              <Loggers>
                <Root level="WARN">
                  <AppenderRef ref="stdout"/>
                </Root>
              </Loggers>
            </Configuration>
            """;

    private static ExternalKafka shared;

    private final Path directory;
    private final int port;
    private final int saslPort;
    private final int controllerPort;
    private final List<String> jvmOptions;
    private Process process;

    private ExternalKafka(Path directory, List<String> jvmOptions) {
        this.directory = requireNonNull(directory, "directory is null");
        this.jvmOptions = List.copyOf(jvmOptions);
        this.port = freePort();
        this.saslPort = freePort();
        this.controllerPort = freePort();
    }

    /** Formats a fresh broker in {@code directory} and starts it; {@code jvmOptions} go to the broker's JVM (e.g. {@code -Xmx512m}). */
    public static ExternalKafka start(Path directory, List<String> jvmOptions, Duration timeout) {
        ExternalKafka kafka = new ExternalKafka(directory, jvmOptions);
        kafka.format(timeout);
        kafka.start(timeout);
        return kafka;
    }

    /**
     * One broker for every test of this JVM that does not stop it, started on first use and killed when the JVM
     * exits. Tests that stop or kill a broker start their own with {@link #start(Path, List, Duration)}.
     */
    public static synchronized ExternalKafka shared() {
        if (shared == null) {
            try {
                shared = start(Files.createTempDirectory("sluice-shared-kafka"), List.of("-Xmx384m"), Duration.ofSeconds(90));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ExternalKafka broker = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(broker::kill, "shared-kafka-stop"));
        }
        return shared;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public String saslBootstrapServers() {
        return "127.0.0.1:" + saslPort;
    }

    public Path directory() {
        return directory;
    }

    /** An admin client with super-user rights (PLAINTEXT listener). Caller closes. */
    public Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", bootstrapServers()));
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    private void format(Duration timeout) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("server.properties"), serverProperties());
            Files.writeString(directory.resolve("log4j2.xml"), LOG_CONFIGURATION);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = javaCommand("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c",
                directory.resolve("server.properties").toString(), "--standalone");
        Process formatter = launch(command);
        try {
            if (!formatter.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                formatter.destroyForcibly();
                throw new IllegalStateException("formatting the broker storage did not finish within " + timeout + "; see " + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting the broker storage", e);
        }
        if (formatter.exitValue() != 0) {
            throw new IllegalStateException("formatting the broker storage failed with exit code " + formatter.exitValue() + "; see " + output());
        }
    }

    /** Starts the broker (again, on the same ports and data) and returns once it answers a metadata request. */
    public void start(Duration timeout) {
        if (isRunning()) {
            throw new IllegalStateException("the broker is already running");
        }
        process = launch(javaCommand("kafka.Kafka", directory.resolve("server.properties").toString()));
        Instant deadline = Instant.now().plus(timeout);
        try (Admin admin = admin()) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the broker exited with " + process.exitValue() + "; see " + output());
                }
                try {
                    if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the broker", e);
                } catch (Exception notYet) {
                    if (Instant.now().isAfter(deadline)) {
                        kill();
                        throw new IllegalStateException("the broker did not become ready within " + timeout + "; see " + output());
                    }
                }
            }
        }
    }

    /** SIGTERM and wait: a clean broker shutdown. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitForExit();
        }
    }

    /** SIGKILL and wait. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitForExit();
        }
    }

    private void waitForExit() {
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Path output() {
        return directory.resolve("broker.out");
    }

    private List<String> javaCommand(String mainClass, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Dlog4j2.configurationFile=" + directory.resolve("log4j2.xml"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(arguments));
        return command;
    }

    private Process launch(List<String> command) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output().toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String serverProperties() {
        Properties properties = new Properties();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", "1");
        properties.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        properties.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort + ",CONTROLLER://127.0.0.1:"
                + controllerPort);
        properties.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort);
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("inter.broker.listener.name", "PLAINTEXT");
        properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
        properties.put("sasl.enabled.mechanisms", "PLAIN");
        properties.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"admin\" password=\"admin-secret\" user_admin=\"admin-secret\" user_" + RESTRICTED_USER + "=\"" + RESTRICTED_PASSWORD
                + "\";");
        properties.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        properties.put("super.users", "User:ANONYMOUS;User:admin");
        properties.put("allow.everyone.if.no.acl.found", "false");
        properties.put("log.dirs", directory.resolve("logs").toString());
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("offsets.topic.num.partitions", "1");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("transaction.state.log.num.partitions", "1");
        properties.put("share.coordinator.state.topic.replication.factor", "1");
        properties.put("share.coordinator.state.topic.min.isr", "1");
        properties.put("group.initial.rebalance.delay.ms", "0");
        properties.put("auto.create.topics.enable", "false");
        properties.put("num.partitions", "1");
        properties.put("default.replication.factor", "1");
        StringBuilder text = new StringBuilder();
        properties.stringPropertyNames().stream().sorted().forEach(name -> text.append(name).append('=')
                .append(properties.getProperty(name).replace("\\", "\\\\")).append('\n'));
        return text.toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the broker (its data directory stays for inspection). */
    @Override
    public void close() {
        kill();
    }
}
