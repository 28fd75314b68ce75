package dev.sluice.server.catalog;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.type.RelationDesc;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A table: its columns, its primary key (the first unique key of {@code desc}, if declared), and
 * each column's DEFAULT expression text.
 */
public record TableItem(String id, String name, RelationDesc desc, List<Optional<String>> defaults, boolean hasPrimaryKey, String createSql)
        implements CatalogItem {
    public TableItem {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(desc, "desc is null");
        defaults = Collections.unmodifiableList(new ArrayList<>(requireNonNull(defaults, "defaults is null")));
        requireNonNull(createSql, "createSql is null");
        if (defaults.size() != desc.arity()) {
            throw new IllegalArgumentException("one default per column");
        }
    }

    @Override
    public ObjectType type() {
        return ObjectType.TABLE;
    }

    @Override
    public Set<String> dependencies() {
        return Set.of();
    }

    /** Column indexes of the primary key; empty without one. */
    public List<Integer> primaryKey() {
        return hasPrimaryKey ? desc.uniqueKeys().get(0) : List.of();
    }
}
