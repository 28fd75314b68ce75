package dev.sluice.common.type;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Optional;

/**
 * A SQL type. Parameters are {@code -1} when absent:
 * <ul>
 *   <li>{@code NUMERIC}: {@code precision}, {@code scale} ({@code numeric}, {@code numeric(p)}, {@code numeric(p,s)});</li>
 *   <li>{@code VARCHAR}, {@code CHAR}: {@code precision} is the length ({@code char} without one is {@code char(1)});</li>
 *   <li>{@code TIME}, {@code TIMESTAMP}, {@code TIMESTAMPTZ}: {@code precision} is the fractional-second digits (0..6);</li>
 *   <li>{@code LIST}, {@code ARRAY}: {@code element} is the element type; {@code MAP}: {@code element} is the
 *       value type (keys are always {@code text}).</li>
 * </ul>
 *
 * <p>Java representation of non-null values (SQL NULL is Java {@code null}):
 * BOOLEAN {@link Boolean}; SMALLINT {@link Short}; INTEGER {@link Integer}; BIGINT {@link Long};
 * REAL {@link Float}; DOUBLE {@link Double}; NUMERIC {@link java.math.BigDecimal};
 * TEXT, VARCHAR, CHAR {@link String} (CHAR blank-padded to its length);
 * BYTEA {@link dev.sluice.common.value.ByteString}; DATE {@link java.time.LocalDate};
 * TIME {@link java.time.LocalTime}; TIMESTAMP {@link java.time.LocalDateTime};
 * TIMESTAMPTZ {@link java.time.Instant}; INTERVAL {@link dev.sluice.common.value.Interval};
 * JSONB {@link dev.sluice.common.value.Jsonb}; UUID {@link java.util.UUID};
 * UINT2 {@link Integer} (0..65535); UINT4 {@link Long} (0..2^32-1); UINT8 {@link java.math.BigInteger} (0..2^64-1);
 * MAP an unmodifiable {@link java.util.SortedMap} of String to value (keys sorted, values may be null);
 * LIST and ARRAY an unmodifiable {@link java.util.List} (elements may be null; a multi-dimensional
 * array is a list of lists).
 */
public record SqlType(TypeKind kind, int precision, int scale, Optional<SqlType> element) {
    public static final SqlType BOOLEAN = of(TypeKind.BOOLEAN);
    public static final SqlType SMALLINT = of(TypeKind.SMALLINT);
    public static final SqlType INTEGER = of(TypeKind.INTEGER);
    public static final SqlType BIGINT = of(TypeKind.BIGINT);
    public static final SqlType REAL = of(TypeKind.REAL);
    public static final SqlType DOUBLE = of(TypeKind.DOUBLE);
    public static final SqlType NUMERIC = of(TypeKind.NUMERIC);
    public static final SqlType TEXT = of(TypeKind.TEXT);
    public static final SqlType BYTEA = of(TypeKind.BYTEA);
    public static final SqlType DATE = of(TypeKind.DATE);
    public static final SqlType TIME = of(TypeKind.TIME);
    public static final SqlType TIMESTAMP = of(TypeKind.TIMESTAMP);
    public static final SqlType TIMESTAMPTZ = of(TypeKind.TIMESTAMPTZ);
    public static final SqlType INTERVAL = of(TypeKind.INTERVAL);
    public static final SqlType JSONB = of(TypeKind.JSONB);
    public static final SqlType UUID = of(TypeKind.UUID);
    public static final SqlType UINT2 = of(TypeKind.UINT2);
    public static final SqlType UINT4 = of(TypeKind.UINT4);
    public static final SqlType UINT8 = of(TypeKind.UINT8);

    public SqlType {
        requireNonNull(kind, "kind is null");
        requireNonNull(element, "element is null");
        boolean needsElement = kind == TypeKind.MAP || kind == TypeKind.LIST || kind == TypeKind.ARRAY;
        if (needsElement != element.isPresent()) {
            throw new IllegalArgumentException(kind + (needsElement ? " needs an element type" : " has no element type"));
        }
    }

    public static SqlType of(TypeKind kind) {
        return new SqlType(kind, -1, -1, Optional.empty());
    }

