package dev.sluice.sql.query.internal;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.type.TypeKind;
import dev.sluice.sql.query.internal.PgSyntax.Rewritten;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.sql.JoinConditionType;
import org.apache.calcite.sql.JoinType;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.SqlUserDefinedTypeNameSpec;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.SqlWithItem;
import org.apache.calcite.sql.fun.SqlCase;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.fun.SqlTrimFunction;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.util.Litmus;

/**
 * Rewrites Calcite's parse tree into one with PostgreSQL's semantics before validation: casts
 * ({@code CAST(x AS "$cast:n")} from {@link PgSyntax}) and arithmetic become {@link PgOperators};
 * {@code CURRENT_TIMESTAMP}, {@code LOCALTIMESTAMP}, … and {@code EXTRACT} become Sluice's
 * functions with microsecond precision; and select items get PostgreSQL's column names
 * ({@code count}, {@code text} for {@code 1::text}, {@code ?column?} for operators).
 *
 * <p>Result names are decided here because PostgreSQL names a column by what was written
 * (Calcite's validator rewrites {@code COALESCE} into {@code CASE} and names both {@code EXPR$0}).
 * The top-level select's generated names that collide with another item's name carry a
 * {@link #MARKER} suffix so that Calcite does not make them unique; {@link #resultName} strips it.
 */
public final class PgRewriter extends SqlShuttle {
    /** Separates a result name from what keeps it distinct from an equal name. */
    public static final char MARKER = '\u0001';
    public static final String UNNAMED = "?column?";

    private final Rewritten rewritten;
    private final SqlNode topSelect;
    private final Set<String> userAliases = new HashSet<>();

    private PgRewriter(Rewritten rewritten, SqlNode topSelect) {
        this.rewritten = rewritten;
        this.topSelect = topSelect;
    }

    /** The rewritten tree and the aliases of the top-level select list (written by the user or chosen here). */
    public record Result(SqlNode node, Set<String> userAliases) {
    }

    public static Result rewrite(SqlNode parsed, Rewritten rewritten) {
        PgRewriter rewriter = new PgRewriter(rewritten, topSelect(parsed));
        SqlNode node = parsed.accept(rewriter);
        return new Result(node, Set.copyOf(rewriter.userAliases));
    }

    /** The select whose items name the result columns. */
    private static SqlNode topSelect(SqlNode node) {
        if (node instanceof SqlOrderBy orderBy) {
            return topSelect(orderBy.query);
        }
        if (node instanceof SqlWith with) {
            return topSelect(with.body);
        }
        if (node instanceof SqlSelect) {
            return node;
        }
        if (node instanceof SqlCall call && (node.getKind() == SqlKind.UNION || node.getKind() == SqlKind.INTERSECT
                || node.getKind() == SqlKind.EXCEPT) && !call.getOperandList().isEmpty()) {
            return topSelect(call.operand(0));
        }
        return null;
    }

    /** The PostgreSQL name of a result field, given its name after validation. */
    public static String resultName(String validatedName) {
        int marker = validatedName.indexOf(MARKER);
        if (marker >= 0) {
            return validatedName.substring(0, marker);
        }
        return validatedName.startsWith("EXPR$") ? UNNAMED : validatedName;
    }

    /** PostgreSQL's parenthesis-free functions, as Sluice's functions (Calcite's keep milliseconds). */
    private static final Map<String, String> NILADIC = Map.of("current_timestamp", "now", "localtimestamp", "$localtimestamp",
            "current_time", "$localtime", "localtime", "$localtime", "current_schema", "current_schema", "current_catalog", "current_database");

    @Override
    public SqlNode visit(SqlIdentifier identifier) {
        if (identifier.isSimple() && !identifier.isComponentQuoted(0)) {
            String function = NILADIC.get(identifier.getSimple().toLowerCase(Locale.ROOT));
            if (function != null) {
                return PgOperators.function(function).createCall(identifier.getParserPosition());
            }
        }
        return identifier;
    }

