package dev.sluice.sql.query.internal;

import dev.sluice.common.type.SqlType;
import dev.sluice.common.type.TypeKind;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.type.SqlTypeMappingRule;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorScope;
import org.apache.calcite.sql.validate.implicit.TypeCoercionImpl;

/**
 * Calcite's implicit coercion, extended with PostgreSQL's for Sluice's object types: an untyped
 * literal compared with (or in a {@code CASE} or {@code IN} list with) a timestamp, interval, jsonb
 * or uuid is read as that type ({@code ts > '2024-01-01'}), a date meets a timestamp as a timestamp,
 * and a timestamp meets a timestamptz as a timestamptz. The inserted casts are Sluice's.
 */
public final class PgTypeCoercion extends TypeCoercionImpl {
    public PgTypeCoercion(RelDataTypeFactory factory, SqlValidator validator) {
        super(factory, validator);
    }

    /** The common type of two types when an object type is involved; null when there is none (or none is involved). */
    private RelDataType objectCommonType(RelDataType first, RelDataType second) {
        boolean firstObject = Types.isObject(first);
        boolean secondObject = Types.isObject(second);
        if (!firstObject && !secondObject) {
            return null;
        }
        if (PgOperators.isNull(first)) {
            return second;
        }
        if (PgOperators.isNull(second)) {
            return first;
        }
        SqlType a = Types.fromCalcite(first);
        SqlType b = Types.fromCalcite(second);
        if (a.kind() == b.kind()) {
            return first.isNullable() ? first : second;
        }
        if (firstObject && Types.isText(second)) {
            return first;
        }
        if (secondObject && Types.isText(first)) {
            return second;
        }
        TypeKind wider = wider(a.kind(), b.kind());
        return wider == null ? null : Types.toCalcite(factory, SqlType.of(wider), true);
    }

    private static TypeKind wider(TypeKind a, TypeKind b) {
        if ((a == TypeKind.DATE || a == TypeKind.TIMESTAMP) && b == TypeKind.TIMESTAMPTZ
                || (b == TypeKind.DATE || b == TypeKind.TIMESTAMP) && a == TypeKind.TIMESTAMPTZ) {
            return TypeKind.TIMESTAMPTZ;
        }
        if (a == TypeKind.DATE && b == TypeKind.TIMESTAMP || b == TypeKind.DATE && a == TypeKind.TIMESTAMP) {
            return TypeKind.TIMESTAMP;
        }
        return null;
    }

    @Override
    public RelDataType commonTypeForBinaryComparison(RelDataType first, RelDataType second) {
        if (first != null && second != null && (Types.isObject(first) || Types.isObject(second))) {
            return objectCommonType(first, second);
        }
        return super.commonTypeForBinaryComparison(first, second);
    }

    @Override
    public RelDataType getTightestCommonType(RelDataType first, RelDataType second) {
        if (first != null && second != null && (Types.isObject(first) || Types.isObject(second))) {
            return objectCommonType(first, second);
        }
        return super.getTightestCommonType(first, second);
    }

    /** An object type is cast to another exactly when the Sluice types differ (Calcite has no casting rules for them). */
    @Override
    protected boolean needToCast(SqlValidatorScope scope, SqlNode node, RelDataType target, SqlTypeMappingRule rule) {
        RelDataType type = validator.deriveType(scope, node);
        if (type != null && (Types.isObject(type) || Types.isObject(target))) {
            return !PgOperators.isNull(type) && !Types.fromCalcite(type).equals(Types.fromCalcite(target));
        }
        return super.needToCast(scope, node, target, rule);
    }

    /** {@code 'y' = ANY(text_array)}: the left operand takes the element type. */
    @Override
    public boolean quantifyOperationCoercion(SqlCallBinding binding) {
        if (binding.getOperandCount() == 2) {
            RelDataType left = binding.getOperandType(0);
            RelDataType element = binding.getOperandType(1).getComponentType();
            if (element != null && !PgOperators.isNull(left) && !PgOperators.isNull(element)
                    && left.getSqlTypeName() != element.getSqlTypeName()
                    && PgCasts.castable(Types.fromCalcite(left), Types.fromCalcite(element))) {
                SqlNode operand = binding.operand(0);
                SqlNode cast = PgOperators.cast(CastTarget.of(Types.fromCalcite(element))).createCall(operand.getParserPosition(), operand);
                updateInferredType(cast, validator.deriveType(binding.getScope(), cast));
                binding.getCall().setOperand(0, cast);
                return true;
            }
        }
        return super.quantifyOperationCoercion(binding);
    }

    @Override
    protected boolean coerceOperandType(SqlValidatorScope scope, SqlCall call, int index, RelDataType target) {
        SqlNode operand = call.getOperandList().get(index);
        RelDataType type = validator.deriveType(scope, operand);
        if (!Types.isObject(target) && !Types.isObject(type)) {
            return super.coerceOperandType(scope, call, index, target);
        }
        SqlNode cast = objectCast(scope, operand, type, target);
        if (cast == null) {
            return false;
        }
        call.setOperand(index, cast);
        return true;
    }

    @Override
    protected boolean coerceColumnType(SqlValidatorScope scope, SqlNodeList list, int index, RelDataType target) {
        SqlNode operand = list.get(index);
        RelDataType type = validator.deriveType(scope, operand);
        if (!Types.isObject(target) && !Types.isObject(type)) {
            return super.coerceColumnType(scope, list, index, target);
        }
        SqlNode cast = objectCast(scope, operand, type, target);
        if (cast == null) {
            return false;
        }
        list.set(index, cast);
        return true;
    }

    private SqlNode objectCast(SqlValidatorScope scope, SqlNode operand, RelDataType type, RelDataType target) {
        if (operand instanceof SqlDynamicParam || PgOperators.isNull(type) || Types.fromCalcite(type).equals(Types.fromCalcite(target))) {
            return null;
        }
        SqlNode cast = PgOperators.cast(CastTarget.of(Types.fromCalcite(target))).createCall(operand.getParserPosition(), operand);
        updateInferredType(cast, validator.deriveType(scope, cast));
        return cast;
    }
}
