package dev.sluice.server.kafka;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (KRaft, combined broker and controller) in this process, its data under
 * {@code <data-dir>/kafka}: what {@code ./sluice start} runs when no {@code --kafka} is given. The
 * storage is formatted once; restarts keep topics and committed data.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final Path directory;
    private final String host;
    private final int port;
    private final Optional<SaslPlainListener> saslListener;
    private KafkaRaftServer server;

    /** A second listener speaking SASL_PLAINTEXT with mechanism PLAIN for these users (name to password). */
    private record SaslPlainListener(int port, Map<String, String> users) {
        SaslPlainListener {
            users = Map.copyOf(users);
        }
    }

    public EmbeddedKafka(Path directory, String host, int port) {
        this(directory, host, port, Optional.empty());
    }

    private EmbeddedKafka(Path directory, String host, int port, Optional<SaslPlainListener> saslListener) {
        this.directory = requireNonNull(directory, "directory is null");
        this.host = requireNonNull(host, "host is null");
        this.port = port;
        this.saslListener = requireNonNull(saslListener, "saslListener is null");
    }

    /** The same broker with an extra SASL_PLAINTEXT (PLAIN) listener on {@code saslPort} accepting {@code users}; for tests of secured connections. */
    public EmbeddedKafka withSaslPlainListener(int saslPort, Map<String, String> users) {
        return new EmbeddedKafka(directory, host, port, Optional.of(new SaslPlainListener(saslPort, users)));
    }

    /** The SASL_PLAINTEXT listener's address, when there is one. */
    public Optional<String> saslBootstrapServers() {
        return saslListener.map(listener -> host + ":" + listener.port());
    }

    public String bootstrapServers() {
        return host + ":" + port;
    }

    /** Formats on first use, starts, and returns once the broker answers a metadata request. */
    public void start(Duration timeout) {
        Instant started = Instant.now();
        try {
            Files.createDirectories(directory);
            Path logs = directory.resolve("logs");
            Path controllerPortFile = directory.resolve("controller.port");
            int controllerPort;
            if (Files.exists(controllerPortFile)) {
                controllerPort = Integer.parseInt(Files.readString(controllerPortFile).trim());
            } else {
                controllerPort = freePort();
                Files.writeString(controllerPortFile, Integer.toString(controllerPort));
            }
            Map<String, Object> properties = new HashMap<>();
            properties.put("process.roles", "broker,controller");
            properties.put("node.id", "1");
            properties.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            String listeners = "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://127.0.0.1:" + controllerPort;
            String advertised = "PLAINTEXT://" + host + ":" + port;
            String protocols = "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT";
            if (saslListener.isPresent()) {
                SaslPlainListener sasl = saslListener.get();
                listeners += ",SASL_PLAINTEXT://" + host + ":" + sasl.port();
                advertised += ",SASL_PLAINTEXT://" + host + ":" + sasl.port();
                protocols += ",SASL_PLAINTEXT:SASL_PLAINTEXT";
                StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
                sasl.users().forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
                properties.put("listener.name.sasl_plaintext.sasl.enabled.mechanisms", "PLAIN");
                properties.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", jaas.append(';').toString());
                properties.put("sasl.enabled.mechanisms", "PLAIN");
            }
            properties.put("listeners", listeners);
            properties.put("advertised.listeners", advertised);
            properties.put("controller.listener.names", "CONTROLLER");
            properties.put("inter.broker.listener.name", "PLAINTEXT");
            properties.put("listener.security.protocol.map", protocols);
            properties.put("log.dirs", logs.toString());
            properties.put("offsets.topic.replication.factor", "1");
            properties.put("transaction.state.log.replication.factor", "1");
            properties.put("transaction.state.log.min.isr", "1");
            properties.put("group.initial.rebalance.delay.ms", "0");
            properties.put("auto.create.topics.enable", "false");
            properties.put("num.partitions", "1");
            properties.put("default.replication.factor", "1");
            properties.put("log.flush.interval.messages", "1");
            KafkaConfig config = new KafkaConfig(properties, false);
            if (!Files.exists(logs.resolve("meta.properties"))) {
                Formatter formatter = new Formatter()
                        .setPrintStream(new PrintStream(PrintStream.nullOutputStream(), true, StandardCharsets.UTF_8))
                        .setNodeId(1)
                        .setClusterId(Uuid.randomUuid().toString())
                        .setDirectories(List.of(logs.toString()))
                        .setMetadataLogDirectory(logs.toString())
                        .setControllerListenerName("CONTROLLER")
                        .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                        .setReleaseVersion(MetadataVersion.latestProduction());
                formatter.run();
            }
            server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new SluiceException(ErrorCode.SYSTEM_ERROR, "cannot start the embedded Kafka broker on " + bootstrapServers() + ": " + e.getMessage(), e)
                    .withHint("Choose another port with --embedded-kafka-port, or use an existing cluster with --kafka.");
        } catch (Exception e) {
            throw new SluiceException(ErrorCode.SYSTEM_ERROR, "cannot format the embedded Kafka broker's storage: " + e.getMessage(), e);
        }
        awaitReady(timeout);
        LOG.info("embedded Kafka broker ready on {} after {} ms", bootstrapServers(), Duration.between(started, Instant.now()).toMillis());
    }

    private void awaitReady(Duration timeout) {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", bootstrapServers());
        Instant deadline = Instant.now().plus(timeout);
        try (Admin admin = Admin.create(properties)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new SluiceException(ErrorCode.SYSTEM_ERROR, "the embedded Kafka broker did not become ready within " + timeout);
                    }
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }
}
