package dev.sluice.server.catalog;

import java.util.Set;

/**
 * One named object in the catalog. Items are persisted as their {@code CREATE} statement plus a
 * few facts that planning cannot recompute (ids, {@code as_of}, versions); on startup the
 * statements are planned again, in id order, so the stored form stays small and stable.
 */
public sealed interface CatalogItem permits TableItem, SecretItem, ConnectionItem, SinkItem {
    /** The catalog id, {@code u1}, {@code u2}, ... */
    String id();

    String name();

    ObjectType type();

    /** The canonical {@code CREATE} statement (never containing a secret's value). */
    String createSql();

    /** Ids of the items this one uses; an item cannot be dropped while another depends on it. */
    Set<String> dependencies();

    default String qualifiedName() {
        return Catalog.DATABASE + "." + Catalog.SCHEMA + "." + name();
    }
}
