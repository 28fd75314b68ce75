package dev.sluice.server.session;

import dev.sluice.server.catalog.Catalog;
import dev.sluice.server.system.SystemCatalog;
import dev.sluice.sql.query.QueryEngine;
import dev.sluice.sql.query.RelationResolver;
import dev.sluice.sql.query.ResolvedRelation;
import java.util.List;
import java.util.Optional;

/** Query engines outside a session. */
public final class Sessions {
    private Sessions() {
    }

    /**
     * An engine for planning stored catalog entries while the catalog loads: expressions there
     * (DEFAULT values) read no relation, so the resolver has schemas but no relations.
     */
    public static QueryEngine engineFor(Catalog catalog) {
        return new QueryEngine(new RelationResolver() {
            @Override
            public List<String> schemaNames() {
                return SystemCatalog.schemaNames();
            }

            @Override
            public List<String> relationNames(String schema) {
                return List.of();
            }

            @Override
            public Optional<ResolvedRelation> resolve(String schema, String name) {
                return Optional.empty();
            }

            @Override
            public List<String> searchPath() {
                return List.of(Catalog.SCHEMA);
            }
        });
    }
}
