package dev.sluice.sql.query.internal;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.type.TypeKind;
import dev.sluice.sql.query.SqlFunctions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.calcite.adapter.enumerable.NullPolicy;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.ExplicitOperatorBinding;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlOperandCountRanges;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.util.SqlOperatorTables;

/**
 * Sluice's operators with PostgreSQL's semantics: casts ({@link #cast}), arithmetic and
 * concatenation (which also cover datetime, interval, jsonb and array operands), the comparison of
 * object types, and the functions in {@link #table()}.
 */
public final class PgOperators {
    private static final String HINT = "No function matches the given name and argument types. You might need to add explicit type casts.";
    private static final String OPERATOR_HINT = "No operator matches the given name and argument types. You might need to add explicit type casts.";

    private PgOperators() {
    }

    // ------------------------------------------------------------------ types

    /** NULL, or a parameter whose type is not inferred yet: either fits any operand. */
    static boolean isNull(RelDataType type) {
        return type.getSqlTypeName() == SqlTypeName.NULL || type.getSqlTypeName() == SqlTypeName.UNKNOWN;
    }

    static boolean isExactInteger(RelDataType type) {
        return switch (type.getSqlTypeName()) {
            case TINYINT, SMALLINT, INTEGER, BIGINT -> true;
            default -> false;
        };
    }

    static boolean isNumber(RelDataType type) {
        return !Types.isObject(type) && SqlTypeFamily.NUMERIC.contains(type);
    }

    static boolean isExactNumber(RelDataType type) {
        return isExactInteger(type) || type.getSqlTypeName() == SqlTypeName.DECIMAL;
    }

    private static Optional<SqlType> numericCast(RelDataType type) {
        return type.getSqlTypeName() == SqlTypeName.DECIMAL || isNull(type) ? Optional.empty() : Optional.of(SqlType.NUMERIC);
    }

    static SqlType sluice(RelDataType type) {
        return Types.fromCalcite(type);
    }

    private static boolean is(RelDataType type, TypeKind kind) {
        return !isNull(type) && Types.fromCalcite(type).kind() == kind;
    }

    private static boolean isObjectKind(TypeKind kind) {
        return switch (kind) {
            case TIME, TIMESTAMP, TIMESTAMPTZ, INTERVAL, JSONB, UUID -> true;
            default -> false;
        };
    }

    private static RelDataType calcite(RelDataTypeFactory factory, SqlType type) {
        return Types.toCalcite(factory, type, true);
    }

    static String describe(RelDataType type) {
        if (isNull(type)) {
            return "unknown";
        }
        if (Types.isText(type)) {
            return "text";
        }
        if (type.getSqlTypeName() == SqlTypeName.DECIMAL) {
            return "numeric";
        }
        return sluice(type).displayName();
    }

    private static String describe(List<RelDataType> types) {
        StringJoiner joiner = new StringJoiner(", ");
        types.forEach(type -> joiner.add(describe(type)));
        return joiner.toString();
    }

    private static PgOperator.RuntimeCall runtime(Class<?> owner, String method, List<Object> constants, NullPolicy policy) {
        return new PgOperator.RuntimeCall(PgOperator.method(owner, method), constants, policy);
    }

    // ------------------------------------------------------------------ casts

    /** The target of a row expression that is one of Sluice's casts. */
    public static Optional<CastTarget> castTarget(RexNode node) {
        if (node instanceof RexCall call && call.getOperator() instanceof Cast cast) {
            return Optional.of(cast.target());
        }
        return Optional.empty();
    }

    /** The cast to {@code target} (PostgreSQL's rules, {@link PgCasts}). */
    public static PgOperator cast(CastTarget target) {
        return new Cast(target);
    }

    /** A cast to one target type. */
    static final class Cast extends PgOperator {
        private final CastTarget target;

        Cast(CastTarget target) {
            super("$cast", SqlSyntax.FUNCTION);
            this.target = requireNonNull(target, "target is null");
        }

        CastTarget target() {
            return target;
        }

        @Override
        public SqlOperandCountRange getOperandCountRange() {
            return SqlOperandCountRanges.of(1);
        }

        @Override
        public Resolution resolve(List<RelDataType> types, RelDataTypeFactory factory) {
            if (types.size() != 1) {
                return null;
            }
            RelDataType operand = types.get(0);
            RelDataType type = factory.createTypeWithNullability(Types.toCalcite(factory, target.type(), operand.isNullable()),
                    operand.isNullable() || Types.isObject(Types.toCalcite(factory, target.type(), true)));
            if (isNull(operand)) {
                return Resolution.of(factory.createTypeWithNullability(type, true), new NativeCast());
            }
            SqlType from = sluice(operand);
            if (!PgCasts.castable(from, target.type())) {
                return null;
            }
            if (isNative(operand, from, target.type())) {
                return Resolution.of(type, new NativeCast());
            }
            return Resolution.of(type, runtime(PgCasts.class, "cast", List.of(from.sqlName(), target.type().sqlName()), NullPolicy.STRICT));
        }

        /** Casts whose Calcite implementation is exact: widening of numbers, and casts that change nothing. */
        private static boolean isNative(RelDataType operand, SqlType from, SqlType to) {
            if (from.equals(to) && !Types.isText(operand) && from.kind() != TypeKind.NUMERIC) {
                return true;
            }
            TypeKind source = from.kind();
            TypeKind target = to.kind();
            if (target == TypeKind.TEXT && operand.getSqlTypeName() == SqlTypeName.VARCHAR) {
                return true;
            }
            return switch (source) {
                case SMALLINT -> target == TypeKind.INTEGER || target == TypeKind.BIGINT || target == TypeKind.DOUBLE || target == TypeKind.REAL;
                case INTEGER -> target == TypeKind.BIGINT || target == TypeKind.DOUBLE;
                case BIGINT -> target == TypeKind.DOUBLE;
                case REAL -> target == TypeKind.DOUBLE;
                default -> false;
            };
        }

        @Override
        protected SluiceException noMatch(List<RelDataType> types) {
            return PgCasts.notCastable(sluice(types.get(0)), target.type());
        }

        @Override
        protected RelDataType expectedOperandType(int index, List<RelDataType> known, RelDataTypeFactory factory) {
            return Types.toCalcite(factory, target.type(), true);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Cast cast && cast.target.equals(target);
        }

        @Override
        public int hashCode() {
            return target.hashCode();
        }
    }

    // ------------------------------------------------------------------ arithmetic

    /** {@code +}, {@code -}, {@code *}, {@code /}, {@code %}, {@code ||} and unary minus with PostgreSQL's operand types. */
    static final class Arithmetic extends PgOperator {
        private final String symbol;
        private final SqlOperator standard;
        private final SqlOperator checked;

        Arithmetic(String symbol, SqlOperator standard, SqlOperator checked, SqlSyntax syntax) {
            super(symbol, syntax);
            this.symbol = symbol;
            this.standard = standard;
            this.checked = checked;
        }

        @Override
        public SqlOperandCountRange getOperandCountRange() {
            return SqlOperandCountRanges.of(getSyntax() == SqlSyntax.PREFIX ? 1 : 2);
        }

