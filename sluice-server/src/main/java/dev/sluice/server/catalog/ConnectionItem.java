package dev.sluice.server.catalog;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/** A connection to a Kafka cluster or a schema registry. */
public record ConnectionItem(String id, String name, ConnectionDetails details, String createSql) implements CatalogItem {
    public ConnectionItem {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(details, "details is null");
        requireNonNull(createSql, "createSql is null");
    }

    @Override
    public ObjectType type() {
        return ObjectType.CONNECTION;
    }

    @Override
    public Set<String> dependencies() {
        return details.secretIds();
    }

    /** {@code kafka} or {@code confluent-schema-registry}, as in {@code mz_connections.type}. */
    public String connectionType() {
        return details instanceof ConnectionDetails.Kafka ? "kafka" : "confluent-schema-registry";
    }
}
