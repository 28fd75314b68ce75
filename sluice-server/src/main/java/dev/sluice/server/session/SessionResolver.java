package dev.sluice.server.session;

import dev.sluice.common.value.Row;
import dev.sluice.server.catalog.Catalog;
import dev.sluice.server.catalog.CatalogItem;
import dev.sluice.server.catalog.TableItem;
import dev.sluice.server.coordinator.Coordinator;
import dev.sluice.server.coordinator.PendingWrites;
import dev.sluice.server.system.SystemCatalog;
import dev.sluice.server.system.SystemRelation;
import dev.sluice.server.system.SystemState;
import dev.sluice.sql.query.QueryContext;
import dev.sluice.sql.query.RelationResolver;
import dev.sluice.sql.query.ResolvedRelation;
import dev.sluice.storage.RowCount;
import dev.sluice.storage.SnapshotCursor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The relations one session's queries see: user tables read from storage snapshots (overlaid with
 * the session's uncommitted writes), and the system catalog computed from the current catalog.
 */
final class SessionResolver implements RelationResolver {
    private final Coordinator coordinator;
    private final Supplier<PendingWrites> pending;
    private final String user;
    private Catalog pinned;

    SessionResolver(Coordinator coordinator, Supplier<PendingWrites> pending, String user) {
        this.coordinator = coordinator;
        this.pending = pending;
        this.user = user;
    }

    /** Use a fixed catalog (e.g. one being loaded) instead of the coordinator's current one. */
    void pin(Catalog catalog) {
        this.pinned = catalog;
    }

    private Catalog catalog() {
        return pinned != null ? pinned : coordinator.catalog();
    }

    @Override
    public List<String> schemaNames() {
        return SystemCatalog.schemaNames();
    }

    @Override
    public List<String> relationNames(String schema) {
        if (schema.equals(Catalog.SCHEMA)) {
            return catalog().items(TableItem.class).stream().map(TableItem::name).toList();
        }
        return coordinator.systemCatalog().relations(schema).stream().map(SystemRelation::name).toList();
    }

    @Override
    public Optional<ResolvedRelation> resolve(String schema, String name) {
        if (schema.equals(Catalog.SCHEMA)) {
            Optional<CatalogItem> item = catalog().byName(name);
            if (item.isEmpty() || !(item.get() instanceof TableItem table)) {
                return Optional.empty();
            }
            return Optional.of(new ResolvedRelation(table.id(), schema, name, table.desc(), context -> scanTable(table, context)));
        }
        return coordinator.systemCatalog().relation(schema, name).map(relation -> new ResolvedRelation(relation.id(), schema, name,
                relation.desc(), context -> relation.rows().apply(new SystemState(catalog(), coordinator.sinkObservations(), user)).iterator()));
    }

    @Override
    public List<String> searchPath() {
        List<String> path = new ArrayList<>();
        path.add(Catalog.SCHEMA);
        path.addAll(SystemCatalog.SYSTEM_SCHEMAS);
        return path;
    }

    private Iterator<Row> scanTable(TableItem table, QueryContext context) {
        SnapshotCursor cursor = coordinator.storage().snapshot(table.id(), context.asOf());
        PendingWrites writes = pending.get();
        Map<Row, Long> overlay = writes == null ? Map.of() : new HashMap<>(writes.changes(table.id()));
        return new Iterator<>() {
            private Row row;
            private long remaining;
            private Iterator<Map.Entry<Row, Long>> extra;

            @Override
            public boolean hasNext() {
                while (remaining <= 0) {
                    if (extra == null) {
                        if (cursor.hasNext()) {
                            RowCount next = cursor.next();
                            Long adjustment = overlay.isEmpty() ? null : overlay.remove(next.row());
                            row = next.row();
                            remaining = next.count() + (adjustment == null ? 0 : adjustment);
                            continue;
                        }
                        cursor.close();
                        extra = overlay.isEmpty() ? Collections.emptyIterator() : overlay.entrySet().iterator();
                    }
                    if (!extra.hasNext()) {
                        return false;
                    }
                    Map.Entry<Row, Long> entry = extra.next();
                    row = entry.getKey();
                    remaining = entry.getValue();
                }
                return remaining > 0;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                remaining--;
                return row;
            }
        };
    }
}
