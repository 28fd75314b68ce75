package dev.sluice.sql.query.internal;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.type.TypeKind;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PostgreSQL's type names as casts spell them: the SQL names, the internal ones ({@code int4},
 * {@code float8}, {@code bpchar}), Materialize's ({@code uint8}, {@code map}, {@code list}), and the
 * catalog's pseudo-types ({@code name}, {@code "char"}, {@code oid}, {@code regclass}, …).
 */
final class PgTypeNames {
    /** Object-identifier types: Sluice's catalog stores oids as {@code integer}. */
    private static final Set<String> OBJECT_IDENTIFIERS = Set.of("oid", "regclass", "regtype", "regproc", "regprocedure",
            "regnamespace", "regrole", "regoper", "regoperator", "regconfig", "regdictionary", "xid", "cid", "tid");
    private static final Set<String> WITH_PARAMETERS = Set.of("numeric", "decimal", "varchar", "char", "character", "bpchar", "time",
            "timestamp", "timestamptz", "timetz", "float", "bit", "interval");
    private static final Set<String> NAMES = Set.of("boolean", "bool", "smallint", "int2", "integer", "int", "int4", "bigint", "int8",
            "real", "float4", "double", "float8", "float", "numeric", "decimal", "text", "string", "varchar", "char", "character", "bpchar",
            "bytea", "date", "time", "timestamp", "timestamptz", "interval", "jsonb", "json", "uuid", "uint2", "uint4", "uint8", "name",
            "\"char\"", "map", "timetz", "int2vector", "oidvector", "regclass", "regtype", "oid", "regproc", "regnamespace", "regrole");
    private static final Map<String, String> INTERNAL = Map.ofEntries(Map.entry("integer", "int4"), Map.entry("int", "int4"),
            Map.entry("smallint", "int2"), Map.entry("bigint", "int8"), Map.entry("boolean", "bool"), Map.entry("real", "float4"),
            Map.entry("double precision", "float8"), Map.entry("character varying", "varchar"), Map.entry("character", "bpchar"),
            Map.entry("timestamp with time zone", "timestamptz"), Map.entry("timestamp without time zone", "timestamp"),
            Map.entry("time without time zone", "time"), Map.entry("decimal", "numeric"));

    private PgTypeNames() {
    }

    /** Whether {@code word} can begin a type name (for typed literals such as {@code timestamp '…'}). */
    static boolean startsTypeName(String word) {
        return NAMES.contains(word) || OBJECT_IDENTIFIERS.contains(word);
    }

    static boolean takesParameters(String name) {
        return WITH_PARAMETERS.contains(name);
    }

    /** The {@code pg_type.typname} for a name as written ({@code integer} → {@code int4}). */
    static String internalTypeName(String name) {
        return INTERNAL.getOrDefault(name, name);
    }

    /** The cast target named {@code name} with type modifiers; 42704 when there is no such type. */
    static CastTarget resolve(String name, List<Integer> parameters, int position) {
        int first = parameters.isEmpty() ? -1 : parameters.get(0);
        if (OBJECT_IDENTIFIERS.contains(name)) {
            return new CastTarget(SqlType.INTEGER, name, true);
        }
        SqlType type = switch (name) {
            case "boolean", "bool" -> SqlType.BOOLEAN;
            case "smallint", "int2" -> SqlType.SMALLINT;
            case "integer", "int", "int4" -> SqlType.INTEGER;
            case "bigint", "int8" -> SqlType.BIGINT;
            case "real", "float4" -> SqlType.REAL;
            case "double precision", "float8" -> SqlType.DOUBLE;
            case "float" -> first >= 1 && first <= 24 ? SqlType.REAL : SqlType.DOUBLE;
            case "numeric", "decimal" -> numeric(parameters, position);
            case "text", "string", "name", "\"char\"", "int2vector", "oidvector" -> SqlType.TEXT;
            case "varchar" -> SqlType.varchar(length(name, first, position));
            case "char", "character", "bpchar" -> first < 0 && name.equals("bpchar") ? SqlType.TEXT : SqlType.character(Math.max(length(name, first, position), 1));
            case "bytea" -> SqlType.BYTEA;
            case "date" -> SqlType.DATE;
            case "time", "timetz" -> SqlType.withPrecision(TypeKind.TIME, precision(name, first, position));
            case "timestamp" -> SqlType.withPrecision(TypeKind.TIMESTAMP, precision(name, first, position));
            case "timestamptz" -> SqlType.withPrecision(TypeKind.TIMESTAMPTZ, precision(name, first, position));
            case "interval" -> SqlType.INTERVAL;
            case "jsonb", "json" -> SqlType.JSONB;
            case "uuid" -> SqlType.UUID;
            case "uint2" -> SqlType.UINT2;
            case "uint4" -> SqlType.UINT4;
            case "uint8" -> SqlType.UINT8;
            default -> throw new SluiceException(ErrorCode.UNDEFINED_OBJECT, "type \"" + unquoted(name) + "\" does not exist")
                    .withPosition(position + 1);
        };
        String pgName = switch (name) {
            case "name", "\"char\"", "json", "int2vector", "oidvector" -> unquoted(name);
            case "timetz" -> "timetz";
            default -> CastTarget.internalName(type);
        };
        return new CastTarget(type, pgName, false);
    }

    private static String unquoted(String name) {
        return name.startsWith("\"") ? name.substring(1, name.length() - 1) : name;
    }

    private static SqlType numeric(List<Integer> parameters, int position) {
        if (parameters.isEmpty()) {
            return SqlType.NUMERIC;
        }
        int precision = parameters.get(0);
        if (precision < 1 || precision > Types.MAX_NUMERIC_PRECISION) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "precision for type numeric must be between 1 and "
                    + Types.MAX_NUMERIC_PRECISION).withPosition(position + 1);
        }
        int scale = parameters.size() > 1 ? parameters.get(1) : 0;
        if (scale > precision) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "numeric scale " + scale + " must be between 0 and precision "
                    + precision).withPosition(position + 1);
        }
        return SqlType.numeric(precision, scale);
    }

    private static int length(String name, int length, int position) {
        if (length == 0) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "length for type " + name + " must be at least 1")
                    .withPosition(position + 1);
        }
        return length;
    }

    private static int precision(String name, int precision, int position) {
        if (precision > 6) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "precision for type " + name + " must be between 0 and 6")
                    .withPosition(position + 1);
        }
        return precision;
    }
}
