package dev.sluice.sql.query;

import java.util.Optional;

/**
 * What PostgreSQL's catalog functions need to know about the catalog a query runs against
 * ({@code pg_get_indexdef}, {@code pg_get_constraintdef}, {@code obj_description}); supplied per execution in the
 * {@link QueryContext}, so that several servers in one JVM each answer for their own catalog.
 */
public interface CatalogFunctions {
    /** A catalog with no indexes, no constraints and no comments. */
    CatalogFunctions NONE = new CatalogFunctions() {
    };

    /** {@code pg_get_indexdef(oid)}: {@code CREATE UNIQUE INDEX t_pkey ON public.t USING btree (id)}. */
    default Optional<String> indexDefinition(int indexOid) {
        return Optional.empty();
    }

    /** {@code pg_get_indexdef(oid, column, pretty)} for one column (1-based): its name. */
    default Optional<String> indexColumn(int indexOid, int column) {
        return Optional.empty();
    }

    /** {@code pg_get_constraintdef(oid)}: {@code PRIMARY KEY (id)}. */
    default Optional<String> constraintDefinition(int constraintOid) {
        return Optional.empty();
    }

    /** {@code COMMENT ON} text of a relation ({@code column} 0) or of its column (1-based), as {@code pg_description}. */
    default Optional<String> description(int objectOid, int column) {
        return Optional.empty();
    }
}