        @Override
        public Resolution resolve(List<RelDataType> types, RelDataTypeFactory factory) {
            if (types.size() == 1) {
                return unary(types.get(0), factory);
            }
            if (types.size() != 2) {
                return null;
            }
            RelDataType left = types.get(0);
            RelDataType right = types.get(1);
            if (symbol.equals("||")) {
                return concat(left, right, factory);
            }
            if (symbol.equals("/") && (left.getSqlTypeName() == SqlTypeName.DECIMAL || right.getSqlTypeName() == SqlTypeName.DECIMAL)
                    && (isExactNumber(left) || isNull(left)) && (isExactNumber(right) || isNull(right))) {
                // PostgreSQL's numeric division keeps at least 16 significant digits (1.0 / 3 = 0.33333333333333333333)
                RelDataType numeric = factory.createTypeWithNullability(calcite(factory, SqlType.NUMERIC), left.isNullable() || right.isNullable());
                return new Resolution(numeric, runtime(PgRuntime.class, "divideNumeric", List.of(), NullPolicy.STRICT),
                        List.of(numericCast(left), numericCast(right)));
            }
            if ((isNumber(left) || isNull(left)) && (isNumber(right) || isNull(right))) {
                SqlOperator operator = checked != null && (isExactInteger(left) || isNull(left)) && (isExactInteger(right) || isNull(right))
                        && !(isNull(left) && isNull(right)) ? checked : standard;
                return Resolution.of(standard.inferReturnType(new ExplicitOperatorBinding(factory, standard, types)), new NativeCall(operator));
            }
            // PostgreSQL reads an untyped literal as the other operand's type.
            if (Types.isText(left) && isNumber(right)) {
                return new Resolution(right, new NativeCall(standard), List.of(Optional.of(sluice(right)), Optional.empty()));
            }
            if (isNumber(left) && Types.isText(right)) {
                return new Resolution(left, new NativeCall(standard), List.of(Optional.empty(), Optional.of(sluice(left))));
            }
            return datetime(left, right, factory);
        }

        private Resolution unary(RelDataType operand, RelDataTypeFactory factory) {
            if (isNumber(operand) || isNull(operand)) {
                return Resolution.of(operand, new NativeCall(SqlStdOperatorTable.UNARY_MINUS));
            }
            if (is(operand, TypeKind.INTERVAL)) {
                return Resolution.of(operand, runtime(PgDatetime.class, "negate", List.of(), NullPolicy.STRICT));
            }
            return null;
        }

        private Resolution concat(RelDataType left, RelDataType right, RelDataTypeFactory factory) {
            boolean leftArray = left.getSqlTypeName() == SqlTypeName.ARRAY;
            boolean rightArray = right.getSqlTypeName() == SqlTypeName.ARRAY;
            if (leftArray && rightArray) {
                return Resolution.of(left, runtime(PgArrays.class, "arrayCat", List.of(), NullPolicy.NONE));
            }
            if (leftArray && !Types.isText(right)) {
                return Resolution.of(left, runtime(PgArrays.class, "arrayAppend", List.of(), NullPolicy.NONE));
            }
            if (leftArray && Types.isText(left.getComponentType())) {
                return Resolution.of(left, runtime(PgArrays.class, "arrayAppend", List.of(), NullPolicy.NONE));
            }
            if (leftArray) {
                // array || '{…}': the literal is an array of the same type
                return new Resolution(left, runtime(PgArrays.class, "arrayCat", List.of(), NullPolicy.NONE),
                        List.of(Optional.empty(), Optional.of(sluice(left))));
            }
            if (rightArray && !Types.isText(left)) {
                return Resolution.of(right, runtime(PgArrays.class, "arrayPrepend", List.of(), NullPolicy.NONE));
            }
            if (is(left, TypeKind.JSONB) && is(right, TypeKind.JSONB)) {
                return Resolution.of(left, runtime(PgJson.class, "concat", List.of(), NullPolicy.STRICT));
            }
            if (is(left, TypeKind.JSONB) && Types.isText(right) || Types.isText(left) && is(right, TypeKind.JSONB)) {
                List<Optional<SqlType>> casts = List.of(Types.isText(left) ? Optional.of(SqlType.JSONB) : Optional.empty(),
                        Types.isText(right) ? Optional.of(SqlType.JSONB) : Optional.empty());
                return new Resolution(calcite(factory, SqlType.JSONB), runtime(PgJson.class, "concat", List.of(), NullPolicy.STRICT), casts);
            }
            if ((Types.isText(left) || isNull(left)) && (Types.isText(right) || isNull(right))) {
                return Resolution.of(standard.inferReturnType(new ExplicitOperatorBinding(factory, standard,
                        List.of(textual(left, factory), textual(right, factory)))), new NativeCall(standard));
            }
            if (Types.isText(left) || Types.isText(right)) {
                // anynonarray || text: the other operand is cast to text
                List<Optional<SqlType>> casts = List.of(Types.isText(left) ? Optional.empty() : Optional.of(SqlType.TEXT),
                        Types.isText(right) ? Optional.empty() : Optional.of(SqlType.TEXT));
                return new Resolution(factory.createTypeWithNullability(factory.createSqlType(SqlTypeName.VARCHAR), true), new NativeCall(standard), casts);
            }
            return null;
        }

        private static RelDataType textual(RelDataType type, RelDataTypeFactory factory) {
            return isNull(type) ? factory.createTypeWithNullability(factory.createSqlType(SqlTypeName.VARCHAR), true) : type;
        }

