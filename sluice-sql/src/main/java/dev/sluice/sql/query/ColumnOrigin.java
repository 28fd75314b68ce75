package dev.sluice.sql.query;

import static java.util.Objects.requireNonNull;

/**
 * Where a result column comes from, when it is a table's column passed through unchanged (what a
 * PostgreSQL RowDescription reports as table OID and attribute number, and what pgJDBC's
 * {@code ResultSetMetaData} looks up for nullability and the table name).
 *
 * @param relationId the id of the relation ({@link ResolvedRelation#id()})
 * @param column the column's position in the relation, 1-based
 */
public record ColumnOrigin(String relationId, int column) {
    public ColumnOrigin {
        requireNonNull(relationId, "relationId is null");
    }
}
