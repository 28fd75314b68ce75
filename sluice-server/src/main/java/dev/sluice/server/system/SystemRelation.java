package dev.sluice.server.system;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.type.Column;
import dev.sluice.common.type.RelationDesc;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.value.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A read-only relation computed from the server's state on every scan: the catalog tables of
 * {@code mz_catalog}, {@code mz_internal}, {@code pg_catalog} and {@code information_schema}.
 */
public record SystemRelation(String schema, String name, long oid, RelationDesc desc, Function<SystemState, List<Row>> rows) {
    public SystemRelation {
        requireNonNull(schema, "schema is null");
        requireNonNull(name, "name is null");
        requireNonNull(desc, "desc is null");
        requireNonNull(rows, "rows is null");
    }

    /** The id under which queries see this relation, e.g. {@code s:mz_catalog.mz_tables}. */
    public String id() {
        return "s:" + schema + "." + name;
    }

    /** Builds a description column by column: {@code columns("id", TEXT, "oid", UINT4, ...)}; all nullable. */
    static RelationDesc columns(Object... namesAndTypes) {
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            columns.add(new Column((String) namesAndTypes[i], (SqlType) namesAndTypes[i + 1], true));
        }
        return RelationDesc.of(columns);
    }
}