        private Resolution datetime(RelDataType left, RelDataType right, RelDataTypeFactory factory) {
            TypeKind a = isNull(left) ? null : sluice(left).kind();
            TypeKind b = isNull(right) ? null : sluice(right).kind();
            if (a == null || b == null) {
                return null;
            }
            // An untyped literal next to a datetime is an interval (ts + '1 day'); a timestamp next to a timestamptz is one too.
            boolean datetimeLeft = a == TypeKind.TIMESTAMP || a == TypeKind.TIMESTAMPTZ || a == TypeKind.DATE || a == TypeKind.TIME;
            if (Types.isText(right) && datetimeLeft && symbol.equals("+")) {
                return castThenResolve(left, right, null, SqlType.INTERVAL, factory);
            }
            if (Types.isText(right) && datetimeLeft && symbol.equals("-")) {
                // PostgreSQL reads the literal as the other operand's type: ts - '2024-01-01' is an interval
                return castThenResolve(left, right, null, SqlType.of(a), factory);
            }
            if (Types.isText(right) && a == TypeKind.INTERVAL && (symbol.equals("+") || symbol.equals("-"))) {
                return castThenResolve(left, right, null, SqlType.INTERVAL, factory);
            }
            if (Types.isText(left) && b == TypeKind.INTERVAL && symbol.equals("+")) {
                return castThenResolve(left, right, SqlType.INTERVAL, null, factory);
            }
            if (Types.isText(right) && a == TypeKind.INTERVAL && (symbol.equals("*") || symbol.equals("/"))) {
                return castThenResolve(left, right, null, SqlType.DOUBLE, factory);
            }
            if (a == TypeKind.TIMESTAMP && b == TypeKind.TIMESTAMPTZ && symbol.equals("-")) {
                return castThenResolve(left, right, SqlType.TIMESTAMPTZ, null, factory);
            }
            if (a == TypeKind.TIMESTAMPTZ && b == TypeKind.TIMESTAMP && symbol.equals("-")) {
                return castThenResolve(left, right, null, SqlType.TIMESTAMPTZ, factory);
            }
            String method = switch (symbol) {
                case "+" -> switch (a) {
                    case TIMESTAMP -> b == TypeKind.INTERVAL ? "timestampPlus" : null;
                    case TIMESTAMPTZ -> b == TypeKind.INTERVAL ? "timestamptzPlus" : null;
                    case DATE -> b == TypeKind.INTERVAL ? "datePlusInterval" : b == TypeKind.TIME ? "datePlusTime" : isExactInteger(right) ? "datePlusDays" : null;
                    case TIME -> b == TypeKind.INTERVAL ? "timePlus" : null;
                    case INTERVAL -> switch (b) {
                        case INTERVAL -> "intervalPlus";
                        case TIMESTAMP -> "intervalPlusTimestamp";
                        case TIMESTAMPTZ -> "intervalPlusTimestamptz";
                        case DATE -> "intervalPlusDate";
                        default -> null;
                    };
                    default -> isExactInteger(left) && b == TypeKind.DATE ? "daysPlusDate" : null;
                };
                case "-" -> switch (a) {
                    case TIMESTAMP -> b == TypeKind.INTERVAL ? "timestampMinus" : b == TypeKind.TIMESTAMP ? "timestampMinusTimestamp" : null;
                    case TIMESTAMPTZ -> b == TypeKind.INTERVAL ? "timestamptzMinus" : b == TypeKind.TIMESTAMPTZ ? "timestamptzMinusTimestamptz" : null;
                    case DATE -> b == TypeKind.INTERVAL ? "dateMinusInterval" : b == TypeKind.DATE ? "dateMinusDate"
                            : isExactInteger(right) ? "dateMinusDays" : null;
                    case TIME -> b == TypeKind.INTERVAL ? "timeMinus" : b == TypeKind.TIME ? "timeMinusTime" : null;
                    case INTERVAL -> b == TypeKind.INTERVAL ? "intervalMinus" : null;
                    case JSONB -> Types.isText(right) ? "deleteKey" : isExactInteger(right) ? "deleteIndex" : null;
                    default -> null;
                };
                case "*" -> a == TypeKind.INTERVAL && isNumber(right) ? "intervalTimes" : isNumber(left) && b == TypeKind.INTERVAL ? "timesInterval" : null;
                case "/" -> a == TypeKind.INTERVAL && isNumber(right) ? "intervalDivide" : null;
                default -> null;
            };
            if (method == null) {
                return null;
            }
            Class<?> owner = a == TypeKind.JSONB ? PgJson.class : PgDatetime.class;
            SqlType result = switch (method) {
                case "timestampPlus", "timestampMinus", "intervalPlusTimestamp", "datePlusInterval", "dateMinusInterval", "intervalPlusDate",
                        "datePlusTime" -> SqlType.TIMESTAMP;
                case "timestamptzPlus", "timestamptzMinus", "intervalPlusTimestamptz" -> SqlType.TIMESTAMPTZ;
                case "datePlusDays", "daysPlusDate", "dateMinusDays" -> SqlType.DATE;
                case "dateMinusDate" -> SqlType.INTEGER;
                case "timePlus", "timeMinus" -> SqlType.TIME;
                case "deleteKey", "deleteIndex" -> SqlType.JSONB;
                default -> SqlType.INTERVAL;
            };
            boolean nullable = left.isNullable() || right.isNullable();
            RelDataType type = factory.createTypeWithNullability(calcite(factory, result), nullable || isObjectKind(result.kind()));
            return Resolution.of(type, runtime(owner, method, List.of(), NullPolicy.STRICT));
        }

        private Resolution castThenResolve(RelDataType left, RelDataType right, SqlType leftCast, SqlType rightCast, RelDataTypeFactory factory) {
            RelDataType newLeft = leftCast == null ? left : calcite(factory, leftCast);
            RelDataType newRight = rightCast == null ? right : calcite(factory, rightCast);
            Resolution resolution = datetime(newLeft, newRight, factory);
            if (resolution == null) {
                return null;
            }
            return new Resolution(resolution.type(), resolution.implementation(), List.of(Optional.ofNullable(leftCast), Optional.ofNullable(rightCast)));
        }

        @Override
        protected RelDataType expectedOperandType(int index, List<RelDataType> known, RelDataTypeFactory factory) {
            RelDataType other = known.size() == 2 ? known.get(1 - index) : null;
            if (other != null && other.getSqlTypeName() != SqlTypeName.UNKNOWN && !isNull(other)) {
                if (symbol.equals("||") && !Types.isText(other)) {
                    return factory.createTypeWithNullability(factory.createSqlType(SqlTypeName.VARCHAR), true);
                }
                boolean datetime = Types.isObject(other) || other.getSqlTypeName() == SqlTypeName.DATE;
                return datetime && symbol.equals("+") ? calcite(factory, SqlType.INTERVAL) : factory.createTypeWithNullability(other, true);
            }
            return super.expectedOperandType(index, known, factory);
        }

        @Override
        protected SluiceException noMatch(List<RelDataType> types) {
            String operands = types.size() == 1 ? symbol + " " + describe(types.get(0)) : describe(types.get(0)) + " " + symbol + " " + describe(types.get(1));
            return SluiceException.of(ErrorCode.UNDEFINED_FUNCTION, "operator does not exist: %s", operands).withHint(OPERATOR_HINT);
        }
    }

    public static final PgOperator PLUS = new Arithmetic("+", SqlStdOperatorTable.PLUS, SqlStdOperatorTable.CHECKED_PLUS, SqlSyntax.BINARY);
    public static final PgOperator MINUS = new Arithmetic("-", SqlStdOperatorTable.MINUS, SqlStdOperatorTable.CHECKED_MINUS, SqlSyntax.BINARY);
    public static final PgOperator TIMES = new Arithmetic("*", SqlStdOperatorTable.MULTIPLY, SqlStdOperatorTable.CHECKED_MULTIPLY, SqlSyntax.BINARY);
    public static final PgOperator DIVIDE = new Arithmetic("/", SqlStdOperatorTable.DIVIDE, null, SqlSyntax.BINARY);
    public static final PgOperator MODULO = new Arithmetic("%", SqlStdOperatorTable.MOD, null, SqlSyntax.BINARY);
    public static final PgOperator CONCAT = new Arithmetic("||", SqlStdOperatorTable.CONCAT, null, SqlSyntax.BINARY);
    public static final PgOperator NEGATE = new Arithmetic("-", SqlStdOperatorTable.UNARY_MINUS, null, SqlSyntax.PREFIX);

    /** The PostgreSQL operator for a standard binary or prefix operator, if it has one. */
    static PgOperator arithmetic(SqlOperator operator) {
        if (operator == SqlStdOperatorTable.PLUS) {
            return PLUS;
        }
        if (operator == SqlStdOperatorTable.MINUS) {
            return MINUS;
        }
        if (operator == SqlStdOperatorTable.MULTIPLY) {
            return TIMES;
        }
        if (operator == SqlStdOperatorTable.DIVIDE) {
            return DIVIDE;
        }
        if (operator == SqlStdOperatorTable.PERCENT_REMAINDER) {
            return MODULO;
        }
        if (operator == SqlStdOperatorTable.CONCAT) {
            return CONCAT;
        }
        if (operator == SqlStdOperatorTable.UNARY_MINUS) {
            return NEGATE;
        }
        return null;
    }

    // ------------------------------------------------------------------ comparison of object types

    /** {@code compare(a, b)}: the sign of a Comparable comparison, for ordering object types. */
    public static final PgOperator COMPARE = new PgOperator("$compare", SqlSyntax.FUNCTION) {
        @Override
        public Resolution resolve(List<RelDataType> types, RelDataTypeFactory factory) {
            if (types.size() != 2) {
                return null;
            }
            RelDataType type = factory.createTypeWithNullability(factory.createSqlType(SqlTypeName.INTEGER),
                    types.get(0).isNullable() || types.get(1).isNullable());
            return Resolution.of(type, runtime(PgRuntime.class, "compare", List.of(), NullPolicy.STRICT));
        }

        @Override
        protected SluiceException noMatch(List<RelDataType> types) {
            return SluiceException.of(ErrorCode.UNDEFINED_FUNCTION, "operator does not exist: %s < %s", describe(types.get(0)), describe(types.get(1)));
        }
    };

