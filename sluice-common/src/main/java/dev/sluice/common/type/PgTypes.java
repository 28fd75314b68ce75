package dev.sluice.common.type;

/** PostgreSQL (and Materialize) type OIDs. */
public final class PgTypes {
    public static final int BOOL = 16;
    public static final int BYTEA = 17;
    public static final int INT8 = 20;
    public static final int INT2 = 21;
    public static final int INT4 = 23;
    public static final int TEXT = 25;
    public static final int OID = 26;
    public static final int JSON = 114;
    public static final int FLOAT4 = 700;
    public static final int FLOAT8 = 701;
    public static final int UNKNOWN = 705;
    public static final int BPCHAR = 1042;
    public static final int VARCHAR = 1043;
    public static final int DATE = 1082;
    public static final int TIME = 1083;
    public static final int TIMESTAMP = 1114;
    public static final int TIMESTAMPTZ = 1184;
    public static final int INTERVAL = 1186;
    public static final int NUMERIC = 1700;
    public static final int UUID = 2950;
    public static final int JSONB = 3802;
    public static final int BOOL_ARRAY = 1000;
    public static final int BYTEA_ARRAY = 1001;
    public static final int INT2_ARRAY = 1005;
    public static final int INT4_ARRAY = 1007;
    public static final int TEXT_ARRAY = 1009;
    public static final int BPCHAR_ARRAY = 1014;
    public static final int VARCHAR_ARRAY = 1015;
    public static final int INT8_ARRAY = 1016;
    public static final int FLOAT4_ARRAY = 1021;
    public static final int FLOAT8_ARRAY = 1022;
    public static final int TIMESTAMP_ARRAY = 1115;
    public static final int DATE_ARRAY = 1182;
    public static final int TIME_ARRAY = 1183;
    public static final int TIMESTAMPTZ_ARRAY = 1185;
    public static final int INTERVAL_ARRAY = 1187;
    public static final int NUMERIC_ARRAY = 1231;
    public static final int UUID_ARRAY = 2951;
    public static final int JSONB_ARRAY = 3807;
    /** Materialize's OIDs for its own types. */
    public static final int UINT2 = 16_460;
    public static final int UINT4 = 16_462;
    public static final int UINT8 = 16_464;
    public static final int LIST = 16_384;
    public static final int MAP = 16_385;
    public static final int UINT2_ARRAY = 16_461;
    public static final int UINT4_ARRAY = 16_463;
    public static final int UINT8_ARRAY = 16_465;

    private PgTypes() {
    }

    public static int oid(SqlType type) {
        return switch (type.kind()) {
            case BOOLEAN -> BOOL;
            case SMALLINT -> INT2;
            case INTEGER -> INT4;
            case BIGINT -> INT8;
            case REAL -> FLOAT4;
            case DOUBLE -> FLOAT8;
            case NUMERIC -> NUMERIC;
            case TEXT -> TEXT;
            case VARCHAR -> VARCHAR;
            case CHAR -> BPCHAR;
            case BYTEA -> BYTEA;
            case DATE -> DATE;
            case TIME -> TIME;
            case TIMESTAMP -> TIMESTAMP;
            case TIMESTAMPTZ -> TIMESTAMPTZ;
            case INTERVAL -> INTERVAL;
            case JSONB -> JSONB;
            case UUID -> UUID;
            case UINT2 -> UINT2;
            case UINT4 -> UINT4;
            case UINT8 -> UINT8;
            case MAP -> MAP;
            case LIST -> LIST;
            case ARRAY -> arrayOid(type.elementType());
        };
    }

    private static int arrayOid(SqlType element) {
        return switch (element.kind()) {
            case BOOLEAN -> BOOL_ARRAY;
            case SMALLINT -> INT2_ARRAY;
            case INTEGER -> INT4_ARRAY;
            case BIGINT -> INT8_ARRAY;
            case REAL -> FLOAT4_ARRAY;
            case DOUBLE -> FLOAT8_ARRAY;
            case NUMERIC -> NUMERIC_ARRAY;
            case VARCHAR -> VARCHAR_ARRAY;
            case CHAR -> BPCHAR_ARRAY;
            case BYTEA -> BYTEA_ARRAY;
            case DATE -> DATE_ARRAY;
            case TIME -> TIME_ARRAY;
            case TIMESTAMP -> TIMESTAMP_ARRAY;
            case TIMESTAMPTZ -> TIMESTAMPTZ_ARRAY;
            case INTERVAL -> INTERVAL_ARRAY;
            case JSONB -> JSONB_ARRAY;
            case UUID -> UUID_ARRAY;
            case UINT2 -> UINT2_ARRAY;
            case UINT4 -> UINT4_ARRAY;
            case UINT8 -> UINT8_ARRAY;
            case ARRAY -> arrayOid(element.elementType());
            default -> TEXT_ARRAY;
        };
    }

    /** The type length PostgreSQL reports in RowDescription (-1 for variable length). */
    public static int typeLength(SqlType type) {
        return switch (type.kind()) {
            case BOOLEAN -> 1;
            case SMALLINT, UINT2 -> 2;
            case INTEGER, REAL, DATE, UINT4 -> 4;
            case BIGINT, DOUBLE, TIME, TIMESTAMP, TIMESTAMPTZ, UINT8 -> 8;
            case INTERVAL, UUID -> 16;
            default -> -1;
        };
    }

    /** The type modifier PostgreSQL reports in RowDescription (-1 for none). */
    public static int typeModifier(SqlType type) {
        return switch (type.kind()) {
            case VARCHAR, CHAR -> type.hasPrecision() ? type.precision() + 4 : (type.kind() == TypeKind.CHAR ? 5 : -1);
            case NUMERIC -> type.hasPrecision() ? ((type.precision() << 16) | Math.max(type.scale(), 0)) + 4 : -1;
            case TIME, TIMESTAMP, TIMESTAMPTZ -> type.hasPrecision() ? type.precision() : -1;
            default -> -1;
        };
    }

    /** The PostgreSQL name of a type OID, as format_type prints it. */
    public static String nameOf(int oid) {
        return switch (oid) {
            case BOOL -> "boolean";
            case BYTEA -> "bytea";
            case INT8 -> "bigint";
            case INT2 -> "smallint";
            case INT4 -> "integer";
            case TEXT -> "text";
            case OID -> "oid";
            case FLOAT4 -> "real";
            case FLOAT8 -> "double precision";
            case BPCHAR -> "character";
            case VARCHAR -> "character varying";
            case DATE -> "date";
            case TIME -> "time without time zone";
            case TIMESTAMP -> "timestamp without time zone";
            case TIMESTAMPTZ -> "timestamp with time zone";
            case INTERVAL -> "interval";
            case NUMERIC -> "numeric";
            case UUID -> "uuid";
            case JSONB -> "jsonb";
            case UINT2 -> "uint2";
            case UINT4 -> "uint4";
            case UINT8 -> "uint8";
            case LIST -> "list";
            case MAP -> "map";
            default -> "???";
        };
    }
}
