package dev.sluice.server.ddl;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.Column;
import dev.sluice.common.type.RelationDesc;
import dev.sluice.common.value.Row;
import dev.sluice.sql.ast.Statement;
import dev.sluice.server.catalog.Catalog;
import dev.sluice.server.catalog.CatalogItem;
import dev.sluice.server.catalog.StoredItem;
import dev.sluice.server.catalog.TableItem;
import dev.sluice.server.coordinator.Coordinator;
import dev.sluice.sql.query.QueryContext;
import dev.sluice.storage.WriteBatch;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code CREATE TABLE}: columns, NOT NULL, DEFAULT, PRIMARY KEY (a known unique key, enforced on write). */
public final class CreateTableTask {
    private CreateTableTask() {
    }

    public static Coordinator.DdlResult plan(Catalog catalog, Statement.CreateTable statement, DdlContext context) {
        Names.checkSchema(statement.name());
        String name = statement.name().last();
        Optional<CatalogItem> existing = catalog.byName(name);
        if (existing.isPresent()) {
            if (statement.ifNotExists()) {
                return Coordinator.DdlResult.noop(catalog, "relation \"" + name + "\" already exists, skipping");
            }
            throw SluiceException.of(ErrorCode.DUPLICATE_TABLE, "relation \"%s\" already exists", existing.get().qualifiedName());
        }
        String id = catalog.peekNextId();
        TableItem table = build(id, statement, context);
        WriteBatch batch = new WriteBatch()
                .create(id, table.desc())
                .add(StoredItem.COLLECTION_ID, stored(table).toRow(), 1);
        return new Coordinator.DdlResult(catalog.with(table), batch, List.of(), Optional.empty());
    }

    static StoredItem stored(TableItem table) {
        var body = StoredItem.newBody();
        body.put("name", table.name());
        body.put("create_sql", table.createSql());
        return new StoredItem(table.id(), "table", body);
    }

    /** Builds the table from its statement: used at CREATE and when the catalog is loaded. */
    public static TableItem build(String id, Statement.CreateTable statement, DdlContext context) {
        List<Column> columns = new ArrayList<>();
        List<Optional<String>> defaults = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        if (statement.columns().isEmpty()) {
            throw new SluiceException(ErrorCode.INVALID_OBJECT_DEFINITION, "a table must have at least one column");
        }
        for (Statement.ColumnDefinition column : statement.columns()) {
            if (!seen.add(column.name())) {
                throw SluiceException.of(ErrorCode.DUPLICATE_COLUMN, "column \"%s\" specified more than once", column.name())
                        .withPosition(column.position());
            }
            columns.add(new Column(column.name(), column.type(), !column.notNull()));
            defaults.add(column.defaultValue().map(fragment -> fragment.text().strip()));
        }
        List<Integer> primaryKey = new ArrayList<>();
        for (String keyColumn : statement.primaryKey()) {
            int index = -1;
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).name().equals(keyColumn)) {
                    index = i;
                }
            }
            if (index < 0) {
                throw SluiceException.of(ErrorCode.UNDEFINED_COLUMN, "column \"%s\" named in key does not exist", keyColumn);
            }
            if (primaryKey.contains(index)) {
                throw SluiceException.of(ErrorCode.DUPLICATE_COLUMN, "column \"%s\" appears twice in primary key constraint", keyColumn);
            }
            primaryKey.add(index);
            Column column = columns.get(index);
            columns.set(index, new Column(column.name(), column.type(), false));
        }
        RelationDesc desc = new RelationDesc(columns, primaryKey.isEmpty() ? List.of() : List.of(primaryKey));
        for (int i = 0; i < defaults.size(); i++) {
            if (defaults.get(i).isPresent()) {
                // Compile and evaluate now, so that a bad DEFAULT (a wrong type, 'x' for an integer) fails CREATE TABLE and
                // not the first INSERT. Only at CREATE: a stored default is not re-evaluated when the catalog is loaded.
                var compiled = context.engine().compileExpression(defaults.get(i).get(), List.of(), Optional.of(columns.get(i).type()));
                if (context.validateExternally()) {
                    compiled.evaluate(Row.EMPTY, List.of(), new QueryContext(0, Map.of()));
                }
            }
        }
        String name = statement.name().last();
        return new TableItem(id, name, desc, defaults, !primaryKey.isEmpty(), CanonicalSql.table(name, desc, defaults, primaryKey));
    }
}
