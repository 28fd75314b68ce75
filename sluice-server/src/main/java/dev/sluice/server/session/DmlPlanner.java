package dev.sluice.server.session;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.Column;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.value.Row;
import dev.sluice.common.value.codec.PgText;
import dev.sluice.common.value.codec.Values;
import dev.sluice.server.catalog.Catalog;
import dev.sluice.server.catalog.TableItem;
import dev.sluice.sql.ast.SqlFragment;
import dev.sluice.sql.ast.Statement;
import dev.sluice.sql.parser.Lexer;
import dev.sluice.sql.parser.Token;
import dev.sluice.sql.query.PreparedQuery;
import dev.sluice.sql.query.QueryContext;
import dev.sluice.sql.query.QueryEngine;
import dev.sluice.sql.query.internal.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns INSERT, UPDATE and DELETE into row changes. Literal and parameter cells of INSERT are
 * converted directly (exact for every type); other expressions, and the rows UPDATE and DELETE
 * touch, are computed by queries the query engine plans.
 */
final class DmlPlanner {
    private DmlPlanner() {
    }

    /** A planned DML statement: parameter types, and how to compute its changes. */
    interface PlannedDml {
        List<SqlType> parameterTypes();

        /** Row changes: (row, +1) inserts and (row, -1) deletes. */
        List<Map.Entry<Row, Long>> changes(List<Object> parameters, QueryContext context);

        TableItem table();

        String tag(long count);
    }

    /** How a statement computes its changes from its parameters, at the read time of {@code context}. */
    @FunctionalInterface
    private interface Changes {
        List<Map.Entry<Row, Long>> compute(List<Object> parameters, QueryContext context);
    }

    /** A planned statement on {@code table} whose tag is {@code tagPrefix} and the row count. */
    private record Planned(TableItem table, List<SqlType> parameterTypes, String tagPrefix, Changes how) implements PlannedDml {
        @Override
        public List<Map.Entry<Row, Long>> changes(List<Object> parameters, QueryContext context) {
            return how.compute(parameters, context);
        }

        @Override
        public String tag(long count) {
            return tagPrefix + count;
        }
    }