    // ------------------------------------------------------------------ greatest and least

    /** {@code greatest(…)} and {@code least(…)}: NULLs are ignored, untyped literals take the other arguments' type. */
    static final class Extremum extends PgOperator {
        private final String method;

        Extremum(String name, String method) {
            super(name, SqlSyntax.FUNCTION);
            this.method = method;
        }

        @Override
        public SqlOperandCountRange getOperandCountRange() {
            return SqlOperandCountRanges.from(1);
        }

        @Override
        public Resolution resolve(List<RelDataType> types, RelDataTypeFactory factory) {
            RelDataType common = commonType(types, factory);
            if (common == null) {
                return null;
            }
            List<Optional<SqlType>> casts = new ArrayList<>();
            boolean any = false;
            for (RelDataType type : types) {
                boolean cast = !isNull(type) && !sluice(type).equals(sluice(common));
                casts.add(cast ? Optional.of(sluice(common)) : Optional.empty());
                any |= cast;
            }
            RelDataType result = factory.createTypeWithNullability(common, true);
            return new Resolution(result, runtime(PgRuntime.class, method, List.of(), NullPolicy.NONE), any ? casts : List.of());
        }

        @Override
        protected RelDataType expectedOperandType(int index, List<RelDataType> known, RelDataTypeFactory factory) {
            for (RelDataType type : known) {
                if (type != null && !isNull(type)) {
                    return factory.createTypeWithNullability(type, true);
                }
            }
            return super.expectedOperandType(index, known, factory);
        }

        @Override
        protected SluiceException noMatch(List<RelDataType> types) {
            return SluiceException.of(ErrorCode.DATATYPE_MISMATCH, "%s types %s cannot be matched", getName().toUpperCase(Locale.ROOT), describe(types))
                    .withHint("Cast the arguments to one type.");
        }
    }

    /** The type values of these types meet in (CASE, COALESCE, GREATEST): PostgreSQL's rules for Sluice's object types. */
    static RelDataType commonType(List<RelDataType> types, RelDataTypeFactory factory) {
        List<RelDataType> known = types.stream().filter(type -> !isNull(type)).toList();
        if (known.isEmpty()) {
            return types.isEmpty() ? null : factory.createTypeWithNullability(factory.createSqlType(SqlTypeName.VARCHAR), true);
        }
        if (known.stream().noneMatch(Types::isObject)) {
            RelDataType common = factory.leastRestrictive(known);
            // numerics of different scales meet as numeric without a scale (PostgreSQL's least(1, 2.5) is 1, not 1.0)
            if (common != null && common.getSqlTypeName() == SqlTypeName.DECIMAL
                    && known.stream().anyMatch(type -> !SqlTypeUtil.equalSansNullability(factory, type, common))) {
                return calcite(factory, SqlType.NUMERIC);
            }
            return common;
        }
        RelDataType object = known.stream().filter(Types::isObject).findFirst().orElseThrow();
        TypeKind kind = sluice(object).kind();
        for (RelDataType type : known) {
            TypeKind other = sluice(type).kind();
            if (other == kind || Types.isText(type)) {
                continue;
            }
            if ((other == TypeKind.TIMESTAMPTZ && (kind == TypeKind.TIMESTAMP || kind == TypeKind.DATE))
                    || (other == TypeKind.TIMESTAMP && kind == TypeKind.DATE)) {
                kind = other;
                continue;
            }
            if ((kind == TypeKind.TIMESTAMPTZ || kind == TypeKind.TIMESTAMP) && other == TypeKind.DATE
                    || kind == TypeKind.TIMESTAMPTZ && other == TypeKind.TIMESTAMP) {
                continue;
            }
            return null;
        }
        return calcite(factory, SqlType.of(kind));
    }

    // ------------------------------------------------------------------ functions

    /** What an argument may be, and what it is cast to when it is an untyped literal. */
    enum Param {
        TEXT(SqlType.TEXT), INT(SqlType.BIGINT), DOUBLE(SqlType.DOUBLE), NUMERIC(SqlType.NUMERIC), BOOL(SqlType.BOOLEAN), DATE(SqlType.DATE),
        TIME(SqlType.TIME), TIMESTAMP(SqlType.TIMESTAMP), TIMESTAMPTZ(SqlType.TIMESTAMPTZ), INTERVAL(SqlType.INTERVAL), JSONB(SqlType.JSONB),
        UUID(SqlType.UUID), BYTEA(SqlType.BYTEA), TEXT_ARRAY(SqlType.array(SqlType.TEXT)), ARRAY(null), MAP(null), ANY(null);

        final SqlType type;

        Param(SqlType type) {
            this.type = type;
        }

        /** Null when the operand does not fit; else the cast it needs (empty when none). */
        Optional<SqlType> match(RelDataType operand, boolean allowCasts) {
            if (isNull(operand)) {
                return type == null ? Optional.empty() : Optional.of(type);
            }
            boolean text = Types.isText(operand);
            boolean fits = switch (this) {
                case TEXT -> text;
                case INT -> isExactInteger(operand);
                case DOUBLE -> operand.getSqlTypeName() == SqlTypeName.DOUBLE;
                case NUMERIC -> operand.getSqlTypeName() == SqlTypeName.DECIMAL;
                case BOOL -> operand.getSqlTypeName() == SqlTypeName.BOOLEAN;
                case DATE -> operand.getSqlTypeName() == SqlTypeName.DATE;
                case TIME, TIMESTAMP, TIMESTAMPTZ, INTERVAL, JSONB, UUID -> Types.isObject(operand) && sluice(operand).equals(type);
                case BYTEA -> operand.getSqlTypeName() == SqlTypeName.VARBINARY || operand.getSqlTypeName() == SqlTypeName.BINARY;
                case TEXT_ARRAY -> operand.getSqlTypeName() == SqlTypeName.ARRAY && Types.isText(operand.getComponentType());
                case ARRAY -> operand.getSqlTypeName() == SqlTypeName.ARRAY;
                case MAP -> operand.getSqlTypeName() == SqlTypeName.MAP;
                case ANY -> true;
            };
            if (fits) {
                return Optional.empty();
            }
            if (!allowCasts) {
                return null;
            }
            boolean castable = switch (this) {
                case DOUBLE, NUMERIC -> text || isNumber(operand);
                case TIMESTAMP -> text || operand.getSqlTypeName() == SqlTypeName.DATE;
                case TIMESTAMPTZ -> text || operand.getSqlTypeName() == SqlTypeName.DATE || is(operand, TypeKind.TIMESTAMP);
                case INT, BOOL, DATE, TIME, INTERVAL, JSONB, UUID, BYTEA, TEXT_ARRAY -> text;
                default -> false;
            };
            return castable ? Optional.of(type) : null;
        }
    }

    /** One signature of a function and its implementation. */
    record Overload(List<Param> parameters, Param variadic, BiFunction<RelDataTypeFactory, List<RelDataType>, RelDataType> result,
            Function<List<RelDataType>, PgOperator.Implementation> implementation) {
        Overload {
            parameters = List.copyOf(parameters);
        }

        PgOperator.Resolution match(List<RelDataType> operands, RelDataTypeFactory factory, boolean allowCasts) {
            if (operands.size() < parameters.size() || variadic == null && operands.size() != parameters.size()) {
                return null;
            }
            List<Optional<SqlType>> casts = new ArrayList<>();
            List<RelDataType> effective = new ArrayList<>();
            for (int i = 0; i < operands.size(); i++) {
                Param parameter = i < parameters.size() ? parameters.get(i) : variadic;
                Optional<SqlType> cast = parameter.match(operands.get(i), allowCasts);
                if (cast == null && allowCasts && parameter == Param.ARRAY && Types.isText(operands.get(i))) {
                    // an untyped literal next to an array is an array of that type ('{x}' in tags @> '{x}')
                    cast = operands.stream().filter(type -> type.getSqlTypeName() == SqlTypeName.ARRAY).findFirst().map(PgOperators::sluice)
                            .map(Optional::of).orElse(null);
                }
                if (cast == null) {
                    return null;
                }
                casts.add(cast);
                effective.add(cast.isPresent() ? calcite(factory, cast.get()) : operands.get(i));
            }
            RelDataType type = factory.createTypeWithNullability(result.apply(factory, effective), true);
            return new PgOperator.Resolution(type, implementation.apply(effective),
                    casts.stream().allMatch(Optional::isEmpty) ? List.of() : casts);
        }
    }

