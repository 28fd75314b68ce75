package dev.sluice.registry;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Each test gets a fresh registry on an ephemeral port in its own data directory, and can restart it. */
abstract class RegistryTestBase {
    @TempDir
    Path dataDir;
    SchemaRegistryServer server;
    RegistryHttp http;

    @BeforeEach
    void startRegistry() {
        start();
    }

    @AfterEach
    void stopRegistry() {
        if (server != null) {
            server.close();
        }
    }

    void start() {
        server = SchemaRegistryServer.start(new RegistryConfig("127.0.0.1", 0, dataDir, "--port"));
        http = new RegistryHttp(server.url());
    }

    /** Closes the registry and opens it again on the same data directory. */
    void restart() {
        server.close();
        start();
    }
}
