package dev.sluice.common.error;

import static java.util.Objects.requireNonNull;

/**
 * Every user-facing error condition, with the SQLSTATE a PostgreSQL client sees and its category.
 * pgwire reads the SQLSTATE from here and never guesses from an exception class.
 */
public enum ErrorCode {
    SUCCESSFUL_COMPLETION("00000", ErrorCategory.USER),
    WARNING("01000", ErrorCategory.USER),
    CONNECTION_EXCEPTION("08000", ErrorCategory.EXTERNAL),
    CONNECTION_FAILURE("08006", ErrorCategory.EXTERNAL),
    PROTOCOL_VIOLATION("08P01", ErrorCategory.USER),
    FEATURE_NOT_SUPPORTED("0A000", ErrorCategory.USER),
    CARDINALITY_VIOLATION("21000", ErrorCategory.USER),
    DATA_EXCEPTION("22000", ErrorCategory.USER),
    STRING_DATA_RIGHT_TRUNCATION("22001", ErrorCategory.USER),
    NUMERIC_VALUE_OUT_OF_RANGE("22003", ErrorCategory.USER),
    NULL_VALUE_NOT_ALLOWED("22004", ErrorCategory.USER),
    INVALID_DATETIME_FORMAT("22007", ErrorCategory.USER),
    DATETIME_FIELD_OVERFLOW("22008", ErrorCategory.USER),
    DIVISION_BY_ZERO("22012", ErrorCategory.USER),
    INVALID_PARAMETER_VALUE("22023", ErrorCategory.USER),
    INVALID_TEXT_REPRESENTATION("22P02", ErrorCategory.USER),
    INVALID_BINARY_REPRESENTATION("22P03", ErrorCategory.USER),
    BAD_COPY_FILE_FORMAT("22P04", ErrorCategory.USER),
    CHARACTER_NOT_IN_REPERTOIRE("22021", ErrorCategory.USER),
    INTEGRITY_CONSTRAINT_VIOLATION("23000", ErrorCategory.USER),
    NOT_NULL_VIOLATION("23502", ErrorCategory.USER),
    UNIQUE_VIOLATION("23505", ErrorCategory.USER),
    INVALID_CURSOR_STATE("24000", ErrorCategory.USER),
    INVALID_TRANSACTION_STATE("25000", ErrorCategory.USER),
    ACTIVE_SQL_TRANSACTION("25001", ErrorCategory.USER),
    READ_ONLY_SQL_TRANSACTION("25006", ErrorCategory.USER),
    NO_ACTIVE_SQL_TRANSACTION("25P01", ErrorCategory.USER),
    IN_FAILED_SQL_TRANSACTION("25P02", ErrorCategory.USER),
    INVALID_SQL_STATEMENT_NAME("26000", ErrorCategory.USER),
    INVALID_AUTHORIZATION_SPECIFICATION("28000", ErrorCategory.USER),
    DEPENDENT_OBJECTS_STILL_EXIST("2BP01", ErrorCategory.USER),
    INVALID_CURSOR_NAME("34000", ErrorCategory.USER),
    INVALID_CATALOG_NAME("3D000", ErrorCategory.USER),
    INVALID_SCHEMA_NAME("3F000", ErrorCategory.USER),
    SERIALIZATION_FAILURE("40001", ErrorCategory.USER),
    SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION("42000", ErrorCategory.USER),
    SYNTAX_ERROR("42601", ErrorCategory.USER),
    INSUFFICIENT_PRIVILEGE("42501", ErrorCategory.USER),
    INVALID_NAME("42602", ErrorCategory.USER),
    INVALID_COLUMN_DEFINITION("42611", ErrorCategory.USER),
    UNDEFINED_COLUMN("42703", ErrorCategory.USER),
    UNDEFINED_OBJECT("42704", ErrorCategory.USER),
    AMBIGUOUS_COLUMN("42702", ErrorCategory.USER),
    DATATYPE_MISMATCH("42804", ErrorCategory.USER),
    CANNOT_COERCE("42846", ErrorCategory.USER),
    WRONG_OBJECT_TYPE("42809", ErrorCategory.USER),
    UNDEFINED_FUNCTION("42883", ErrorCategory.USER),
    UNDEFINED_TABLE("42P01", ErrorCategory.USER),
    UNDEFINED_PARAMETER("42P02", ErrorCategory.USER),
    DUPLICATE_COLUMN("42701", ErrorCategory.USER),
    DUPLICATE_ALIAS("42712", ErrorCategory.USER),
    DUPLICATE_OBJECT("42710", ErrorCategory.USER),
    DUPLICATE_TABLE("42P07", ErrorCategory.USER),
    DUPLICATE_PREPARED_STATEMENT("42P05", ErrorCategory.USER),
    DUPLICATE_CURSOR("42P03", ErrorCategory.USER),
    INVALID_COLUMN_REFERENCE("42P10", ErrorCategory.USER),
    GROUPING_ERROR("42803", ErrorCategory.USER),
    INVALID_OBJECT_DEFINITION("42P17", ErrorCategory.USER),
    INDETERMINATE_DATATYPE("42P18", ErrorCategory.USER),
    PROGRAM_LIMIT_EXCEEDED("54000", ErrorCategory.USER),
    OBJECT_IN_USE("55006", ErrorCategory.USER),
    QUERY_CANCELED("57014", ErrorCategory.USER),
    ADMIN_SHUTDOWN("57P01", ErrorCategory.EXTERNAL),
    SYSTEM_ERROR("58000", ErrorCategory.EXTERNAL),
    IO_ERROR("58030", ErrorCategory.EXTERNAL),
    INTERNAL_ERROR("XX000", ErrorCategory.INTERNAL);

    private final String sqlState;
    private final ErrorCategory category;

    ErrorCode(String sqlState, ErrorCategory category) {
        this.sqlState = requireNonNull(sqlState, "sqlState is null");
        this.category = requireNonNull(category, "category is null");
    }

    /** The five-character SQLSTATE sent in the ErrorResponse 'C' field. */
    public String sqlState() {
        return sqlState;
    }

    public ErrorCategory category() {
        return category;
    }
}
