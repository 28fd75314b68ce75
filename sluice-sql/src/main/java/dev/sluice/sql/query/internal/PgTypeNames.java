package dev.sluice.sql.query.internal;

import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.SqlType;
import dev.sluice.sql.parser.StatementParser;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

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
        if (OBJECT_IDENTIFIERS.contains(name)) {
            return new CastTarget(SqlType.INTEGER, name, true);
        }
        switch (name) {
            case "name", "\"char\"", "int2vector", "oidvector":
                return new CastTarget(SqlType.TEXT, unquoted(name), false);
            case "bpchar":
                if (parameters.isEmpty()) {
                    return new CastTarget(SqlType.TEXT, "bpchar", false);
                }
                break;
            case "timetz":
                return new CastTarget(parse("time", parameters, position), "timetz", false);
            default:
                break;
        }
        SqlType type = parse(name, parameters, position);
        return new CastTarget(type, name.equals("json") ? "json" : CastTarget.internalName(type), false);
    }

    /** The type as DDL spells it, with DDL's checks of the modifiers, the error placed at the cast. */
    private static SqlType parse(String name, List<Integer> parameters, int position) {
        String text = parameters.isEmpty() ? name : name + parameters.stream().map(String::valueOf).collect(Collectors.joining(", ", "(", ")"));
        try {
            return StatementParser.parseType(text);
        } catch (SluiceException e) {
            throw e.withPosition(position + 1);
        }
    }

    private static String unquoted(String name) {
        return name.startsWith("\"") ? name.substring(1, name.length() - 1) : name;
    }
}
