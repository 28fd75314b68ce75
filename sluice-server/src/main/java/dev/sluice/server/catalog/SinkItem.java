package dev.sluice.server.catalog;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A Kafka sink: what it reads ({@code fromId}), where it writes ({@code connectionId} and the plan),
 * the time its snapshot is read at ({@code asOf}) and its version (bumped by ALTER SINK).
 */
public record SinkItem(String id, String name, String fromId, String connectionId, Set<String> otherDependencies, SinkPlan plan,
        long asOf, long version, String createSql) implements CatalogItem {
    public SinkItem {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(fromId, "fromId is null");
        requireNonNull(connectionId, "connectionId is null");
        otherDependencies = Set.copyOf(requireNonNull(otherDependencies, "otherDependencies is null"));
        requireNonNull(plan, "plan is null");
        requireNonNull(createSql, "createSql is null");
    }

    @Override
    public ObjectType type() {
        return ObjectType.SINK;
    }

    @Override
    public Set<String> dependencies() {
        Set<String> ids = new LinkedHashSet<>();
        ids.add(fromId);
        ids.add(connectionId);
        ids.addAll(otherDependencies);
        return ids;
    }
}
