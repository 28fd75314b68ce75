package dev.sluice.sql.query;

import java.util.List;
import java.util.Optional;

/** The relations visible to queries, by schema; implemented by the server over its catalog. */
public interface RelationResolver {
    List<String> schemaNames();

    List<String> relationNames(String schema);

    Optional<ResolvedRelation> resolve(String schema, String name);

    /** Schemas searched, in order, for an unqualified name. */
    List<String> searchPath();
}
