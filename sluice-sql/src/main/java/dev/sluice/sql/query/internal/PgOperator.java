package dev.sluice.sql.query.internal;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.SqlType;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.CallImplementor;
import org.apache.calcite.adapter.enumerable.EnumUtils;
import org.apache.calcite.adapter.enumerable.NullPolicy;
import org.apache.calcite.adapter.enumerable.RexImpTable;
import org.apache.calcite.adapter.enumerable.RexToLixTranslator;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.schema.FunctionParameter;
import org.apache.calcite.schema.ImplementableFunction;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.SqlUtil;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlOperandCountRanges;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorScope;
import org.apache.calcite.sql2rel.SqlRexContext;

/**
 * An operator with PostgreSQL's semantics: a cast, an arithmetic operator, or a function. It is
 * resolved for its operand types ({@link #resolve}) into a result type and an implementation: a
 * standard Calcite operator (so Calcite's optimizer keeps seeing plain arithmetic and casts), or a
 * static Java method that generated code calls. The same resolution serves the validator, the
 * conversion to relational algebra ({@link #convert}) and code generation, so they cannot disagree.
 */
public abstract class PgOperator extends SqlUserDefinedFunction {
    /** Only asked for the Java classes of types, which do not depend on the type system. */
    private static final JavaTypeFactory CODEGEN_TYPES = new JavaTypeFactoryImpl();

    /** How a resolved call runs. */
    public sealed interface Implementation permits NativeCall, NativeCast, RuntimeCall {
    }

    /** The call is Calcite's {@code operator} over the same operands. */
    public record NativeCall(SqlOperator operator) implements Implementation {
        public NativeCall {
            requireNonNull(operator, "operator is null");
        }
    }

    /** The call is Calcite's {@code CAST} to the result type. */
    public record NativeCast() implements Implementation {
    }

    /**
     * The call is {@code method(constants…, operands…)} on Calcite's runtime values; a first
     * parameter of type {@link DataContext} receives the execution's context.
     */
    public record RuntimeCall(Method method, List<Object> constants, NullPolicy nullPolicy) implements Implementation {
        public RuntimeCall {
            requireNonNull(method, "method is null");
            constants = List.copyOf(constants);
            requireNonNull(nullPolicy, "nullPolicy is null");
        }
    }

    /**
     * A call resolved for its operand types.
     *
     * @param operandCasts per operand, the Sluice type it is first cast to (PostgreSQL's implicit
     *     coercion of literals, e.g. {@code '{"a":1}'} to {@code jsonb}); empty for as it is
     */
    public record Resolution(RelDataType type, Implementation implementation, List<Optional<SqlType>> operandCasts) {
        public Resolution {
            requireNonNull(type, "type is null");
            requireNonNull(implementation, "implementation is null");
            operandCasts = List.copyOf(operandCasts);
        }

        public static Resolution of(RelDataType type, Implementation implementation) {
            return new Resolution(type, implementation, List.of());
        }
    }

    private static final ImplementableFunction IMPLEMENTATION = new ImplementableFunction() {
        @Override
        public List<FunctionParameter> getParameters() {
            return List.of();
        }

        @Override
        public CallImplementor getImplementor() {
            return (translator, call, nullAs) -> ((PgOperator) call.getOperator()).implement(translator, call, nullAs);
        }
    };

    protected PgOperator(String name, SqlSyntax syntax) {
        super(new SqlIdentifier(name, SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
                binding -> ((PgOperator) binding.getOperator()).returnType(binding),
                (binding, returnType, operandTypes) -> ((PgOperator) binding.getOperator()).inferOperandTypes(binding, operandTypes),
                null, IMPLEMENTATION, SqlFunctionCategory.USER_DEFINED_FUNCTION, syntax);
    }

    /**
     * The types of operands that have none of their own (parameters {@code ?}): what the operator
     * expects at that position; {@code text} when it takes anything.
     */
    protected RelDataType expectedOperandType(int index, List<RelDataType> known, RelDataTypeFactory factory) {
        return factory.createTypeWithNullability(factory.createSqlType(SqlTypeName.VARCHAR), true);
    }

    private void inferOperandTypes(SqlCallBinding binding, RelDataType[] operandTypes) {
        List<RelDataType> known = new ArrayList<>();
        for (int i = 0; i < binding.getOperandCount(); i++) {
            SqlNode operand = binding.operand(i);
            boolean unknown = operand instanceof SqlDynamicParam || SqlUtil.isNullLiteral(operand, false);
            known.add(unknown ? null : binding.getOperandType(i));
        }
        for (int i = 0; i < operandTypes.length; i++) {
            RelDataType type = known.get(i);
            operandTypes[i] = type != null && type.getSqlTypeName() != SqlTypeName.UNKNOWN ? type
                    : expectedOperandType(i, known, binding.getTypeFactory());
        }
    }

    /** The resolution for these operand types, or null when none applies. */
    public abstract Resolution resolve(List<RelDataType> operandTypes, RelDataTypeFactory factory);

    /** The error when no resolution applies. */
    protected abstract SluiceException noMatch(List<RelDataType> operandTypes);

    @Override
    public SqlOperandCountRange getOperandCountRange() {
        return SqlOperandCountRanges.any();
    }

    @Override
    public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure) {
        List<RelDataType> types = binding.collectOperandTypes();
        if (resolve(types, binding.getTypeFactory()) != null) {
            return true;
        }
        if (!throwOnFailure) {
            return false;
        }
        SluiceException error = noMatch(types);
        SqlParserPos position = binding.getCall().getParserPosition();
        throw new CalciteContextException(error.getMessage(), error, position.getLineNum(), position.getColumnNum(),
                position.getEndLineNum(), position.getEndColumnNum());
    }

