package dev.sluice.sql.query;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * What an execution reads at: the timestamp of table snapshots, the session's settings, and what the
 * catalog functions need to know about the catalog.
 */
public record QueryContext(long asOf, Map<String, String> sessionVariables, CatalogFunctions catalog) {
    public QueryContext {
        sessionVariables = Map.copyOf(requireNonNull(sessionVariables, "sessionVariables is null"));
        requireNonNull(catalog, "catalog is null");
    }

    /** A context whose catalog has no indexes or constraints (expressions that never read the catalog). */
    public QueryContext(long asOf, Map<String, String> sessionVariables) {
        this(asOf, sessionVariables, CatalogFunctions.NONE);
    }
}
