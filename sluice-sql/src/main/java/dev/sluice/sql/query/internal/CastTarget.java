package dev.sluice.sql.query.internal;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.type.SqlType;

/**
 * The target of a cast as the user wrote it: the Sluice type values get, and PostgreSQL's internal
 * name of the written type ({@code int4} for {@code integer}, {@code regclass}, {@code name}), which
 * is what PostgreSQL names a result column that is a bare cast ({@code SELECT 1::integer} is column
 * {@code int4}).
 *
 * @param objectIdentifier whether the written type is one of PostgreSQL's object-identifier types
 *     ({@code oid}, {@code regclass}, …), which Sluice's catalog stores as {@code integer}
 */
public record CastTarget(SqlType type, String pgName, boolean objectIdentifier) {
    public CastTarget {
        requireNonNull(type, "type is null");
        requireNonNull(pgName, "pgName is null");
    }

    public static CastTarget of(SqlType type) {
        return new CastTarget(type, internalName(type), false);
    }

    /** PostgreSQL's {@code pg_type.typname} of a Sluice type (arrays and lists named by their element). */
    public static String internalName(SqlType type) {
        return switch (type.kind()) {
            case BOOLEAN -> "bool";
            case SMALLINT -> "int2";
            case INTEGER -> "int4";
            case BIGINT -> "int8";
            case REAL -> "float4";
            case DOUBLE -> "float8";
            case NUMERIC -> "numeric";
            case TEXT -> "text";
            case VARCHAR -> "varchar";
            case CHAR -> "bpchar";
            case BYTEA -> "bytea";
            case DATE -> "date";
            case TIME -> "time";
            case TIMESTAMP -> "timestamp";
            case TIMESTAMPTZ -> "timestamptz";
            case INTERVAL -> "interval";
            case JSONB -> "jsonb";
            case UUID -> "uuid";
            case UINT2 -> "uint2";
            case UINT4 -> "uint4";
            case UINT8 -> "uint8";
            case MAP -> "map";
            case LIST -> "list";
            case ARRAY -> internalName(type.elementType());
        };
    }
}
