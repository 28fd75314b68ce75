package dev.sluice.registry;

import dev.sluice.common.error.SluiceException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the schema registry as a process of its own:
 * {@code java -cp … dev.sluice.registry.RegistryMain --data-dir DIR [--port N] [--host H]}.
 * It serves until SIGTERM (or SIGKILL: nothing answered is lost).
 */
public final class RegistryMain {
    private static final String USAGE = "usage: RegistryMain --data-dir DIR [--port N (default 8081)] [--host H (default 127.0.0.1)]";

    private RegistryMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        String host = "127.0.0.1";
        int port = 8081;
        Path dataDir = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                System.out.println(USAGE);
                return;
            }
            if (i + 1 >= args.length) {
                fail("missing value for " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--host" -> host = value;
                case "--data-dir" -> dataDir = Path.of(value);
                case "--port" -> port = parsePort(value);
                default -> fail("unknown option " + option);
            }
        }
        if (dataDir == null) {
            fail("--data-dir is required");
        }
        SchemaRegistryServer server;
        try {
            server = SchemaRegistryServer.start(new RegistryConfig(host, port, dataDir, "--port"));
        } catch (SluiceException e) {
            System.err.println("error: " + e.getMessage() + e.hint().map(hint -> "\nhint: " + hint).orElse(""));
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        System.out.println("Schema registry listening on " + server.url() + " (data in " + dataDir.toAbsolutePath() + ")");
        stopped.await();
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        fail("--port must be a number from 0 to 65535, not " + value);
        return -1;
    }

    private static void fail(String message) {
        System.err.println("error: " + message);
        System.err.println(USAGE);
        System.exit(2);
    }
}
