package dev.sluice.server.ddl;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.server.catalog.Catalog;
import dev.sluice.server.catalog.CatalogItem;
import dev.sluice.server.catalog.StoredItem;
import dev.sluice.sql.ast.Statement;
import dev.sluice.sql.parser.StatementParser;
import java.util.function.Function;

/**
 * Plans stored catalog entries again on startup, with the same code that planned them at CREATE
 * (without talking to external systems).
 */
public final class Planner {
    private final Function<Catalog, DdlContext> replanContext;

    /** {@code replanContext} gives the context used to re-plan (a query engine over the catalog being loaded). */
    public Planner(Function<Catalog, DdlContext> replanContext) {
        this.replanContext = replanContext;
    }

    public CatalogItem replan(Catalog catalog, StoredItem item) {
        switch (item.kind()) {
            case "table": {
                Statement.CreateTable statement = (Statement.CreateTable) StatementParser.parse(item.text("create_sql"));
                return CreateTableTask.build(item.id(), statement, replanContext.apply(catalog));
            }
            case "secret":
                return SecretTasks.load(item);
            case "connection": {
                Statement.CreateConnection statement = (Statement.CreateConnection) StatementParser.parse(item.text("create_sql"));
                return CreateConnectionTask.build(catalog, item.id(), statement);
            }
            case "sink":
                return dev.sluice.server.sink.SinkManager.replan(catalog, item, replanContext.apply(catalog));
            default:
                throw SluiceException.of(ErrorCode.INTERNAL_ERROR, "internal error: unknown catalog entry kind %s", item.kind());
        }
    }
}
