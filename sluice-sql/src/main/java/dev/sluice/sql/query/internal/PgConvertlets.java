package dev.sluice.sql.query.internal;

import dev.sluice.common.type.TypeKind;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.fun.SqlTrimFunction;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql2rel.SqlRexConvertlet;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.apache.calcite.sql2rel.StandardConvertletTable;

/**
 * The conversion of Sluice's operators to row expressions ({@link PgOperator#convert}), and the
 * rewrite of comparisons of object types, which Calcite's code generator cannot implement, into
 * comparisons of {@code $compare(a, b)} with zero. {@code =} and {@code <>} of intervals compare too,
 * because PostgreSQL's {@code '1 day' = '24 hours'} is true.
 */
public final class PgConvertlets implements SqlRexConvertletTable {
    public static final PgConvertlets INSTANCE = new PgConvertlets();

    private PgConvertlets() {
    }

    @Override
    public SqlRexConvertlet get(SqlCall call) {
        if (call.getOperator() instanceof PgOperator operator) {
            return operator::convert;
        }
        return StandardConvertletTable.INSTANCE.get(call);
    }

    /** Rewrites the comparisons of object types in a whole plan (including sub-queries). */
    public static RelNode rewriteComparisons(RelNode plan) {
        RexBuilder builder = plan.getCluster().getRexBuilder();
        RelHomogeneousShuttle relations = new RelHomogeneousShuttle() {
            @Override
            public RelNode visit(RelNode other) {
                RelNode visited = super.visit(other);
                RelHomogeneousShuttle self = this;
                return visited.accept(new RexShuttle() {
                    @Override
                    public RexNode visitCall(RexCall call) {
                        if (call.getKind() == SqlKind.SEARCH && isPaddedChar(call.getOperands().get(0))) {
                            // x IN ('a', 'b') on a char(n) x: as comparisons, which drop the padding.
                            return RexUtil.expandSearch(builder, null, call).accept(this);
                        }
                        RexCall visitedCall = (RexCall) super.visitCall(call);
                        return comparison(builder, visitedCall);
                    }

                    @Override
                    public RexNode visitSubQuery(RexSubQuery subQuery) {
                        RexSubQuery visitedQuery = (RexSubQuery) super.visitSubQuery(subQuery);
                        return visitedQuery.clone(visitedQuery.rel.accept(self));
                    }
                });
            }
        };
        return plan.accept(relations);
    }

    private static RexNode comparison(RexBuilder builder, RexCall call) {
        SqlKind kind = call.getKind();
        boolean ordering = kind == SqlKind.LESS_THAN || kind == SqlKind.LESS_THAN_OR_EQUAL || kind == SqlKind.GREATER_THAN
                || kind == SqlKind.GREATER_THAN_OR_EQUAL;
        boolean equality = kind == SqlKind.EQUALS || kind == SqlKind.NOT_EQUALS;
        if (!(ordering || equality) || call.getOperands().size() != 2) {
            return call;
        }
        if (call.getOperands().stream().anyMatch(PgConvertlets::isPaddedChar)) {
            // PostgreSQL's char(n): trailing spaces are insignificant when compared ('abc'::char(5) = 'abc').
            return builder.makeCall(call.getType(), call.getOperator(), call.getOperands().stream().map(operand -> unpadded(builder, operand)).toList());
        }
        RelDataType left = call.getOperands().get(0).getType();
        RelDataType right = call.getOperands().get(1).getType();
        boolean object = Types.isObject(left) && Types.isObject(right);
        if (!object || equality && Types.fromCalcite(left).kind() != TypeKind.INTERVAL) {
            return call;
        }
        RelDataType integer = builder.getTypeFactory().createTypeWithNullability(builder.getTypeFactory().createSqlType(SqlTypeName.INTEGER),
                left.isNullable() || right.isNullable());
        RexNode compared = builder.makeCall(integer, PgOperators.COMPARE, new ArrayList<>(call.getOperands()));
        List<RexNode> operands = List.of(compared, builder.makeZeroLiteral(integer));
        return builder.makeCall(call.getType(), call.getOperator(), operands);
    }

    /**
     * A char(n) value: a column or an expression of type CHAR, not a string literal (which is PostgreSQL's text), also
     * when the validator cast it to varchar to compare it with text.
     */
    private static boolean isPaddedChar(RexNode node) {
        RexNode value = castFromChar(node);
        return value.getType().getSqlTypeName() == SqlTypeName.CHAR && !(value instanceof RexLiteral);
    }

    /** The CHAR value a cast to a character type converts, or the node itself. */
    private static RexNode castFromChar(RexNode node) {
        if (node.getKind() == SqlKind.CAST && node instanceof RexCall cast && SqlTypeName.CHAR_TYPES.contains(node.getType().getSqlTypeName())
                && cast.getOperands().get(0).getType().getSqlTypeName() == SqlTypeName.CHAR) {
            return cast.getOperands().get(0);
        }
        return node;
    }

    /** A CHAR operand (or a cast of one) without its trailing spaces, as varchar; any other operand as it is. */
    private static RexNode unpadded(RexBuilder builder, RexNode node) {
        RexNode operand = castFromChar(node);
        if (operand.getType().getSqlTypeName() != SqlTypeName.CHAR) {
            return node;
        }
        RexNode trimmed = builder.makeCall(SqlStdOperatorTable.TRIM, builder.makeFlag(SqlTrimFunction.Flag.TRAILING), builder.makeLiteral(" "), operand);
        RelDataType varchar = builder.getTypeFactory().createTypeWithNullability(
                builder.getTypeFactory().createSqlType(SqlTypeName.VARCHAR), operand.getType().isNullable());
        return builder.makeCast(varchar, trimmed);
    }
}