    private RelDataType returnType(SqlOperatorBinding binding) {
        Resolution resolution = resolve(binding.collectOperandTypes(), binding.getTypeFactory());
        if (resolution == null) {
            throw noMatch(binding.collectOperandTypes());
        }
        return resolution.type();
    }

    /** Validates the operands and the call without looking the operator up by name (it need not be in any table). */
    @Override
    public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope, SqlCall call) {
        for (SqlNode operand : call.getOperandList()) {
            validator.deriveType(scope, operand);
        }
        return validateOperands(validator, scope, call);
    }

    /** Converts a validated call to a row expression: a standard operator, a cast, or a call of this operator. */
    public RexNode convert(SqlRexContext context, SqlCall call) {
        List<RexNode> operands = new ArrayList<>();
        for (SqlNode operand : call.getOperandList()) {
            operands.add(context.convertExpression(operand));
        }
        return makeCall(context.getRexBuilder(), context.getValidator().getValidatedNodeType(call), operands);
    }

    /** Builds the row expression of a call with these operands and result type. */
    public RexNode makeCall(RexBuilder builder, RelDataType type, List<RexNode> given) {
        List<RexNode> operands = new ArrayList<>(given);
        Resolution resolution = resolve(types(operands), builder.getTypeFactory());
        if (resolution == null) {
            throw noMatch(types(operands));
        }
        for (int i = 0; i < resolution.operandCasts().size(); i++) {
            Optional<SqlType> cast = resolution.operandCasts().get(i);
            if (cast.isPresent()) {
                PgOperator castOperator = PgOperators.cast(CastTarget.of(cast.get()));
                RexNode operand = operands.get(i);
                RelDataType castType = castOperator.resolve(List.of(operand.getType()), builder.getTypeFactory()).type();
                operands.set(i, castOperator.makeCall(builder, castType, List.of(operand)));
            }
        }
        if (!resolution.operandCasts().isEmpty()) {
            resolution = resolve(types(operands), builder.getTypeFactory());
        }
        Implementation implementation = resolution.implementation();
        if (implementation instanceof NativeCall nativeCall) {
            RexNode result = builder.makeCall(nativeCall.operator(), operands);
            return result.getType().equals(type) ? result : builder.makeCast(type, result, true, false);
        }
        if (implementation instanceof NativeCast) {
            return builder.makeCast(type, operands.get(0), true, false);
        }
        return builder.makeCall(type, this, operands);
    }

    private static List<RelDataType> types(List<RexNode> operands) {
        List<RelDataType> types = new ArrayList<>();
        for (RexNode operand : operands) {
            types.add(operand.getType());
        }
        return types;
    }

    private Expression implement(RexToLixTranslator translator, RexCall call, RexImpTable.NullAs nullAs) {
        Resolution resolution = resolve(types(call.getOperands()), CODEGEN_TYPES);
        if (resolution == null || !(resolution.implementation() instanceof RuntimeCall runtime)) {
            throw new IllegalStateException("no runtime implementation of " + getName() + " for " + types(call.getOperands()));
        }
        CallImplementor implementor = RexImpTable.createImplementor((t, rexCall, operands) -> generate(t, rexCall, runtime, operands),
                runtime.nullPolicy(), false);
        return implementor.implement(translator, call, nullAs);
    }

    private static Expression generate(RexToLixTranslator translator, RexCall call, RuntimeCall runtime, List<Expression> operands) {
        Method method = runtime.method();
        Class<?>[] parameters = method.getParameterTypes();
        List<Expression> arguments = new ArrayList<>();
        int next = 0;
        if (parameters.length > 0 && parameters[0] == DataContext.class) {
            arguments.add(translator.getRoot());
            next++;
        }
        for (Object constant : runtime.constants()) {
            arguments.add(Expressions.constant(constant, parameters[next++]));
        }
        if (method.isVarArgs()) {
            int fixed = parameters.length - 1 - next;
            for (int i = 0; i < fixed; i++) {
                arguments.add(EnumUtils.convert(operands.get(i), parameters[next++]));
            }
            Class<?> component = parameters[next].getComponentType();
            List<Expression> rest = new ArrayList<>();
            for (int i = fixed; i < operands.size(); i++) {
                rest.add(EnumUtils.convert(operands.get(i), component));
            }
            arguments.add(Expressions.newArrayInit(component, rest));
        } else {
            for (Expression operand : operands) {
                arguments.add(EnumUtils.convert(operand, parameters[next++]));
            }
        }
        Expression result = Expressions.call(method, arguments);
        Type target = CODEGEN_TYPES.getJavaClass(call.getType());
        return EnumUtils.convert(result, target);
    }

    /** The static method {@code name} of {@code owner} (unique by name). */
    public static Method method(Class<?> owner, String name) {
        Method found = null;
        for (Method method : owner.getMethods()) {
            if (method.getName().equals(name) && java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                if (found != null) {
                    throw new IllegalStateException(owner.getSimpleName() + "." + name + " is overloaded");
                }
                found = method;
            }
        }
        if (found == null) {
            throw new IllegalStateException("no method " + owner.getSimpleName() + "." + name);
        }
        return found;
    }

    static List<Optional<SqlType>> noCasts(int count) {
        return Collections.nCopies(count, Optional.empty());
    }
}
