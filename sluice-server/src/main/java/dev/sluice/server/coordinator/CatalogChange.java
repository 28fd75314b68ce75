package dev.sluice.server.coordinator;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.type.RelationDesc;
import dev.sluice.server.catalog.Catalog;
import dev.sluice.server.catalog.StoredItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one DDL statement changes, applied atomically by the coordinator: the new catalog snapshot,
 * the catalog rows to write and retract, and the storage collections to create or drop — all in
 * one durable storage batch.
 */
public final class CatalogChange {
    private final Catalog newCatalog;
    private final List<StoredItem> added = new ArrayList<>();
    private final List<StoredItem> removed = new ArrayList<>();
    private final List<CreatedCollection> createdCollections = new ArrayList<>();
    private final List<String> droppedCollections = new ArrayList<>();
    private final List<Runnable> afterCommit = new ArrayList<>();
    private Optional<String> notice = Optional.empty();

    /** A storage collection created by the change. */
    public record CreatedCollection(String id, RelationDesc desc) {
        public CreatedCollection {
            requireNonNull(id, "id is null");
            requireNonNull(desc, "desc is null");
        }
    }

    public CatalogChange(Catalog newCatalog) {
        this.newCatalog = requireNonNull(newCatalog, "newCatalog is null");
    }

    public CatalogChange add(StoredItem item) {
        added.add(item);
        return this;
    }

    public CatalogChange remove(StoredItem item) {
        removed.add(item);
        return this;
    }

    public CatalogChange createCollection(String id, RelationDesc desc) {
        createdCollections.add(new CreatedCollection(id, desc));
        return this;
    }

    public CatalogChange dropCollection(String id) {
        droppedCollections.add(id);
        return this;
    }

    /** Runs after the change is durable and the new catalog is visible (e.g. starting a sink). */
    public CatalogChange afterCommit(Runnable action) {
        afterCommit.add(action);
        return this;
    }

    public CatalogChange withNotice(String message) {
        notice = Optional.of(message);
        return this;
    }

    public Catalog newCatalog() {
        return newCatalog;
    }

    public List<StoredItem> added() {
        return List.copyOf(added);
    }

    public List<StoredItem> removed() {
        return List.copyOf(removed);
    }

    public List<CreatedCollection> createdCollections() {
        return List.copyOf(createdCollections);
    }

    public List<String> droppedCollections() {
        return List.copyOf(droppedCollections);
    }

    public List<Runnable> afterCommitActions() {
        return List.copyOf(afterCommit);
    }

    public Optional<String> notice() {
        return notice;
    }
}
