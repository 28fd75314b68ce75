package dev.sluice.sql.query.internal;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.runtime.CalciteException;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.validate.SqlValidatorCatalogReader;
import org.apache.calcite.sql.validate.SqlValidatorImpl;

/** Calcite's validator, reporting an unknown function as PostgreSQL does: with the argument types it was called with. */
public final class PgValidator extends SqlValidatorImpl {
    public PgValidator(SqlOperatorTable operators, SqlValidatorCatalogReader catalog, RelDataTypeFactory factory, Config config) {
        super(operators, catalog, factory, config);
    }

    @Override
    public CalciteException handleUnresolvedFunction(SqlCall call, SqlOperator function, List<RelDataType> argumentTypes, List<String> names) {
        StringJoiner types = new StringJoiner(", ");
        argumentTypes.forEach(type -> types.add(PgOperators.describe(type)));
        SluiceException error = SluiceException.of(ErrorCode.UNDEFINED_FUNCTION, "function %s(%s) does not exist",
                function.getName().toLowerCase(Locale.ROOT), types)
                .withHint("No function matches the given name and argument types. You might need to add explicit type casts.");
        SqlParserPos position = call.getParserPosition();
        throw new CalciteContextException(error.getMessage(), error, position.getLineNum(), position.getColumnNum(), position.getEndLineNum(),
                position.getEndColumnNum());
    }
}
