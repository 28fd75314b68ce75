package dev.sluice.server.launch;

import dev.sluice.common.error.SluiceException;
import dev.sluice.server.ServerConfig;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.kafka.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice start [flags]}: runs Sluice in the foreground until SIGTERM. */
@Command(name = "sluice", mixinStandardHelpOptions = true, version = "Sluice 0.1.0",
        description = "A streaming SQL database that keeps Kafka topics exactly in sync with SQL tables.",
        subcommands = {Main.Start.class})
public final class Main implements Callable<Integer> {
    public static void main(String[] args) {
        int exit = new CommandLine(new Main()).execute(args);
        if (exit != 0 || args.length == 0 || !args[0].equals("start")) {
            System.exit(exit);
        }
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    /** The server's flags. */
    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start Sluice in the foreground.")
    static final class Start implements Callable<Integer> {
        @Option(names = "--data-dir", defaultValue = "./sluice-data", description = "Where everything durable lives (default: ${DEFAULT-VALUE}).")
        Path dataDir;

        @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
        String host;

        @Option(names = "--pgwire-port", defaultValue = "6875", description = "PostgreSQL protocol port (default: ${DEFAULT-VALUE}).")
        int pgwirePort;

        @Option(names = "--http-port", defaultValue = "6876", description = "HTTP port for /health and /metrics (default: ${DEFAULT-VALUE}).")
        int httpPort;

        @Option(names = "--kafka", description = "Bootstrap servers of an existing Kafka or Redpanda cluster; without it an embedded broker starts.")
        String kafka;

        @Option(names = "--embedded-kafka-port", defaultValue = "9092", description = "Port of the embedded broker (default: ${DEFAULT-VALUE}).")
        int embeddedKafkaPort;

        @Option(names = "--environment-id", description = "The REGION ID of default Kafka names; generated once and kept otherwise.")
        String environmentId;

        @Option(names = "--schema-registry-port", defaultValue = "8081", description = "Port of the built-in schema registry (default: ${DEFAULT-VALUE}).")
        int schemaRegistryPort;

        @Option(names = "--no-schema-registry", description = "Do not serve the built-in schema registry.")
        boolean noSchemaRegistry;

        @Override
        public Integer call() throws Exception {
            Files.createDirectories(dataDir);
            System.setProperty("sluice.logFile", dataDir.resolve("sluice.log").toAbsolutePath().toString());
            ServerConfig config = new ServerConfig(dataDir, host, pgwirePort, httpPort, Optional.ofNullable(kafka), embeddedKafkaPort,
                    Optional.ofNullable(environmentId), noSchemaRegistry ? Optional.empty() : Optional.of(schemaRegistryPort));
            EmbeddedKafka embedded = null;
            SluiceServer server = null;
            try {
                String bootstrap = kafka;
                if (bootstrap == null) {
                    embedded = new EmbeddedKafka(dataDir.resolve("kafka"), host, embeddedKafkaPort);
                    embedded.start(Duration.ofSeconds(60));
                    bootstrap = embedded.bootstrapServers();
                }
                server = new SluiceServer(config, bootstrap);
                server.start();
            } catch (SluiceException e) {
                System.err.println("error: " + e.getMessage() + e.hint().map(hint -> "\nhint: " + hint).orElse(""));
                if (server != null) {
                    server.close();
                }
                if (embedded != null) {
                    embedded.close();
                }
                return 1;
            }
            SluiceServer running = server;
            EmbeddedKafka broker = embedded;
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                running.close();
                if (broker != null) {
                    broker.close();
                }
                stopped.countDown();
            }, "shutdown"));
            System.out.println();
            System.out.println("Sluice is running.");
            System.out.println("  Connect:         psql -h " + host + " -p " + running.pgwirePort() + " -U materialize materialize");
            System.out.println("  Kafka bootstrap: " + running.kafkaBootstrap());
            System.out.println("  Health/metrics:  http://" + host + ":" + running.httpPort() + "/health, /metrics");
            System.out.println("  Schema registry: " + running.schemaRegistryUrl().orElse("off (--no-schema-registry)"));
            System.out.println("  Data directory:  " + dataDir.toAbsolutePath());
            System.out.println();
            stopped.await();
            return 0;
        }
    }
}