    @Override
    public SqlNode visit(SqlCall call) {
        if (call instanceof SqlWithItem item && item.recursive != null && item.recursive.booleanValue()) {
            throw new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED,
                    "WITH RECURSIVE is not supported yet");
        }
        if (call instanceof SqlSelect select) {
            return select(select);
        }
        if (call.getKind() == SqlKind.AS && call.operandCount() == 2 && call.operand(0).getKind() == SqlKind.VALUES) {
            return valuesWithColumnNames(call);
        }
        if (call.getKind() == SqlKind.OVER && call.operand(0) instanceof SqlCall windowed
                && Set.of("ARRAY_AGG", "STRING_AGG").contains(windowed.getOperator().getName().toUpperCase(Locale.ROOT))) {
            // Calcite cannot run string_agg over a window, and its array_agg over one ignores the frame (every row gets the whole
            // partition): refused rather than answered wrongly.
            throw new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED,
                    windowed.getOperator().getName().toLowerCase(Locale.ROOT) + " as a window function is not supported yet")
                    .withHint("Aggregate in a subquery grouped by the partition columns and join it back.");
        }
        SqlNode aggregated = stringAgg(call);
        if (aggregated != null) {
            return aggregated.accept(this);
        }
        SqlNode visited = super.visit(call);
        if (!(visited instanceof SqlCall rewritten)) {
            return visited;
        }
        return rewriteCall(rewritten);
    }

    /**
     * {@code string_agg(x, 'sep' [ORDER BY …]) [FILTER (WHERE c)]} as {@code array_to_string(array_agg(x [ORDER BY …])
     * FILTER (WHERE [c AND] x IS NOT NULL), 'sep')}: the same result (NULLs skipped, NULL when nothing is left), in linear
     * time; Calcite's own string_agg concatenates a new string per row, quadratic in the group's size (80 000 rows took
     * 2.5 s). Null for any other call, and for a separator that is not a string literal (which may differ per row).
     */
    private static SqlNode stringAgg(SqlCall call) {
        SqlNode condition = null;
        SqlNode aggregate = call;
        if (call.getKind() == SqlKind.FILTER) {
            condition = call.operand(1);
            aggregate = call.operand(0);
        }
        if (!(aggregate instanceof SqlCall agg) || !agg.getOperator().getName().equalsIgnoreCase("STRING_AGG")
                || agg.operandCount() < 2 || agg.operandCount() > 3 || !(agg.operand(1) instanceof SqlCharStringLiteral separator)
                || agg.operandCount() == 3 && !(agg.operand(2) instanceof SqlNodeList)) {
            return null;
        }
        SqlParserPos position = call.getParserPosition();
        SqlNode value = agg.operand(0);
        List<SqlNode> operands = new ArrayList<>();
        operands.add(value);
        if (agg.operandCount() == 3) {
            operands.add(agg.operand(2));
        }
        SqlNode notNull = SqlStdOperatorTable.IS_NOT_NULL.createCall(position, value);
        SqlNode array = SqlStdOperatorTable.FILTER.createCall(position,
                SqlLibraryOperators.ARRAY_AGG.createCall(agg.getFunctionQuantifier(), position, operands.toArray(new SqlNode[0])),
                condition == null ? notNull : SqlStdOperatorTable.AND.createCall(position, condition, notNull));
        return PgOperators.function("array_to_string").createCall(position, array, separator);
    }

    /** The functions behind PostgreSQL's clock keywords, and the type their precision argument rounds to. */
    private static final Map<String, Map.Entry<String, TypeKind>> CLOCKS = Map.of(
            "CURRENT_TIMESTAMP", Map.entry("now", TypeKind.TIMESTAMPTZ),
            "LOCALTIMESTAMP", Map.entry("$localtimestamp", TypeKind.TIMESTAMP),
            "CURRENT_TIME", Map.entry("$localtime", TypeKind.TIME),
            "LOCALTIME", Map.entry("$localtime", TypeKind.TIME));

    /**
     * {@code CURRENT_TIMESTAMP}, {@code LOCALTIMESTAMP}, {@code CURRENT_TIME} and {@code LOCALTIME}, with or without a
     * precision ({@code current_timestamp(3)} is the transaction's time rounded to 3 fractional digits, as in PostgreSQL);
     * null for any other call. Calcite resolves them by name, so a call written with parentheses is matched by name too.
     */
    private static SqlNode clock(SqlCall call) {
        Map.Entry<String, TypeKind> clock = CLOCKS.get(call.getOperator().getName().toUpperCase(Locale.ROOT));
        if (clock == null || call.operandCount() > 1) {
            return null;
        }
        SqlParserPos position = call.getParserPosition();
        SqlNode now = PgOperators.function(clock.getKey()).createCall(position);
        if (call.operandCount() == 0) {
            return now;
        }
        if (!(call.operand(0) instanceof SqlNumericLiteral literal) || !literal.isInteger()) {
            throw new SluiceException(ErrorCode.SYNTAX_ERROR, "the precision of " + call.getOperator().getName() + " must be an integer constant");
        }
        int precision = literal.intValue(true);
        if (precision < 0) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, call.getOperator().getName() + "(" + precision + ") precision must not be negative");
        }
        // PostgreSQL reduces a precision above 6 to 6, with a warning.
        return PgOperators.cast(CastTarget.of(SqlType.withPrecision(clock.getValue(), Math.min(precision, 6)))).createCall(position, now);
    }

    private SqlNode rewriteCall(SqlCall call) {
        SqlParserPos position = call.getParserPosition();
        SqlOperator operator = call.getOperator();
        if (call.getKind() == SqlKind.CAST && call.operandCount() == 2 && call.operand(1) instanceof SqlDataTypeSpec spec
                && spec.getTypeNameSpec() instanceof SqlUserDefinedTypeNameSpec named) {
            String name = named.getTypeName().getSimple();
            if (name.startsWith(PgSyntax.CAST_PREFIX)) {
                CastTarget target = rewritten.casts().get(Integer.parseInt(name.substring(PgSyntax.CAST_PREFIX.length())));
                return PgOperators.cast(target).createCall(position, call.<SqlNode>operand(0));
            }
        }
        PgOperator arithmetic = PgOperators.arithmetic(operator);
        if (arithmetic != null && call instanceof SqlBasicCall) {
            return arithmetic.createCall(position, call.getOperandList());
        }
        if (call.getKind() == SqlKind.DOT && call.operand(0) instanceof SqlIdentifier && call.operand(1) instanceof SqlIdentifier field
                && field.getSimple().equals("x")) {
            // (keys).x of a column that was _pg_expandarray(…) (pgJDBC): the column is the element itself, see setFunctionsToUnnest.
            return call.operand(0);
        }
        SqlNode clock = clock(call);
        if (clock != null) {
            return clock;
        }
        if ((operator == SqlLibraryOperators.DATE_TRUNC || operator == SqlLibraryOperators.DATE_PART)
                && call.operandCount() == 2) {
            SqlNode unit = call.operand(0);
            SqlNode value = call.operand(1);
            if (value instanceof SqlIntervalQualifier qualifier) {
                unit = qualifier;
                value = call.operand(0);
            }
            if (unit instanceof SqlIntervalQualifier qualifier) {
                String field = qualifier.timeFrameName != null ? qualifier.timeFrameName : qualifier.timeUnitRange.startUnit.name();
                unit = SqlLiteral.createCharString(field.toLowerCase(Locale.ROOT), position);
            }
            String name = operator == SqlLibraryOperators.DATE_TRUNC ? "date_trunc" : "date_part";
            return PgOperators.function(name).createCall(position, unit, value);
        }
        if (call.getKind() == SqlKind.EXTRACT && call.operandCount() == 2 && call.operand(0) instanceof SqlIntervalQualifier unit) {
            String field = unit.timeFrameName != null ? unit.timeFrameName : unit.timeUnitRange.startUnit.name();
            return PgOperators.function("extract").createCall(position, SqlLiteral.createCharString(field.toLowerCase(Locale.ROOT), position),
                    call.operand(1));
        }
        return call;
    }

    /** {@code (VALUES …) AS t} names its columns column1, column2, … as PostgreSQL does. */
    private SqlNode valuesWithColumnNames(SqlCall call) {
        SqlCall values = (SqlCall) call.operand(0);
        SqlNode visitedValues = values.accept(this);
        int arity = 0;
        if (!values.getOperandList().isEmpty() && values.operand(0) instanceof SqlCall row) {
            arity = row.operandCount();
        }
        List<SqlNode> operands = new ArrayList<>();
        operands.add(visitedValues);
        operands.add(call.operand(1));
        for (int i = 0; i < arity; i++) {
            operands.add(new SqlIdentifier("column" + (i + 1), call.getParserPosition()));
        }
        return SqlStdOperatorTable.AS.createCall(call.getParserPosition(), operands);
    }

    private SqlNode select(SqlSelect original) {
        boolean top = original == topSelect;
        List<SqlNode> items = original.getSelectList() == null ? List.of() : original.getSelectList().getList();
        List<String> names = new ArrayList<>();
        Map<String, Integer> counts = new HashMap<>();
        for (SqlNode item : items) {
            String name = null;
            if (item.getKind() == SqlKind.AS) {
                name = ((SqlIdentifier) ((SqlCall) item).operand(1)).getSimple();
                if (top) {
                    userAliases.add(name);
                }
            } else if (!(item instanceof SqlIdentifier identifier && identifier.isStar())) {
                name = name(item).map(Name::name).orElse(UNNAMED);
            }
            names.add(name);
            if (name != null) {
                counts.merge(name, 1, Integer::sum);
            }
        }
        SqlSelect select = (SqlSelect) super.visit(original);
        SqlNodeList list = select.getSelectList();
        if (list == null) {
            return select;
        }
        list = setFunctionsToUnnest(select, list);
        List<SqlNode> aliased = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            SqlNode item = list.get(i);
            String name = i < names.size() ? names.get(i) : null;
            boolean needsAlias = name != null && item.getKind() != SqlKind.AS && !(item instanceof SqlIdentifier identifier
                    && (identifier.isStar() || last(identifier).equals(name)));
            if (needsAlias && (top || !name.equals(UNNAMED))) {
                String alias = top && counts.get(name) > 1 ? name + MARKER + i : name;
                if (top) {
                    userAliases.add(alias);
                }
                item = SqlStdOperatorTable.AS.createCall(item.getParserPosition(), item, new SqlIdentifier(alias, item.getParserPosition()));
            }
            aliased.add(item);
        }
        select.setSelectList(SqlNodeList.of(list.getParserPosition(), aliased));
        return select;
    }

    // ------------------------------------------------------------------ set-returning functions in the select list

    private static final String SET_ROWS = "$srf";

    /**
     * A set-returning function in the select list ({@code SELECT generate_series(1, 3)},
     * {@code SELECT unnest(a) FROM t}, pgJDBC's {@code (information_schema._pg_expandarray(i.indkey)).n})
     * yields one row per element: its calls become columns of an {@code UNNEST} joined to the FROM
     * clause (several are zipped, as PostgreSQL does).
     */
    private SqlNodeList setFunctionsToUnnest(SqlSelect select, SqlNodeList list) {
        List<SqlNode> arrays = new ArrayList<>();
        boolean ordinality = false;
        List<SqlNode> items = new ArrayList<>();
        boolean changed = false;
        for (SqlNode item : list) {
            SqlNode expression = item.getKind() == SqlKind.AS ? ((SqlCall) item).operand(0) : item;
            String field = null;
            if (expression.getKind() == SqlKind.DOT && ((SqlCall) expression).operand(1) instanceof SqlIdentifier name) {
                field = name.getSimple();
                expression = ((SqlCall) expression).operand(0);
            }
            SqlNode array = setFunctionArray(expression);
            if (array == null) {
                items.add(item);
                continue;
            }
            boolean expand = expression instanceof SqlCall call && functionName(call).equals("_pg_expandarray");
            ordinality |= expand;
            int index = -1;
            for (int i = 0; i < arrays.size(); i++) {
                if (arrays.get(i).equalsDeep(array, Litmus.IGNORE)) {
                    index = i;
                }
            }
            if (index < 0) {
                arrays.add(array);
                index = arrays.size() - 1;
            }
            String column = expand && "n".equals(field) ? "$n" : "$v" + index;
            SqlNode reference = new SqlIdentifier(List.of(SET_ROWS, column), expression.getParserPosition());
            items.add(item.getKind() == SqlKind.AS
                    ? SqlStdOperatorTable.AS.createCall(item.getParserPosition(), reference, ((SqlCall) item).operand(1)) : reference);
            changed = true;
        }
        if (!changed) {
            return list;
        }
        SqlParserPos position = select.getParserPosition();
        SqlNode unnest = (ordinality ? SqlStdOperatorTable.UNNEST_WITH_ORDINALITY : SqlStdOperatorTable.UNNEST).createCall(position, arrays);
        List<SqlNode> alias = new ArrayList<>();
        alias.add(unnest);
        alias.add(new SqlIdentifier(SET_ROWS, position));
        for (int i = 0; i < arrays.size(); i++) {
            alias.add(new SqlIdentifier("$v" + i, position));
        }
        if (ordinality) {
            alias.add(new SqlIdentifier("$n", position));
        }
        SqlNode rows = SqlStdOperatorTable.AS.createCall(position, alias);
        SqlNode from = select.getFrom();
        select.setFrom(from == null ? rows : new SqlJoin(position, from, SqlLiteral.createBoolean(false, position),
                JoinType.COMMA.symbol(position), rows, JoinConditionType.NONE.symbol(position), null));
        return SqlNodeList.of(list.getParserPosition(), items);
    }

    /** The array whose elements are the rows of a set-returning function call; null for any other expression. */
    private static SqlNode setFunctionArray(SqlNode expression) {
        if (!(expression instanceof SqlCall call) || !(call.getOperator() instanceof SqlFunction)) {
            return null;
        }
        String name = functionName(call);
        String function = PgSyntax.SET_FUNCTIONS.get(name);
        if (function == null) {
            return null;
        }
        if (function.isEmpty()) {
            return call.operandCount() == 1 ? call.operand(0) : null;
        }
        String arrayFunction = function.startsWith("\"") ? function.substring(1, function.length() - 1) : function;
        return PgOperators.function(arrayFunction).createCall(call.getParserPosition(), call.getOperandList());
    }

    private static String functionName(SqlCall call) {
        if (call.getOperator() instanceof SqlUnresolvedFunction unresolved) {
            return last(unresolved.getSqlIdentifier()).toLowerCase(Locale.ROOT);
        }
        return call.getOperator().getName().toLowerCase(Locale.ROOT);
    }

    // ------------------------------------------------------------------ PostgreSQL's FigureColname

    /** A column name and whether it is "strong" (a column or function name, which wins over a cast's type name). */
    record Name(String name, boolean strong) {
    }

    Optional<Name> name(SqlNode node) {
        if (node instanceof SqlIdentifier identifier) {
            return identifier.isStar() ? Optional.empty() : Optional.of(new Name(last(identifier), true));
        }
        if (node instanceof SqlSelect select) {
            SqlNodeList list = select.getSelectList();
            if (list != null && !list.isEmpty()) {
                SqlNode first = list.get(0);
                if (first.getKind() == SqlKind.AS) {
                    return Optional.of(new Name(((SqlIdentifier) ((SqlCall) first).operand(1)).getSimple(), true));
                }
                return name(first);
            }
            return Optional.empty();
        }
        if (node instanceof SqlCase sqlCase) {
            SqlNode otherwise = sqlCase.getElseOperand();
            Optional<Name> inner = otherwise == null ? Optional.empty() : name(otherwise);
            return inner.isPresent() && inner.get().strong() ? inner : Optional.of(new Name("case", false));
        }
        if (!(node instanceof SqlCall call)) {
            return Optional.empty();
        }
        SqlOperator operator = call.getOperator();
        switch (call.getKind()) {
            case AS:
                return Optional.of(new Name(((SqlIdentifier) call.operand(1)).getSimple(), true));
            case OVER, FILTER, WITHIN_GROUP, WITHIN_DISTINCT, RESPECT_NULLS, IGNORE_NULLS:
                return name(call.operand(0));
            case CAST:
                if (call.operand(1) instanceof SqlDataTypeSpec spec) {
                    Optional<Name> inner = name(call.operand(0));
                    String typeName = spec.getTypeName().getSimple();
                    String pgName = typeName.startsWith(PgSyntax.CAST_PREFIX)
                            ? rewritten.casts().get(Integer.parseInt(typeName.substring(PgSyntax.CAST_PREFIX.length()))).pgName()
                            : typeName.toLowerCase(Locale.ROOT);
                    return inner.isPresent() && inner.get().strong() ? inner : Optional.of(new Name(pgName, false));
                }
                return Optional.empty();
            case EXISTS:
                return Optional.of(new Name("exists", true));
            case ARRAY_QUERY_CONSTRUCTOR, ARRAY_VALUE_CONSTRUCTOR:
                return Optional.of(new Name("array", true));
            case ROW:
                return Optional.of(new Name("row", true));
            case ITEM:
                return name(call.operand(0));
            case DOT:
                return Optional.of(new Name(((SqlIdentifier) call.operand(1)).getSimple(), true));
            case TRIM:
                return Optional.of(new Name(trimName(call), true));
            case SCALAR_QUERY:
                return name(call.operand(0));
            default:
                break;
        }
        if (operator instanceof PgOperators.Cast cast) {
            Optional<Name> inner = name(call.operand(0));
            return inner.isPresent() && inner.get().strong() ? inner : Optional.of(new Name(cast.target().pgName(), false));
        }
        if (operator instanceof PgOperators.Arithmetic) {
            return Optional.empty();
        }
        if (operator.getSyntax() == SqlSyntax.FUNCTION || operator.getSyntax() == SqlSyntax.FUNCTION_ID
                || operator.getSyntax() == SqlSyntax.FUNCTION_STAR || operator instanceof SqlFunction) {
            String name = operator instanceof SqlUnresolvedFunction unresolved
                    ? last(unresolved.getSqlIdentifier()) : operator.getName();
            if (name.startsWith(PgSyntax.OPERATOR_PREFIX) || name.startsWith("$")) {
                return Optional.empty();
            }
            return Optional.of(new Name(name.toLowerCase(Locale.ROOT), true));
        }
        return Optional.empty();
    }

    private static String trimName(SqlCall call) {
        if (call.operand(0) instanceof SqlLiteral flag && flag.getValue() instanceof SqlTrimFunction.Flag value) {
            return switch (value) {
                case LEADING -> "ltrim";
                case TRAILING -> "rtrim";
                default -> "btrim";
            };
        }
        return "btrim";
    }

    private static String last(SqlIdentifier identifier) {
        return identifier.names.get(identifier.names.size() - 1);
    }
}