    /** A named function with overloads, tried in order: first without implicit casts, then with them. */
    static final class PgFunction extends PgOperator {
        private final List<Overload> overloads;
        private final boolean deterministic;

        PgFunction(String name, boolean deterministic, List<Overload> overloads) {
            super(name, SqlSyntax.FUNCTION);
            this.overloads = List.copyOf(overloads);
            this.deterministic = deterministic;
        }

        @Override
        public Resolution resolve(List<RelDataType> types, RelDataTypeFactory factory) {
            for (boolean casts : new boolean[] {false, true}) {
                for (Overload overload : overloads) {
                    Resolution resolution = overload.match(types, factory, casts);
                    if (resolution != null) {
                        return resolution;
                    }
                }
            }
            return null;
        }

        @Override
        public SqlOperandCountRange getOperandCountRange() {
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (Overload overload : overloads) {
                min = Math.min(min, overload.parameters().size());
                max = overload.variadic() != null ? -1 : max < 0 ? max : Math.max(max, overload.parameters().size());
            }
            return max < 0 ? SqlOperandCountRanges.from(min) : SqlOperandCountRanges.between(min, max);
        }

        @Override
        protected SluiceException noMatch(List<RelDataType> types) {
            return SluiceException.of(ErrorCode.UNDEFINED_FUNCTION, "function %s(%s) does not exist", getName(), describe(types)).withHint(HINT);
        }

        @Override
        protected RelDataType expectedOperandType(int index, List<RelDataType> known, RelDataTypeFactory factory) {
            for (Overload overload : overloads) {
                if (overload.parameters().size() == known.size() || overload.variadic() != null && known.size() >= overload.parameters().size()) {
                    Param parameter = index < overload.parameters().size() ? overload.parameters().get(index) : overload.variadic();
                    if (parameter.type != null) {
                        return calcite(factory, parameter.type);
                    }
                    break;
                }
            }
            return super.expectedOperandType(index, known, factory);
        }

        @Override
        public boolean isDeterministic() {
            return deterministic;
        }

        @Override
        public boolean isDynamicFunction() {
            return !deterministic;
        }
    }

    // ------------------------------------------------------------------ the function table

    private static final Map<String, PgOperator> FUNCTIONS = new LinkedHashMap<>();

    /** Result rules. */
    private static BiFunction<RelDataTypeFactory, List<RelDataType>, RelDataType> returns(SqlType type) {
        return (factory, operands) -> calcite(factory, type);
    }

    private static BiFunction<RelDataTypeFactory, List<RelDataType>, RelDataType> sameAs(int operand) {
        return (factory, operands) -> operands.get(operand);
    }

    private static Function<List<RelDataType>, PgOperator.Implementation> call(Class<?> owner, String method) {
        return operands -> runtime(owner, method, List.of(), NullPolicy.STRICT);
    }

    private static Function<List<RelDataType>, PgOperator.Implementation> callWithNulls(Class<?> owner, String method) {
        return operands -> runtime(owner, method, List.of(), NullPolicy.NONE);
    }

    /** The Sluice type names of all operands, joined by NUL, as the first constant. */
    private static Function<List<RelDataType>, PgOperator.Implementation> callWithTypes(Class<?> owner, String method, NullPolicy policy) {
        return operands -> {
            StringJoiner names = new StringJoiner("\u0000");
            operands.forEach(type -> names.add(isNull(type) ? "text" : sluice(type).sqlName()));
            return runtime(owner, method, List.of(names.toString()), policy);
        };
    }

    /** The Sluice type name of operand {@code index} as the first constant. */
    private static Function<List<RelDataType>, PgOperator.Implementation> callWithType(Class<?> owner, String method, int index, NullPolicy policy) {
        return operands -> runtime(owner, method, List.of(isNull(operands.get(index)) ? "text" : sluice(operands.get(index)).sqlName()), policy);
    }

    private static Overload overload(List<Param> parameters, BiFunction<RelDataTypeFactory, List<RelDataType>, RelDataType> result,
            Function<List<RelDataType>, PgOperator.Implementation> implementation) {
        return new Overload(parameters, null, result, implementation);
    }

    private static Overload variadic(List<Param> parameters, Param rest, BiFunction<RelDataTypeFactory, List<RelDataType>, RelDataType> result,
            Function<List<RelDataType>, PgOperator.Implementation> implementation) {
        return new Overload(parameters, rest, result, implementation);
    }

    private static void define(String name, Overload... overloads) {
        FUNCTIONS.put(name, new PgFunction(name, true, List.of(overloads)));
    }

    private static void defineVolatile(String name, Overload... overloads) {
        FUNCTIONS.put(name, new PgFunction(name, false, List.of(overloads)));
    }

    private static void alias(String name, String of) {
        PgFunction function = (PgFunction) FUNCTIONS.get(of);
        FUNCTIONS.put(name, new PgFunction(name, function.deterministic, function.overloads));
    }

    /** A function of one signature implemented by a static method of the same name. */
    /** {@code name(field text, value)} for each datetime type, calling {@code PgDatetime.<prefix>Timestamp}, {@code …Timestamptz}, …. */
    private static void definePerDatetimeType(String name, SqlType result, String prefix) {
        Map<Param, String> suffixes = new LinkedHashMap<>();
        suffixes.put(Param.TIMESTAMP, "Timestamp");
        suffixes.put(Param.TIMESTAMPTZ, "Timestamptz");
        suffixes.put(Param.DATE, "Date");
        suffixes.put(Param.TIME, "Time");
        suffixes.put(Param.INTERVAL, "Interval");
        define(name, suffixes.entrySet().stream()
                .map(entry -> overload(List.of(Param.TEXT, entry.getKey()), returns(result), call(PgDatetime.class, prefix + entry.getValue())))
                .toArray(Overload[]::new));
    }

    private static void simple(String name, Class<?> owner, String method, SqlType result, Param... parameters) {
        define(name, overload(List.of(parameters), returns(result), call(owner, method)));
    }

