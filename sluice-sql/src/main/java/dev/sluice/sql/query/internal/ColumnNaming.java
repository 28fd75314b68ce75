package dev.sluice.sql.query.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;

/**
 * The result column names of a validated query, as PostgreSQL names them: the names
 * {@link PgRewriter} chose, and column names where Calcite made star-expanded or repeated columns
 * unique ({@code id}, {@code id0} for {@code a.id, b.id} is {@code id}, {@code id} in PostgreSQL);
 * {@code VALUES} columns are {@code column1}, {@code column2}, ….
 */
public final class ColumnNaming {
    private ColumnNaming() {
    }

    public static List<String> names(SqlNode validated, RelDataType rowType, Set<String> userAliases) {
        SqlSelect select = topSelect(validated);
        SqlNodeList items = select == null ? null : select.getSelectList();
        boolean values = isValues(validated);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < rowType.getFieldCount(); i++) {
            String name = rowType.getFieldList().get(i).getName();
            if (items != null && items.size() == rowType.getFieldCount()) {
                SqlNode item = items.get(i);
                if (item.getKind() == SqlKind.AS && ((SqlCall) item).operand(0) instanceof SqlIdentifier column
                        && name.indexOf(PgRewriter.MARKER) < 0 && !userAliases.contains(name)) {
                    name = last(column);
                } else if (item instanceof SqlIdentifier column && !column.isStar()) {
                    name = last(column);
                }
            }
            if (values && name.startsWith("EXPR$")) {
                name = "column" + (i + 1);
            }
            names.add(PgRewriter.resultName(name));
        }
        return names;
    }

    private static String last(SqlIdentifier identifier) {
        return identifier.names.get(identifier.names.size() - 1);
    }

    private static SqlSelect topSelect(SqlNode node) {
        if (node instanceof SqlSelect select) {
            return select;
        }
        if (node instanceof SqlOrderBy orderBy) {
            return topSelect(orderBy.query);
        }
        if (node instanceof SqlWith with) {
            return topSelect(with.body);
        }
        if (node instanceof SqlCall call && (node.getKind() == SqlKind.UNION || node.getKind() == SqlKind.INTERSECT
                || node.getKind() == SqlKind.EXCEPT) && !call.getOperandList().isEmpty()) {
            return topSelect(call.operand(0));
        }
        return null;
    }

    private static boolean isValues(SqlNode node) {
        if (node instanceof SqlOrderBy orderBy) {
            return isValues(orderBy.query);
        }
        if (node instanceof SqlWith with) {
            return isValues(with.body);
        }
        if (node instanceof SqlSelect select && select.getFrom() != null && select.getFrom().getKind() == SqlKind.VALUES
                && select.getSelectList() != null && select.getSelectList().size() == 1 && select.getSelectList().get(0) instanceof SqlIdentifier star
                && star.isStar()) {
            return true;
        }
        return node.getKind() == SqlKind.VALUES;
    }
}
