package dev.sluice.sql.query.internal;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calcite's validation messages as PostgreSQL's errors: the SQLSTATE a PostgreSQL client expects,
 * PostgreSQL's wording, and a hint where there is something to do.
 */
public final class CalciteErrors {
    private static final String FUNCTION_HINT = "No function matches the given name and argument types. You might need to add explicit type casts.";
    private static final String OPERATOR_HINT = "No operator matches the given name and argument types. You might need to add explicit type casts.";
    private static final Pattern OBJECT_NOT_FOUND = Pattern.compile("Object '([^']+)' not found.*");
    private static final Pattern TABLE_NOT_FOUND = Pattern.compile("Table '([^']+)' not found.*");
    private static final Pattern COLUMN_NOT_FOUND = Pattern.compile("(?:Column|The definition of column) '([^']+)' (?:not found|depends on itself).*");
    private static final Pattern AMBIGUOUS = Pattern.compile("Column '([^']+)' is ambiguous.*");
    private static final Pattern FUNCTION_NOT_FOUND = Pattern.compile("No match found for function signature ([\\w$]+)\\((.*)\\).*");
    private static final Pattern WRONG_ARGUMENT_COUNT = Pattern.compile("Invalid number of arguments to function '([^']+)'.*");
    private static final Pattern CANNOT_APPLY = Pattern.compile("Cannot apply '(.+?)' to arguments of type '(.*?)'\\. Supported form.*", Pattern.DOTALL);
    private static final Pattern NOT_GROUPED = Pattern.compile("Expression '(.+?)' is not being grouped.*");
    private static final Pattern ILLEGAL_AGGREGATE = Pattern.compile("Aggregate expression is illegal in (.+?) clause.*");
    private static final Pattern NOT_CONDITION = Pattern.compile("(WHERE|HAVING|ON) clause must be a condition.*");
    private static final Pattern UNKNOWN_IDENTIFIER = Pattern.compile("Unknown identifier '([^']+)'.*");
    private static final Pattern DUPLICATE_RELATION = Pattern.compile("Duplicate relation name '([^']+)' in FROM clause.*");
    private static final Pattern CANNOT_CAST = Pattern.compile("Cast function cannot convert value of type (.+) to type (.+)");
    private static final Pattern ORDINAL = Pattern.compile("Ordinal out of range.*");
    private static final Pattern TYPE = Pattern.compile("<([^<>]+)>");
    private static final Pattern CALL_SIGNATURE = Pattern.compile("([A-Z_][A-Z_0-9]*)\\((.*)\\)");
    private static final Pattern LITERAL_OUT_OF_RANGE = Pattern.compile("Numeric literal '(.+)' out of range.*");
    private static final Pattern MISSING_CONVERSION = Pattern.compile("Missing conversion is (\\w+)");
    private static final Pattern PLANNED_FUNCTION = Pattern.compile("=\\[([A-Z_]+)\\(\\$\\d+\\) WITHIN GROUP");
    private static final Map<String, String> TYPE_NAMES = Map.ofEntries(Map.entry("CHARACTER", "text"), Map.entry("CHAR", "text"),
            Map.entry("VARCHAR", "text"), Map.entry("INTEGER", "integer"), Map.entry("BIGINT", "bigint"), Map.entry("SMALLINT", "smallint"),
            Map.entry("TINYINT", "smallint"), Map.entry("DECIMAL", "numeric"), Map.entry("NUMERIC", "numeric"), Map.entry("DOUBLE", "double precision"),
            Map.entry("REAL", "real"), Map.entry("FLOAT", "double precision"), Map.entry("BOOLEAN", "boolean"), Map.entry("DATE", "date"),
            Map.entry("BINARY", "bytea"), Map.entry("VARBINARY", "bytea"), Map.entry("NULL", "unknown"),
            Map.entry("JAVA.TIME.LOCALDATETIME", "timestamp without time zone"), Map.entry("JAVA.TIME.INSTANT", "timestamp with time zone"),
            Map.entry("JAVA.TIME.LOCALTIME", "time without time zone"), Map.entry("DEV.SLUICE.COMMON.VALUE.INTERVAL", "interval"),
            Map.entry("DEV.SLUICE.COMMON.VALUE.JSONB", "jsonb"), Map.entry("JAVA.UTIL.UUID", "uuid"));