    public static SqlType numeric(int precision, int scale) {
        return new SqlType(TypeKind.NUMERIC, precision, scale, Optional.empty());
    }

    public static SqlType varchar(int length) {
        return new SqlType(TypeKind.VARCHAR, length, -1, Optional.empty());
    }

    public static SqlType character(int length) {
        return new SqlType(TypeKind.CHAR, length, -1, Optional.empty());
    }

    /** {@code kind} is TIME, TIMESTAMP or TIMESTAMPTZ; {@code precision} 0..6 or -1. */
    public static SqlType withPrecision(TypeKind kind, int precision) {
        return new SqlType(kind, precision, -1, Optional.empty());
    }

    public static SqlType list(SqlType element) {
        return new SqlType(TypeKind.LIST, -1, -1, Optional.of(element));
    }

    public static SqlType array(SqlType element) {
        return new SqlType(TypeKind.ARRAY, -1, -1, Optional.of(element));
    }

    public static SqlType map(SqlType value) {
        return new SqlType(TypeKind.MAP, -1, -1, Optional.of(value));
    }

    public boolean hasPrecision() {
        return precision >= 0;
    }

    public boolean hasScale() {
        return scale >= 0;
    }

    public SqlType elementType() {
        return element.orElseThrow(() -> new IllegalStateException(kind + " has no element type"));
    }

    /** The PostgreSQL OID of this type (as in RowDescription); Materialize's OIDs for uint/map/list. */
    public int oid() {
        return PgTypes.oid(this);
    }

    /**
     * The type's name as PostgreSQL and Materialize print it: {@code integer}, {@code numeric(10,2)},
     * {@code character varying(5)}, {@code timestamp(3) without time zone}, {@code text[]},
     * {@code integer list}, {@code map[text=>text]}.
     */
    public String displayName() {
        return switch (kind) {
            case BOOLEAN -> "boolean";
            case SMALLINT -> "smallint";
            case INTEGER -> "integer";
            case BIGINT -> "bigint";
            case REAL -> "real";
            case DOUBLE -> "double precision";
            case NUMERIC -> hasPrecision() ? (hasScale() ? "numeric(" + precision + "," + scale + ")" : "numeric(" + precision + ")") : "numeric";
            case TEXT -> "text";
            case VARCHAR -> hasPrecision() ? "character varying(" + precision + ")" : "character varying";
            case CHAR -> "character(" + (hasPrecision() ? precision : 1) + ")";
            case BYTEA -> "bytea";
            case DATE -> "date";
            case TIME -> hasPrecision() ? "time(" + precision + ") without time zone" : "time without time zone";
            case TIMESTAMP -> hasPrecision() ? "timestamp(" + precision + ") without time zone" : "timestamp without time zone";
            case TIMESTAMPTZ -> hasPrecision() ? "timestamp(" + precision + ") with time zone" : "timestamp with time zone";
            case INTERVAL -> "interval";
            case JSONB -> "jsonb";
            case UUID -> "uuid";
            case UINT2 -> "uint2";
            case UINT4 -> "uint4";
            case UINT8 -> "uint8";
            case MAP -> "map[text=>" + elementType().displayName() + "]";
            case LIST -> elementType().displayName() + " list";
            case ARRAY -> elementType().displayName() + "[]";
        };
    }

    /** The short name used in SQL text that parses back to this type (e.g. in SHOW CREATE TABLE). */
    public String sqlName() {
        return switch (kind) {
            case VARCHAR -> hasPrecision() ? "varchar(" + precision + ")" : "varchar";
            case CHAR -> "char(" + (hasPrecision() ? precision : 1) + ")";
            case TIME -> hasPrecision() ? "time(" + precision + ")" : "time";
            case TIMESTAMP -> hasPrecision() ? "timestamp(" + precision + ")" : "timestamp";
            case TIMESTAMPTZ -> hasPrecision() ? "timestamptz(" + precision + ")" : "timestamptz";
            case MAP -> "map[text=>" + elementType().sqlName() + "]";
            case LIST -> elementType().sqlName() + " list";
            case ARRAY -> elementType().sqlName() + "[]";
            default -> displayName();
        };
    }

    @Override
    public String toString() {
        return displayName().toLowerCase(Locale.ROOT);
    }
}
