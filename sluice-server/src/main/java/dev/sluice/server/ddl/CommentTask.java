package dev.sluice.server.ddl;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.server.catalog.Catalog;
import dev.sluice.server.catalog.CatalogItem;
import dev.sluice.server.catalog.Comment;
import dev.sluice.server.catalog.ConnectionItem;
import dev.sluice.server.catalog.ObjectType;
import dev.sluice.server.catalog.SecretItem;
import dev.sluice.server.catalog.SinkItem;
import dev.sluice.server.catalog.StoredItem;
import dev.sluice.server.catalog.TableItem;
import dev.sluice.server.coordinator.Coordinator;
import dev.sluice.sql.ast.Statement;
import dev.sluice.storage.WriteBatch;
import java.util.List;
import java.util.Optional;

/**
 * {@code COMMENT ON TABLE | COLUMN | SINK | CONNECTION | SECRET … IS 'text' | NULL}: the comment is
 * stored in the catalog (its own row, durable with the statement), shown in
 * {@code mz_internal.mz_comments} and {@code pg_description}, and documents the Avro schemas of
 * sinks created afterwards (reference §2.4.1 item 12).
 */
public final class CommentTask {
    private CommentTask() {
    }

    public static Coordinator.DdlResult plan(Catalog catalog, Statement.CommentOn statement) {
        Comment.Target target = target(catalog, statement);
        WriteBatch batch = new WriteBatch();
        Optional<Comment> previous = catalog.comment(target);
        previous.ifPresent(comment -> batch.add(StoredItem.COLLECTION_ID, comment.stored().toRow(), -1));
        Catalog next = catalog.withoutComment(target);
        if (statement.comment().isPresent()) {
            Comment comment = new Comment(target, statement.comment().get());
            batch.add(StoredItem.COLLECTION_ID, comment.stored().toRow(), 1);
            next = next.withComment(comment);
        }
        return new Coordinator.DdlResult(next, batch, List.of(), Optional.empty());
    }

    private static Comment.Target target(Catalog catalog, Statement.CommentOn statement) {
        List<String> parts = statement.target().parts();
        return switch (statement.kind()) {
            case TABLE -> new Comment.Target(catalog.resolve(parts, TableItem.class, ObjectType.TABLE).id(), 0);
            case SINK -> new Comment.Target(catalog.resolve(parts, SinkItem.class, ObjectType.SINK).id(), 0);
            case CONNECTION -> new Comment.Target(catalog.resolve(parts, ConnectionItem.class, ObjectType.CONNECTION).id(), 0);
            case SECRET -> new Comment.Target(catalog.resolve(parts, SecretItem.class, ObjectType.SECRET).id(), 0);
            case COLUMN -> {
                if (parts.size() < 2) {
                    throw new SluiceException(ErrorCode.SYNTAX_ERROR, "column name must be qualified with a relation name")
                            .withHint("Write COMMENT ON COLUMN table.column IS '…'.");
                }
                List<String> relation = parts.subList(0, parts.size() - 1);
                CatalogItem item = catalog.resolve(relation, TableItem.class, ObjectType.TABLE);
                String column = parts.get(parts.size() - 1);
                int index = ((TableItem) item).desc().indexOf(column).orElseThrow(() -> SluiceException.of(ErrorCode.UNDEFINED_COLUMN,
                        "column \"%s.%s\" does not exist", String.join(".", relation), column));
                yield new Comment.Target(item.id(), index + 1);
            }
            default -> throw SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED, "COMMENT ON %s is not supported",
                    statement.kind().name().replace('_', ' '));
        };
    }
}