    static {
        FUNCTIONS.put("greatest", new Extremum("greatest", "greatest"));
        FUNCTIONS.put("least", new Extremum("least", "least"));
        Class<?> dt = PgDatetime.class;
        Class<?> json = PgJson.class;
        Class<?> arrays = PgArrays.class;
        Class<?> strings = PgStrings.class;
        Class<?> session = PgSession.class;
        Class<?> kafka = SqlFunctions.class;

        // current time: statement start, microseconds
        defineVolatile("now", overload(List.of(), returns(SqlType.TIMESTAMPTZ), call(dt, "now")));
        alias("transaction_timestamp", "now");
        alias("statement_timestamp", "now");
        defineVolatile("$localtimestamp", overload(List.of(), returns(SqlType.TIMESTAMP), call(dt, "localNow")));
        defineVolatile("$localtime", overload(List.of(), returns(SqlType.TIME), call(dt, "currentTime")));
        defineVolatile("clock_timestamp", overload(List.of(), returns(SqlType.TIMESTAMPTZ), call(dt, "clockTimestamp")));

        define("date_trunc",
                overload(List.of(Param.TEXT, Param.TIMESTAMP), returns(SqlType.TIMESTAMP), call(dt, "dateTruncTimestamp")),
                overload(List.of(Param.TEXT, Param.TIMESTAMPTZ), returns(SqlType.TIMESTAMPTZ), call(dt, "dateTruncTimestamptz")),
                overload(List.of(Param.TEXT, Param.INTERVAL), returns(SqlType.INTERVAL), call(dt, "dateTruncInterval")));
        definePerDatetimeType("date_part", SqlType.DOUBLE, "datePart");
        definePerDatetimeType("extract", SqlType.NUMERIC, "extract");
        define("to_char",
                overload(List.of(Param.TIMESTAMP, Param.TEXT), returns(SqlType.TEXT), call(dt, "toCharTimestamp")),
                overload(List.of(Param.TIMESTAMPTZ, Param.TEXT), returns(SqlType.TEXT), call(dt, "toCharTimestamptz")),
                overload(List.of(Param.INTERVAL, Param.TEXT), returns(SqlType.TEXT), call(dt, "toCharInterval")),
                overload(List.of(Param.NUMERIC, Param.TEXT), returns(SqlType.TEXT), call(dt, "toCharNumber")),
                overload(List.of(Param.DOUBLE, Param.TEXT), returns(SqlType.TEXT), call(dt, "toCharDouble")));
        define("age",
                overload(List.of(Param.TIMESTAMP, Param.TIMESTAMP), returns(SqlType.INTERVAL), call(dt, "age")),
                overload(List.of(Param.TIMESTAMPTZ, Param.TIMESTAMPTZ), returns(SqlType.INTERVAL), call(dt, "ageTimestamptz")),
                overload(List.of(Param.TIMESTAMP), returns(SqlType.INTERVAL), call(dt, "ageFromToday")));
        simple("justify_days", dt, "justifyDays", SqlType.INTERVAL, Param.INTERVAL);
        simple("justify_hours", dt, "justifyHours", SqlType.INTERVAL, Param.INTERVAL);
        simple("justify_interval", dt, "justifyInterval", SqlType.INTERVAL, Param.INTERVAL);
        simple("make_date", dt, "makeDate", SqlType.DATE, Param.INT, Param.INT, Param.INT);
        simple("make_timestamp", dt, "makeTimestamp", SqlType.TIMESTAMP, Param.INT, Param.INT, Param.INT, Param.INT, Param.INT, Param.DOUBLE);
        simple("make_timestamptz", dt, "makeTimestamptz", SqlType.TIMESTAMPTZ, Param.INT, Param.INT, Param.INT, Param.INT, Param.INT, Param.DOUBLE);
        define("to_timestamp",
                overload(List.of(Param.DOUBLE), returns(SqlType.TIMESTAMPTZ), call(dt, "toTimestampEpoch")),
                overload(List.of(Param.TEXT, Param.TEXT), returns(SqlType.TIMESTAMPTZ), call(dt, "toTimestampFormat")));
        simple("to_date", dt, "toDate", SqlType.DATE, Param.TEXT, Param.TEXT);
        define("timezone",
                overload(List.of(Param.TEXT, Param.TIMESTAMP), returns(SqlType.TIMESTAMPTZ), call(dt, "timezoneOfTimestamp")),
                overload(List.of(Param.TEXT, Param.TIMESTAMPTZ), returns(SqlType.TIMESTAMP), call(dt, "timezoneOfTimestamptz")));

        // jsonb operators (PgSyntax turns "a -> b" into "$op->"(a, b)) and functions
        define("$op->",
                overload(List.of(Param.JSONB, Param.TEXT), returns(SqlType.JSONB), call(json, "getField")),
                overload(List.of(Param.JSONB, Param.INT), returns(SqlType.JSONB), call(json, "getElement")),
                overload(List.of(Param.MAP, Param.TEXT), (factory, operands) -> operands.get(0).getValueType(), call(arrays, "mapGet")));
        define("$op->>",
                overload(List.of(Param.JSONB, Param.TEXT), returns(SqlType.TEXT), call(json, "getFieldText")),
                overload(List.of(Param.JSONB, Param.INT), returns(SqlType.TEXT), call(json, "getElementText")));
        simple("$op#>", json, "getPath", SqlType.JSONB, Param.JSONB, Param.TEXT_ARRAY);
        simple("$op#>>", json, "getPathText", SqlType.TEXT, Param.JSONB, Param.TEXT_ARRAY);
        simple("$op#-", json, "deletePath", SqlType.JSONB, Param.JSONB, Param.TEXT_ARRAY);
        define("$op@>",
                overload(List.of(Param.JSONB, Param.JSONB), returns(SqlType.BOOLEAN), call(json, "contains")),
                overload(List.of(Param.ARRAY, Param.ARRAY), returns(SqlType.BOOLEAN), call(arrays, "contains")));
        define("$op<@",
                overload(List.of(Param.JSONB, Param.JSONB), returns(SqlType.BOOLEAN), call(json, "containedIn")),
                overload(List.of(Param.ARRAY, Param.ARRAY), returns(SqlType.BOOLEAN), call(arrays, "containedIn")));
        simple("$op&&", arrays, "overlaps", SqlType.BOOLEAN, Param.ARRAY, Param.ARRAY);
        simple("$op?", json, "hasKey", SqlType.BOOLEAN, Param.JSONB, Param.TEXT);
        simple("$op?|", json, "hasAnyKey", SqlType.BOOLEAN, Param.JSONB, Param.TEXT_ARRAY);
        simple("$op?&", json, "hasAllKeys", SqlType.BOOLEAN, Param.JSONB, Param.TEXT_ARRAY);
        simple("jsonb_typeof", json, "typeof", SqlType.TEXT, Param.JSONB);
        simple("jsonb_array_length", json, "arrayLength", SqlType.INTEGER, Param.JSONB);
        simple("jsonb_pretty", json, "pretty", SqlType.TEXT, Param.JSONB);
        simple("jsonb_strip_nulls", json, "stripNulls", SqlType.JSONB, Param.JSONB);
        define("jsonb_set",
                overload(List.of(Param.JSONB, Param.TEXT_ARRAY, Param.JSONB), returns(SqlType.JSONB), call(json, "set3")),
                overload(List.of(Param.JSONB, Param.TEXT_ARRAY, Param.JSONB, Param.BOOL), returns(SqlType.JSONB), call(json, "set")));
        define("jsonb_extract_path", variadic(List.of(Param.JSONB), Param.TEXT, returns(SqlType.JSONB), call(json, "extractPath")));
        define("jsonb_extract_path_text", variadic(List.of(Param.JSONB), Param.TEXT, returns(SqlType.TEXT), call(json, "extractPathText")));
        define("jsonb_build_object", variadic(List.of(), Param.ANY, returns(SqlType.JSONB), callWithTypes(json, "buildObject", NullPolicy.NONE)));
        define("jsonb_build_array", variadic(List.of(), Param.ANY, returns(SqlType.JSONB), callWithTypes(json, "buildArray", NullPolicy.NONE)));
        define("to_jsonb", overload(List.of(Param.ANY), returns(SqlType.JSONB), callWithType(json, "toJsonb", 0, NullPolicy.STRICT)));
        for (String name : List.of("typeof", "array_length", "pretty", "strip_nulls", "extract_path", "extract_path_text", "build_object",
                "build_array")) {
            alias("json_" + name, "jsonb_" + name);
        }
        alias("to_json", "to_jsonb");

        // set-returning functions as arrays (UNNEST makes them rows)
        Class<?> series = PgSeries.class;
        BiFunction<RelDataTypeFactory, List<RelDataType>, RelDataType> integers = (factory, operands) -> calcite(factory,
                SqlType.array(operands.stream().allMatch(type -> isNull(type) || type.getSqlTypeName() != SqlTypeName.BIGINT)
                        ? SqlType.INTEGER : SqlType.BIGINT));
        Function<List<RelDataType>, PgOperator.Implementation> integerSeries = operands -> runtime(series,
                (operands.stream().allMatch(type -> isNull(type) || type.getSqlTypeName() != SqlTypeName.BIGINT) ? "integers" : "longs")
                        + (operands.size() == 3 ? "By" : ""), List.of(), NullPolicy.STRICT);
        define("$generate_series",
                overload(List.of(Param.INT, Param.INT), integers, integerSeries),
                overload(List.of(Param.INT, Param.INT, Param.INT), integers, integerSeries),
                overload(List.of(Param.NUMERIC, Param.NUMERIC), returns(SqlType.array(SqlType.NUMERIC)), call(series, "decimals2")),
                overload(List.of(Param.NUMERIC, Param.NUMERIC, Param.NUMERIC), returns(SqlType.array(SqlType.NUMERIC)), call(series, "decimals")),
                overload(List.of(Param.TIMESTAMP, Param.TIMESTAMP, Param.INTERVAL), returns(SqlType.array(SqlType.TIMESTAMP)),
                        call(series, "timestamps")),
                overload(List.of(Param.TIMESTAMPTZ, Param.TIMESTAMPTZ, Param.INTERVAL), returns(SqlType.array(SqlType.TIMESTAMPTZ)),
                        call(series, "timestamptzs")));
        simple("$jsonb_array_elements", series, "jsonbElements", SqlType.array(SqlType.JSONB), Param.JSONB);
        simple("$jsonb_array_elements_text", series, "jsonbElementsText", SqlType.array(SqlType.TEXT), Param.JSONB);
        simple("$jsonb_object_keys", json, "objectKeys", SqlType.array(SqlType.TEXT), Param.JSONB);

        // bitwise operators (PgSyntax turns "a & b" into "$op&"(a, b))
        simple("$op&", PgRuntime.class, "bitAnd", SqlType.BIGINT, Param.INT, Param.INT);
        simple("$op|", PgRuntime.class, "bitOr", SqlType.BIGINT, Param.INT, Param.INT);
        simple("$op#", PgRuntime.class, "bitXor", SqlType.BIGINT, Param.INT, Param.INT);
        simple("$op<<", PgRuntime.class, "shiftLeft", SqlType.BIGINT, Param.INT, Param.INT);
        simple("$op>>", PgRuntime.class, "shiftRight", SqlType.BIGINT, Param.INT, Param.INT);
        simple("$op^", PgRuntime.class, "power", SqlType.DOUBLE, Param.DOUBLE, Param.DOUBLE);

        // arrays
        define("array_to_string",
                overload(List.of(Param.ARRAY, Param.TEXT), returns(SqlType.TEXT), callWithType(arrays, "arrayToString", 0, NullPolicy.STRICT)),
                overload(List.of(Param.ARRAY, Param.TEXT, Param.TEXT), returns(SqlType.TEXT),
                        callWithType(arrays, "arrayToStringWithNull", 0, NullPolicy.NONE)));
        simple("array_length", arrays, "arrayLength", SqlType.INTEGER, Param.ARRAY, Param.INT);
        simple("array_upper", arrays, "arrayLength", SqlType.INTEGER, Param.ARRAY, Param.INT);
        simple("array_lower", arrays, "arrayLower", SqlType.INTEGER, Param.ARRAY, Param.INT);
        simple("array_ndims", arrays, "arrayNdims", SqlType.INTEGER, Param.ARRAY);
        define("array_append", overload(List.of(Param.ARRAY, Param.ANY), sameAs(0), callWithNulls(arrays, "arrayAppend")));
        define("array_prepend", overload(List.of(Param.ANY, Param.ARRAY), sameAs(1), callWithNulls(arrays, "arrayPrepend")));
        define("array_cat", overload(List.of(Param.ARRAY, Param.ARRAY), sameAs(0), callWithNulls(arrays, "arrayCat")));
        define("array_position", overload(List.of(Param.ARRAY, Param.ANY), returns(SqlType.INTEGER), call(arrays, "arrayPosition")));
        define("array_remove", overload(List.of(Param.ARRAY, Param.ANY), sameAs(0), callWithNulls(arrays, "arrayRemove")));
        define("array_replace", overload(List.of(Param.ARRAY, Param.ANY, Param.ANY), sameAs(0), callWithNulls(arrays, "arrayReplace")));
        define("string_to_array",
                overload(List.of(Param.TEXT, Param.TEXT), returns(SqlType.array(SqlType.TEXT)), callWithNulls(arrays, "stringToArray2")),
                overload(List.of(Param.TEXT, Param.TEXT, Param.TEXT), returns(SqlType.array(SqlType.TEXT)), callWithNulls(arrays, "stringToArray")));

        // strings
        define("concat", variadic(List.of(), Param.ANY, returns(SqlType.TEXT), callWithTypes(strings, "concat", NullPolicy.NONE)));
        define("concat_ws", variadic(List.of(Param.TEXT), Param.ANY, returns(SqlType.TEXT), callWithTypes(strings, "concatWs", NullPolicy.NONE)));
        define("format", variadic(List.of(Param.TEXT), Param.ANY, returns(SqlType.TEXT), callWithTypes(strings, "format", NullPolicy.NONE)));
        simple("quote_ident", strings, "quoteIdent", SqlType.TEXT, Param.TEXT);
        simple("quote_literal", strings, "quoteLiteral", SqlType.TEXT, Param.TEXT);
        define("quote_nullable", overload(List.of(Param.TEXT), returns(SqlType.TEXT), callWithNulls(strings, "quoteNullable")));
        simple("to_hex", strings, "toHex", SqlType.TEXT, Param.INT);
        define("regexp_match",
                overload(List.of(Param.TEXT, Param.TEXT), returns(SqlType.array(SqlType.TEXT)), call(strings, "regexpMatch")),
                overload(List.of(Param.TEXT, Param.TEXT, Param.TEXT), returns(SqlType.array(SqlType.TEXT)), call(strings, "regexpMatchFlags")));
        simple("regexp_split_to_array", strings, "regexpSplitToArray", SqlType.array(SqlType.TEXT), Param.TEXT, Param.TEXT);
        define("regexp_replace",
                overload(List.of(Param.TEXT, Param.TEXT, Param.TEXT), returns(SqlType.TEXT), call(strings, "regexpReplace3")),
                overload(List.of(Param.TEXT, Param.TEXT, Param.TEXT, Param.TEXT), returns(SqlType.TEXT), call(strings, "regexpReplace")));
        simple("initcap", strings, "initcap", SqlType.TEXT, Param.TEXT);
        simple("reverse", strings, "reverse", SqlType.TEXT, Param.TEXT);
        simple("bit_length", strings, "bitLength", SqlType.INTEGER, Param.TEXT);
        define("btrim",
                overload(List.of(Param.TEXT), returns(SqlType.TEXT), call(strings, "btrim")),
                overload(List.of(Param.TEXT, Param.TEXT), returns(SqlType.TEXT), call(strings, "btrimCharacters")));
        simple("div", PgRuntime.class, "div", SqlType.NUMERIC, Param.NUMERIC, Param.NUMERIC);
        simple("gcd", PgRuntime.class, "gcd", SqlType.BIGINT, Param.INT, Param.INT);
        simple("lcm", PgRuntime.class, "lcm", SqlType.BIGINT, Param.INT, Param.INT);
        define("log10", overload(List.of(Param.DOUBLE), returns(SqlType.DOUBLE), call(PgRuntime.class, "log10")));
        define("trunc",
                overload(List.of(Param.NUMERIC), returns(SqlType.NUMERIC), call(PgRuntime.class, "truncate")),
                overload(List.of(Param.NUMERIC, Param.INT), returns(SqlType.NUMERIC), call(PgRuntime.class, "truncateTo")),
                overload(List.of(Param.DOUBLE), returns(SqlType.DOUBLE), call(PgRuntime.class, "truncateDouble")));
        define("pg_typeof", overload(List.of(Param.ANY), returns(SqlType.TEXT), callWithType(session, "pgTypeof", 0, NullPolicy.NONE)));

        // session and catalog
        simple("version", session, "version", SqlType.TEXT);
        simple("mz_version", session, "mzVersion", SqlType.TEXT);
        simple("current_database", session, "currentDatabase", SqlType.TEXT);
        simple("current_schema", session, "currentSchema", SqlType.TEXT);
        simple("current_schemas", session, "currentSchemas", SqlType.array(SqlType.TEXT), Param.BOOL);
        define("current_setting",
                overload(List.of(Param.TEXT), returns(SqlType.TEXT), call(session, "currentSetting")),
                overload(List.of(Param.TEXT, Param.BOOL), returns(SqlType.TEXT), call(session, "currentSettingMissingOk")));
        simple("pg_backend_pid", session, "pgBackendPid", SqlType.INTEGER);
        for (String name : List.of("pg_table_is_visible", "pg_type_is_visible", "pg_function_is_visible", "pg_operator_is_visible",
                "pg_collation_is_visible", "pg_conversion_is_visible", "pg_opclass_is_visible", "pg_ts_config_is_visible")) {
            simple(name, session, "visible", SqlType.BOOLEAN, Param.INT);
        }
        simple("pg_get_userbyid", session, "pgGetUserbyid", SqlType.TEXT, Param.INT);
        for (String name : List.of("has_table_privilege", "has_schema_privilege", "has_database_privilege", "has_any_column_privilege",
                "has_function_privilege", "has_sequence_privilege", "pg_has_role")) {
            define(name,
                    overload(List.of(Param.ANY, Param.TEXT), returns(SqlType.BOOLEAN), call(session, "hasPrivilege")),
                    overload(List.of(Param.ANY, Param.ANY, Param.TEXT), returns(SqlType.BOOLEAN), call(session, "hasPrivilegeOfUser")));
        }
        define("has_column_privilege",
                overload(List.of(Param.ANY, Param.ANY, Param.TEXT), returns(SqlType.BOOLEAN), call(session, "hasPrivilegeOfUser")));
        simple("pg_encoding_to_char", session, "pgEncodingToChar", SqlType.TEXT, Param.INT);
        define("obj_description",
                overload(List.of(Param.INT), returns(SqlType.TEXT), call(session, "objDescription")),
                overload(List.of(Param.INT, Param.TEXT), returns(SqlType.TEXT), call(session, "objDescriptionIn")));
        define("shobj_description", overload(List.of(Param.INT, Param.TEXT), returns(SqlType.TEXT), call(session, "sharedObjectDescription")));
        simple("col_description", session, "colDescription", SqlType.TEXT, Param.INT, Param.INT);
        define("$regclass", overload(List.of(Param.INT, Param.TEXT), returns(SqlType.INTEGER), callWithNulls(session, "regclass")));
        define("$regtype", overload(List.of(Param.INT, Param.TEXT), returns(SqlType.INTEGER), callWithNulls(session, "regtype")));
        define("format_type", overload(List.of(Param.INT, Param.INT), returns(SqlType.TEXT), callWithNulls(session, "formatType")));
        define("pg_get_expr",
                overload(List.of(Param.TEXT, Param.INT), returns(SqlType.TEXT), call(session, "pgGetExpr")),
                overload(List.of(Param.TEXT, Param.INT, Param.BOOL), returns(SqlType.TEXT), call(session, "pgGetExprPretty")));
        define("pg_get_indexdef",
                overload(List.of(Param.INT), returns(SqlType.TEXT), call(session, "pgGetIndexdef")),
                overload(List.of(Param.INT, Param.INT, Param.BOOL), returns(SqlType.TEXT), call(session, "pgGetIndexdefColumn")));
        define("pg_get_constraintdef",
                overload(List.of(Param.INT), returns(SqlType.TEXT), call(session, "pgGetConstraintdef")),
                overload(List.of(Param.INT, Param.BOOL), returns(SqlType.TEXT), call(session, "pgGetConstraintdefPretty")));
        for (String name : List.of("pg_get_viewdef", "pg_get_function_result", "pg_get_function_arguments",
                "pg_get_function_identity_arguments", "pg_get_triggerdef", "pg_get_ruledef", "pg_get_statisticsobjdef_columns",
                "pg_get_partkeydef")) {
            define(name,
                    overload(List.of(Param.INT), returns(SqlType.TEXT), call(session, "noDefinition")),
                    overload(List.of(Param.INT, Param.BOOL), returns(SqlType.TEXT), call(session, "noDefinitionPretty")));
        }
        for (String name : List.of("pg_table_size", "pg_relation_size", "pg_total_relation_size", "pg_indexes_size", "pg_database_size")) {
            simple(name, session, "zeroSize", SqlType.BIGINT, Param.INT);
        }
        simple("pg_size_pretty", session, "pgSizePretty", SqlType.TEXT, Param.INT);
        simple("pg_is_in_recovery", session, "isInRecovery", SqlType.BOOLEAN);
        defineVolatile("pg_postmaster_start_time", overload(List.of(), returns(SqlType.TIMESTAMPTZ), call(dt, "now")));
        defineVolatile("gen_random_uuid", overload(List.of(), returns(SqlType.UUID), call(session, "genRandomUuid")));

        // Kafka hashes and encodings
        define("crc32", overload(List.of(Param.TEXT), returns(SqlType.UINT4), call(kafka, "crc32Text")),
                overload(List.of(Param.BYTEA), returns(SqlType.UINT4), call(kafka, "crc32Bytes")));
        define("kafka_murmur2", overload(List.of(Param.TEXT), returns(SqlType.INTEGER), call(kafka, "kafkaMurmur2Text")),
                overload(List.of(Param.BYTEA), returns(SqlType.INTEGER), call(kafka, "kafkaMurmur2Bytes")));
        define("seahash", overload(List.of(Param.TEXT), returns(SqlType.UINT8), call(kafka, "seahashText")),
                overload(List.of(Param.BYTEA), returns(SqlType.UINT8), call(kafka, "seahashBytes")));
        simple("decode", kafka, "decode", SqlType.BYTEA, Param.TEXT, Param.TEXT);
        simple("encode", kafka, "encode", SqlType.TEXT, Param.BYTEA, Param.TEXT);
    }

    /** Sluice's functions, looked up by name before Calcite's. */
    public static SqlOperatorTable table() {
        return SqlOperatorTables.of(FUNCTIONS.values());
    }

    /** The names this table defines (Calcite's functions of the same names are hidden). */
    public static Collection<String> names() {
        return FUNCTIONS.keySet();
    }

    /** The function named {@code name}, for rewrites that call one directly. */
    static PgOperator function(String name) {
        return Objects.requireNonNull(FUNCTIONS.get(name), name);
    }
}