    static PlannedDml insert(Catalog catalog, QueryEngine engine, Statement.Insert insert, List<SqlType> declared) {
        TableItem table = table(catalog, insert.table().parts());
        if (insert.returning().isPresent()) {
            throw new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED, "INSERT ... RETURNING is not supported");
        }
        List<Integer> targets = targets(table, insert.columns());
        if (insert.query().isPresent()) {
            return insertQuery(table, engine, insert.query().get(), targets, declared);
        }
        List<List<Optional<SqlFragment>>> rows = insert.values().map(Statement.InsertValues::rows).orElse(List.of(List.of()));
        if (insert.defaultValues()) {
            targets = List.of();
        }
        List<List<Cell>> cells = new ArrayList<>();
        SqlType[] parameterTypes = new SqlType[countParameters(rows)];
        boolean direct = true;
        for (List<Optional<SqlFragment>> row : rows) {
            if (row.size() > targets.size()) {
                throw new SluiceException(ErrorCode.SYNTAX_ERROR, "INSERT has more expressions than target columns");
            }
            if (row.size() < targets.size()) {
                throw new SluiceException(ErrorCode.SYNTAX_ERROR, "INSERT has more target columns than expressions");
            }
            List<Cell> full = new ArrayList<>();
            for (int column = 0; column < table.desc().arity(); column++) {
                int position = targets.indexOf(column);
                Optional<SqlFragment> given = position < 0 ? Optional.empty() : row.get(position);
                Cell cell = given.isPresent() ? Cell.of(given.get().text(), table.desc().column(column).type(), parameterTypes)
                        : Cell.defaultOf(table, column);
                direct &= cell.isDirect();
                full.add(cell);
            }
            cells.add(full);
        }
        if (direct) {
            List<SqlType> types = new ArrayList<>();
            for (int i = 0; i < parameterTypes.length; i++) {
                types.add(i < declared.size() && declared.get(i) != null ? declared.get(i) : parameterTypes[i] == null ? SqlType.TEXT : parameterTypes[i]);
            }
            return new Planned(table, types, "INSERT 0 ", (parameters, context) -> {
                List<Map.Entry<Row, Long>> changes = new ArrayList<>();
                for (List<Cell> row : cells) {
                    Object[] values = new Object[row.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = row.get(i).value(parameters, types, table.desc().column(i).type(), engine, context);
                    }
                    changes.add(Map.entry(checkRow(table, values), 1L));
                }
                return changes;
            });
        }
        StringBuilder sql = new StringBuilder("VALUES ");
        for (int r = 0; r < cells.size(); r++) {
            sql.append(r == 0 ? "(" : ", (");
            for (int c = 0; c < cells.get(r).size(); c++) {
                if (c > 0) {
                    sql.append(", ");
                }
                sql.append(castExpression(cells.get(r).get(c).sql(), table.desc().column(c).type()));
            }
            sql.append(')');
        }
        PreparedQuery query = engine.prepare(sql.toString(), declared);
        return queryBacked(table, query, "INSERT 0 ", rowValues -> List.of(Map.entry(checkRow(table, convert(table, rowValues)), 1L)));
    }

    /** The indexes of the named columns, in the order named; every column in table order when none is named. */
    static List<Integer> targets(TableItem table, List<String> columns) {
        List<Integer> targets = new ArrayList<>();
        if (columns.isEmpty()) {
            for (int i = 0; i < table.desc().arity(); i++) {
                targets.add(i);
            }
            return targets;
        }
        Set<String> seen = new HashSet<>();
        for (String column : columns) {
            int index = table.desc().indexOf(column).orElseThrow(() -> SluiceException.of(ErrorCode.UNDEFINED_COLUMN,
                    "column \"%s\" of relation \"%s\" does not exist", column, table.name()));
            if (!seen.add(column)) {
                throw SluiceException.of(ErrorCode.DUPLICATE_COLUMN, "column \"%s\" specified more than once", column);
            }
            targets.add(index);
        }
        return targets;
    }

    /**
     * The insertion of rows a COPY read: {@code rows} hold the values of the {@code targets} columns, in that order;
     * every other column gets its DEFAULT (evaluated per row, as INSERT does) or NULL.
     */
    static PlannedDml copied(TableItem table, List<Integer> targets, List<Object[]> rows, QueryEngine engine) {
        return new Planned(table, List.of(), "COPY ", (parameters, context) -> {
            int arity = table.desc().arity();
            int[] positions = new int[arity];
            java.util.Arrays.fill(positions, -1);
            for (int i = 0; i < targets.size(); i++) {
                positions[targets.get(i)] = i;
            }
            QueryEngine.CompiledExpression[] defaults = new QueryEngine.CompiledExpression[arity];
            for (int column = 0; column < arity; column++) {
                Optional<String> expression = table.defaults().get(column);
                if (positions[column] < 0 && expression.isPresent()) {
                    defaults[column] = engine.compileExpression(expression.get(), List.of(), Optional.of(table.desc().column(column).type()));
                }
            }
            List<Map.Entry<Row, Long>> changes = new ArrayList<>(rows.size());
            for (Object[] given : rows) {
                Object[] values = new Object[arity];
                for (int column = 0; column < arity; column++) {
                    values[column] = positions[column] >= 0 ? given[positions[column]]
                            : defaults[column] == null ? null : Cell.defaultValue(defaults[column], table.desc().column(column).type(), context);
                }
                changes.add(Map.entry(checkRow(table, values), 1L));
            }
            return changes;
        });
    }

    private static PlannedDml insertQuery(TableItem table, QueryEngine engine, SqlFragment source, List<Integer> targets, List<SqlType> declared) {
        PreparedQuery inner = engine.prepare(source.text(), declared);
        if (inner.resultColumns().size() != targets.size()) {
            throw new SluiceException(ErrorCode.SYNTAX_ERROR, inner.resultColumns().size() > targets.size()
                    ? "INSERT has more expressions than target columns" : "INSERT has more target columns than expressions");
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int column = 0; column < table.desc().arity(); column++) {
            if (column > 0) {
                sql.append(", ");
            }
            int position = targets.indexOf(column);
            String expression = position >= 0 ? "\"$q\".\"c" + position + "\"" : table.defaults().get(column).orElse("NULL");
            sql.append(castExpression(expression, table.desc().column(column).type()));
        }
        sql.append(" FROM (").append(source.text()).append(") AS \"$q\"(");
        for (int i = 0; i < targets.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("\"c").append(i).append('"');
        }
        sql.append(')');
        PreparedQuery query = engine.prepare(sql.toString(), declared);
        return queryBacked(table, query, "INSERT 0 ", rowValues -> List.of(Map.entry(checkRow(table, convert(table, rowValues)), 1L)));
    }

    static PlannedDml update(Catalog catalog, QueryEngine engine, Statement.Update update, List<SqlType> declared) {
        TableItem table = table(catalog, update.table().parts());
        int arity = table.desc().arity();
        int[] assigned = new int[arity];
        java.util.Arrays.fill(assigned, -1);
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < arity; i++) {
            sql.append(i == 0 ? "" : ", ").append(quote(table.desc().column(i).name()));
        }
        int extra = 0;
        for (Statement.Assignment assignment : update.assignments()) {
            int index = table.desc().indexOf(assignment.column()).orElseThrow(() -> SluiceException.of(ErrorCode.UNDEFINED_COLUMN,
                    "column \"%s\" of relation \"%s\" does not exist", assignment.column(), table.name()));
            if (assigned[index] >= 0) {
                throw SluiceException.of(ErrorCode.SYNTAX_ERROR, "multiple assignments to same column \"%s\"", assignment.column());
            }
            if (table.primaryKey().contains(index)) {
                // Allowed, but checked like any insert of the new key.
                assigned[index] = arity + extra;
            } else {
                assigned[index] = arity + extra;
            }
            String value = assignment.value().text().strip().equalsIgnoreCase("default")
                    ? table.defaults().get(index).orElse("NULL") : assignment.value().text();
            sql.append(", ").append(castExpression(value, table.desc().column(index).type()));
            extra++;
        }
        sql.append(" FROM ").append(tableReference(table)).append(update.alias().map(alias -> " AS " + quote(alias)).orElse(""));
        update.where().ifPresent(where -> sql.append(" WHERE ").append(where.text()));
        PreparedQuery query = engine.prepare(sql.toString(), declared);
        return queryBacked(table, query, "UPDATE ", values -> {
            Object[] before = java.util.Arrays.copyOf(values, arity);
            Object[] after = before.clone();
            for (int i = 0; i < arity; i++) {
                if (assigned[i] >= 0) {
                    after[i] = toColumn(table, i, values[assigned[i]]);
                }
            }
            return List.of(Map.entry(Row.wrap(before), -1L), Map.entry(checkRow(table, after), 1L));
        });
    }

    static PlannedDml delete(Catalog catalog, QueryEngine engine, Statement.Delete delete, List<SqlType> declared) {
        TableItem table = table(catalog, delete.table().parts());
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < table.desc().arity(); i++) {
            sql.append(i == 0 ? "" : ", ").append(quote(table.desc().column(i).name()));
        }
        sql.append(" FROM ").append(tableReference(table)).append(delete.alias().map(alias -> " AS " + quote(alias)).orElse(""));
        delete.where().ifPresent(where -> sql.append(" WHERE ").append(where.text()));
        PreparedQuery query = engine.prepare(sql.toString(), declared);
        return queryBacked(table, query, "DELETE ", values -> List.of(Map.entry(Row.wrap(values), -1L)));
    }

    private static PlannedDml queryBacked(TableItem table, PreparedQuery query, String tagPrefix,
            java.util.function.Function<Object[], List<Map.Entry<Row, Long>>> perRow) {
        return new Planned(table, query.parameterTypes(), tagPrefix, (parameters, context) -> {
            List<Map.Entry<Row, Long>> changes = new ArrayList<>();
            Iterator<Row> rows = query.execute(parameters, context);
            while (rows.hasNext()) {
                changes.addAll(perRow.apply(rows.next().toArray()));
            }
            return changes;
        });
    }

    private static Object[] convert(TableItem table, Object[] values) {
        Object[] converted = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            converted[i] = toColumn(table, i, values[i]);
        }
        return converted;
    }

    /** A query result value as the column's value: text of types Calcite does not carry is parsed, then assignment rules apply. */
    private static Object toColumn(TableItem table, int index, Object value) {
        SqlType type = table.desc().column(index).type();
        if (value == null) {
            return null;
        }
        if (Types.castTarget(type) == null && value instanceof String text) {
            return PgText.parse(type, text);
        }
        if (value instanceof java.math.BigDecimal decimal && type.kind() == dev.sluice.common.type.TypeKind.UINT8) {
            return Values.coerce(type, decimal.toBigIntegerExact());
        }
        if (value instanceof Number number) {
            value = switch (type.kind()) {
                case SMALLINT -> number.shortValue();
                case INTEGER, UINT2 -> number.intValue();
                case BIGINT, UINT4 -> number.longValue();
                default -> value;
            };
        }
        return Values.coerce(type, value);
    }

    static Row checkRow(TableItem table, Object[] values) {
        for (int i = 0; i < values.length; i++) {
            Column column = table.desc().column(i);
            if (values[i] == null && !column.nullable()) {
                throw SluiceException.of(ErrorCode.NOT_NULL_VIOLATION, "null value in column \"%s\" violates not-null constraint", column.name())
                        .withDetail("Failing row contains " + failingRow(table, values) + ".");
            }
        }
        return Row.wrap(values);
    }

    private static String failingRow(TableItem table, Object[] values) {
        StringBuilder text = new StringBuilder("(");
        for (int i = 0; i < values.length; i++) {
            text.append(i == 0 ? "" : ", ").append(values[i] == null ? "null" : PgText.format(table.desc().column(i).type(), values[i]));
        }
        return text.append(')').toString();
    }

    private static String castExpression(String expression, SqlType type) {
        String target = Types.castTarget(type);
        return "CAST((" + expression + ") AS " + (target == null ? "VARCHAR" : target) + ")";
    }

    private static String tableReference(TableItem table) {
        return quote(Catalog.SCHEMA) + "." + quote(table.name());
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static TableItem table(Catalog catalog, List<String> name) {
        return catalog.resolve(name, TableItem.class, dev.sluice.server.catalog.ObjectType.TABLE);
    }

    private static int countParameters(List<List<Optional<SqlFragment>>> rows) {
        int count = 0;
        for (List<Optional<SqlFragment>> row : rows) {
            for (Optional<SqlFragment> cell : row) {
                if (cell.isPresent()) {
                    for (Token token : Lexer.tokenize(cell.get().text())) {
                        if (token.is(Token.Kind.PARAMETER)) {
                            count = Math.max(count, Integer.parseInt(token.text()));
                        }
                    }
                }
            }
        }
        return count;
    }

    /** One value of an INSERT row: a literal, a parameter, a DEFAULT, or an expression for the query engine. */
    private record Cell(String sql, Kind kind, String literal, int parameter, SqlType castType) {
        enum Kind { NULL, LITERAL, PARAMETER, DEFAULT_EXPRESSION, EXPRESSION }

        boolean isDirect() {
            return kind != Kind.EXPRESSION;
        }

        static Cell defaultOf(TableItem table, int column) {
            Optional<String> expression = table.defaults().get(column);
            return expression.map(text -> new Cell(text, Kind.DEFAULT_EXPRESSION, null, 0, null))
                    .orElseGet(() -> new Cell("NULL", Kind.NULL, null, 0, null));
        }

        static Cell of(String text, SqlType columnType, SqlType[] parameterTypes) {
            List<Token> tokens = Lexer.tokenize(text);
            int size = tokens.size() - 1;
            if (size == 1) {
                Token token = tokens.get(0);
                if (token.isWord("null")) {
                    return new Cell(text, Kind.NULL, null, 0, null);
                }
                if (token.is(Token.Kind.STRING) || token.is(Token.Kind.NUMBER)) {
                    return new Cell(text, Kind.LITERAL, token.text(), 0, null);
                }
                if (token.isWord("true") || token.isWord("false")) {
                    return new Cell(text, Kind.LITERAL, token.text(), 0, null);
                }
                if (token.is(Token.Kind.PARAMETER)) {
                    int number = Integer.parseInt(token.text());
                    if (parameterTypes[number - 1] == null) {
                        parameterTypes[number - 1] = columnType;
                    }
                    return new Cell(text, Kind.PARAMETER, null, number, null);
                }
            }
            if (size == 2 && tokens.get(0).is(Token.Kind.OPERATOR) && tokens.get(0).text().equals("-") && tokens.get(1).is(Token.Kind.NUMBER)) {
                return new Cell(text, Kind.LITERAL, "-" + tokens.get(1).text(), 0, null);
            }
            return new Cell(text, Kind.EXPRESSION, null, 0, null);
        }

        /** A column's DEFAULT, compiled with the column as its assignment target, evaluated for one row. */
        static Object defaultValue(QueryEngine.CompiledExpression compiled, SqlType columnType, QueryContext context) {
            Object value = compiled.evaluate(Row.EMPTY, List.of(), context);
            if (value instanceof String text && Types.castTarget(columnType) == null) {
                return PgText.parse(columnType, text);
            }
            return Values.coerce(columnType, value);
        }

        Object value(List<Object> parameters, List<SqlType> parameterTypes, SqlType columnType, QueryEngine engine, QueryContext context) {
            return switch (kind) {
                case NULL -> null;
                case LITERAL -> PgText.parse(columnType, literal);
                case PARAMETER -> {
                    Object value = parameters.get(parameter - 1);
                    SqlType given = parameterTypes.get(parameter - 1);
                    if (value == null || given.equals(columnType)) {
                        yield Values.coerce(columnType, value);
                    }
                    yield PgText.parse(columnType, PgText.format(given, value));
                }
                case DEFAULT_EXPRESSION -> defaultValue(engine.compileExpression(sql, List.of(), Optional.of(columnType)), columnType, context);
                case EXPRESSION -> throw new IllegalStateException("expression cells are computed by a query");
            };
        }
    }
}