    private CalciteErrors() {
    }

    /** PostgreSQL's error for a Calcite validation message. */
    public static SluiceException translate(String message) {
        Matcher matcher;
        if ((matcher = OBJECT_NOT_FOUND.matcher(message)).matches() || (matcher = TABLE_NOT_FOUND.matcher(message)).matches()) {
            return SluiceException.of(ErrorCode.UNDEFINED_TABLE, "relation \"%s\" does not exist", matcher.group(1))
                    .withHint("SHOW TABLES lists the tables.");
        }
        if ((matcher = COLUMN_NOT_FOUND.matcher(message)).matches()) {
            return SluiceException.of(ErrorCode.UNDEFINED_COLUMN, "column \"%s\" does not exist", matcher.group(1));
        }
        if ((matcher = AMBIGUOUS.matcher(message)).matches()) {
            return SluiceException.of(ErrorCode.AMBIGUOUS_COLUMN, "column reference \"%s\" is ambiguous", matcher.group(1));
        }
        if ((matcher = FUNCTION_NOT_FOUND.matcher(message)).matches()) {
            return SluiceException.of(ErrorCode.UNDEFINED_FUNCTION, "function %s(%s) does not exist", matcher.group(1).toLowerCase(Locale.ROOT),
                    types(matcher.group(2))).withHint(FUNCTION_HINT);
        }
        if ((matcher = WRONG_ARGUMENT_COUNT.matcher(message)).matches()) {
            return SluiceException.of(ErrorCode.UNDEFINED_FUNCTION, "function %s does not exist with these arguments",
                    matcher.group(1).toLowerCase(Locale.ROOT)).withHint(FUNCTION_HINT);
        }
        if ((matcher = CANNOT_APPLY.matcher(message)).matches()) {
            String signature = types(matcher.group(2));
            Matcher call = CALL_SIGNATURE.matcher(signature);
            if (call.matches()) {
                return SluiceException.of(ErrorCode.UNDEFINED_FUNCTION, "function %s(%s) does not exist", call.group(1).toLowerCase(Locale.ROOT),
                        call.group(2)).withHint(FUNCTION_HINT);
            }
            return SluiceException.of(ErrorCode.UNDEFINED_FUNCTION, "operator does not exist: %s", signature).withHint(OPERATOR_HINT);
        }
        if ((matcher = LITERAL_OUT_OF_RANGE.matcher(message)).matches()) {
            return SluiceException.of(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE, "value \"%s\" is out of range", matcher.group(1));
        }
        if ((matcher = NOT_GROUPED.matcher(message)).matches()) {
            return SluiceException.of(ErrorCode.GROUPING_ERROR, "column \"%s\" must appear in the GROUP BY clause or be used in an aggregate function",
                    matcher.group(1).replace("`", ""));
        }
        if ((matcher = ILLEGAL_AGGREGATE.matcher(message)).matches()) {
            return SluiceException.of(ErrorCode.GROUPING_ERROR, "aggregate functions are not allowed in %s", matcher.group(1));
        }
        if ((matcher = NOT_CONDITION.matcher(message)).matches()) {
            String clause = matcher.group(1).equals("ON") ? "JOIN/ON" : matcher.group(1);
            return SluiceException.of(ErrorCode.DATATYPE_MISMATCH, "argument of %s must be type boolean", clause);
        }
        if ((matcher = UNKNOWN_IDENTIFIER.matcher(message)).matches()) {
            return SluiceException.of(ErrorCode.UNDEFINED_OBJECT, "type \"%s\" does not exist", matcher.group(1));
        }
        if ((matcher = DUPLICATE_RELATION.matcher(message)).matches()) {
            return SluiceException.of(ErrorCode.DUPLICATE_ALIAS, "table name \"%s\" specified more than once", matcher.group(1));
        }
        if ((matcher = CANNOT_CAST.matcher(message)).matches()) {
            return SluiceException.of(ErrorCode.CANNOT_COERCE, "cannot cast type %s to %s", typeName(matcher.group(1)), typeName(matcher.group(2)));
        }
        if (ORDINAL.matcher(message).matches()) {
            return new SluiceException(ErrorCode.INVALID_COLUMN_REFERENCE, "ORDER BY or GROUP BY position is not in select list");
        }
        if (message.startsWith("There are not enough rules to produce a node")) {
            // Calcite can plan but not run it (percentile_cont, mode, …): name the operation rather than dumping the planner.
            Matcher missing = MISSING_CONVERSION.matcher(message);
            Matcher function = PLANNED_FUNCTION.matcher(message);
            String what = function.find() ? "function " + function.group(1).toLowerCase(Locale.ROOT)
                    : missing.find() ? missing.group(1) : "this query";
            return SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED, "%s is not supported yet", what)
                    .withHint("Sluice runs queries with Apache Calcite's enumerable engine, which cannot execute it.");
        }
        if (message.startsWith("Illegal use of dynamic parameter")) {
            return new SluiceException(ErrorCode.INDETERMINATE_DATATYPE, "could not determine data type of parameter")
                    .withHint("Cast the parameter, e.g. $1::text.");
        }
        if (message.startsWith("Illegal mixing of types in CASE or COALESCE")) {
            return new SluiceException(ErrorCode.DATATYPE_MISMATCH, "CASE types cannot be matched").withHint("Cast the branches to one type.");
        }
        if (message.startsWith("Values passed to IN operator must have compatible types")) {
            return new SluiceException(ErrorCode.DATATYPE_MISMATCH, "IN types cannot be matched").withHint("Cast the values to one type.");
        }
        if (message.contains("Column count mismatch in UNION") || message.contains("Column count mismatch in INTERSECT")
                || message.contains("Column count mismatch in EXCEPT")) {
            return new SluiceException(ErrorCode.SYNTAX_ERROR, "each UNION query must have the same number of columns");
        }
        if (message.startsWith("Type mismatch in column")) {
            return new SluiceException(ErrorCode.DATATYPE_MISMATCH, "UNION types cannot be matched: " + message);
        }
        if (message.contains("Cannot assign") || message.contains("Cannot infer") || message.contains("type mismatch")
                || message.contains("incompatible")) {
            return new SluiceException(ErrorCode.DATATYPE_MISMATCH, message);
        }
        if (message.contains("GROUP BY")) {
            return new SluiceException(ErrorCode.GROUPING_ERROR, message);
        }
        return new SluiceException(ErrorCode.SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION, message);
    }

    /** {@code <INTEGER> + <BOOLEAN>} as {@code integer + boolean}. */
    private static String types(String signature) {
        Matcher matcher = TYPE.matcher(signature);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(typeName(matcher.group(1))));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String typeName(String calcite) {
        String name = calcite.trim().toUpperCase(Locale.ROOT).replace(" NOT NULL", "");
        boolean array = name.endsWith(" ARRAY");
        if (array) {
            name = name.substring(0, name.length() - " ARRAY".length());
        }
        if (name.startsWith("JAVATYPE(CLASS ")) {
            name = name.substring("JAVATYPE(CLASS ".length(), name.length() - 1);
        }
        int parenthesis = name.indexOf('(');
        if (parenthesis > 0) {
            name = name.substring(0, parenthesis);
        }
        String pg = TYPE_NAMES.getOrDefault(name, name.toLowerCase(Locale.ROOT));
        return array ? pg + "[]" : pg;
    }
}
