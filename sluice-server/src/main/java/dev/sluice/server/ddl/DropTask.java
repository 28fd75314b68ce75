package dev.sluice.server.ddl;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.server.catalog.Catalog;
import dev.sluice.server.catalog.CatalogItem;
import dev.sluice.server.catalog.Comment;
import dev.sluice.server.catalog.ObjectType;
import dev.sluice.server.catalog.StoredItem;
import dev.sluice.server.coordinator.Coordinator;
import dev.sluice.sql.ast.QualifiedName;
import dev.sluice.sql.ast.Statement;
import dev.sluice.storage.SnapshotCursor;
import dev.sluice.storage.Storage;
import dev.sluice.storage.WriteBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/** {@code DROP TABLE | SECRET | CONNECTION | SINK [IF EXISTS] …}: refused while another object depends on it. */
public final class DropTask {
    private DropTask() {
    }

    public static Coordinator.DdlResult plan(Catalog catalog, Statement.Drop statement, Storage storage, Consumer<String> onDroppedSink) {
        ObjectType type = switch (statement.kind()) {
            case TABLE -> ObjectType.TABLE;
            case SECRET -> ObjectType.SECRET;
            case CONNECTION -> ObjectType.CONNECTION;
            case SINK -> ObjectType.SINK;
            default -> throw SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED, "DROP %s is not supported",
                    statement.kind().name().replace('_', ' '));
        };
        if (statement.cascade()) {
            throw new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED, "DROP ... CASCADE is not supported")
                    .withHint("Drop the dependent objects first.");
        }
        Catalog next = catalog;
        WriteBatch batch = new WriteBatch();
        List<Runnable> after = new ArrayList<>();
        List<String> notices = new ArrayList<>();
        for (QualifiedName name : statement.names()) {
            Optional<CatalogItem> found = next.lookup(name.parts());
            if (found.isEmpty() || found.get().type() != type) {
                if (found.isEmpty() && statement.ifExists()) {
                    notices.add(type.word() + " \"" + name + "\" does not exist, skipping");
                    continue;
                }
                if (found.isEmpty()) {
                    ErrorCode code = type == ObjectType.TABLE ? ErrorCode.UNDEFINED_TABLE : ErrorCode.UNDEFINED_OBJECT;
                    throw SluiceException.of(code, "unknown catalog item '%s'", name);
                }
                throw SluiceException.of(ErrorCode.WRONG_OBJECT_TYPE, "\"%s\" is a %s not a %s", found.get().qualifiedName(),
                        found.get().type().word(), type.word()).withHint("Use DROP " + found.get().type().name() + " to remove a "
                                + found.get().type().word() + ".");
            }
            CatalogItem item = found.get();
            List<CatalogItem> dependents = next.dependents(item.id());
            if (!dependents.isEmpty()) {
                CatalogItem dependent = dependents.get(0);
                throw SluiceException.of(ErrorCode.DEPENDENT_OBJECTS_STILL_EXIST, "cannot drop %s \"%s\": still depended upon by %s \"%s\"",
                        type.word(), item.qualifiedName(), dependent.type().word(), dependent.qualifiedName())
                        .withHint("Drop " + dependent.type().word() + " \"" + dependent.name() + "\" first.");
            }
            batch.add(StoredItem.COLLECTION_ID, storedRow(storage, item.id()), -1);
            for (Comment comment : next.commentsOn(item.id())) {
                batch.add(StoredItem.COLLECTION_ID, comment.stored().toRow(), -1);
            }
            if (type == ObjectType.TABLE) {
                batch.drop(item.id());
            }
            if (type == ObjectType.SINK) {
                String sinkId = item.id();
                after.add(() -> onDroppedSink.accept(sinkId));
            }
            next = next.without(item.id());
        }
        return new Coordinator.DdlResult(next, batch, after, notices.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", notices)));
    }

    /** The catalog row of {@code id} exactly as stored, to retract it. */
    private static dev.sluice.common.value.Row storedRow(Storage storage, String id) {
        try (SnapshotCursor cursor = storage.snapshot(StoredItem.COLLECTION_ID, storage.upper() - 1)) {
            while (cursor.hasNext()) {
                var row = cursor.next().row();
                if (id.equals(row.get(0))) {
                    return row;
                }
            }
        }
        throw SluiceException.internal(new IllegalStateException("catalog row of " + id.toLowerCase(Locale.ROOT) + " not found"));
    }
}
