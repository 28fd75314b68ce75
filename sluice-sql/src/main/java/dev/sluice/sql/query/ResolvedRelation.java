package dev.sluice.sql.query;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.type.RelationDesc;

/** A relation a query may read: its identity, shape and rows. */
public record ResolvedRelation(String id, String schema, String name, RelationDesc desc, RowSource rows) {
    public ResolvedRelation {
        requireNonNull(id, "id is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(name, "name is null");
        requireNonNull(desc, "desc is null");
        requireNonNull(rows, "rows is null");
    }
}
