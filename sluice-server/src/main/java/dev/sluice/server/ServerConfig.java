package dev.sluice.server;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything {@code ./sluice start} can be told.
 *
 * @param dataDir everything durable lives here
 * @param kafkaBootstrap an existing cluster; empty means "start the embedded broker"
 * @param environmentId the REGION ID of default names; empty means "generated once, kept in the catalog"
 * @param schemaRegistryPort the built-in schema registry's port; empty means "do not serve one"
 */
public record ServerConfig(
        Path dataDir,
        String host,
        int pgwirePort,
        int httpPort,
        Optional<String> kafkaBootstrap,
        int embeddedKafkaPort,
        Optional<String> environmentId,
        Optional<Integer> schemaRegistryPort) {
    public ServerConfig {
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(host, "host is null");
        requireNonNull(kafkaBootstrap, "kafkaBootstrap is null");
        requireNonNull(environmentId, "environmentId is null");
        requireNonNull(schemaRegistryPort, "schemaRegistryPort is null");
    }
}
