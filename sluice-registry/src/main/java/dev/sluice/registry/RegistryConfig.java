package dev.sluice.registry;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * Where a schema registry listens and keeps its data.
 *
 * @param port 0 for any free port ({@link SchemaRegistryServer#port()} tells which)
 * @param dataDir everything the registry stores lives here; one registry per directory
 * @param portOption the command-line option that sets the port, named in the error when the port is busy
 */
public record RegistryConfig(String host, int port, Path dataDir, String portOption) {
    public RegistryConfig {
        requireNonNull(host, "host is null");
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(portOption, "portOption is null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }
}
