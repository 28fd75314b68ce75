package dev.sluice.sql.query.internal;

import dev.sluice.common.type.SqlType;
import dev.sluice.common.type.TypeKind;
import dev.sluice.common.value.Interval;
import dev.sluice.common.value.Jsonb;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Map;
import java.util.UUID;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeFactoryImpl;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Mapping between Sluice's SQL types and Calcite's.
 *
 * <p>Types whose PostgreSQL semantics Calcite's runtime cannot hold travel as Java object types and
 * keep their Sluice value unchanged: {@code time}, {@code timestamp} and {@code timestamptz} (Calcite
 * keeps datetimes as milliseconds; these keep microseconds as {@link LocalTime},
 * {@link LocalDateTime} and {@link Instant}), {@code interval} (months, days and microseconds apart),
 * {@code jsonb} and {@code uuid}. Their operators and functions are Sluice's ({@link PgOperators}).
 * Object types are always nullable in plans: Calcite only compares types of one family, and a Java
 * type's family is its own nullability variant.
 */
public final class Types {
    public static final int MAX_NUMERIC_PRECISION = 39;

    /** The Java classes that stand for Sluice types in plans, by kind. */
    private static final Map<TypeKind, Class<?>> OBJECT_CLASSES = Map.of(TypeKind.TIME, LocalTime.class, TypeKind.TIMESTAMP,
            LocalDateTime.class, TypeKind.TIMESTAMPTZ, Instant.class, TypeKind.INTERVAL, Interval.class, TypeKind.JSONB, Jsonb.class,
            TypeKind.UUID, UUID.class);

    private Types() {
    }

    public static RelDataType toCalcite(RelDataTypeFactory factory, SqlType type, boolean nullable) {
        RelDataType base = toCalcite(factory, type);
        return factory.createTypeWithNullability(base, nullable || isObject(base));
    }

    private static RelDataType toCalcite(RelDataTypeFactory factory, SqlType type) {
        Class<?> objectClass = OBJECT_CLASSES.get(type.kind());
        if (objectClass != null) {
            return factory.createTypeWithNullability(factory.createJavaType(objectClass), true);
        }
        return switch (type.kind()) {
            case BOOLEAN -> factory.createSqlType(SqlTypeName.BOOLEAN);
            case SMALLINT -> factory.createSqlType(SqlTypeName.SMALLINT);
            case INTEGER, UINT2 -> factory.createSqlType(SqlTypeName.INTEGER);
            case BIGINT, UINT4 -> factory.createSqlType(SqlTypeName.BIGINT);
            case UINT8 -> factory.createSqlType(SqlTypeName.DECIMAL, 20, 0);
            case REAL -> factory.createSqlType(SqlTypeName.REAL);
            case DOUBLE -> factory.createSqlType(SqlTypeName.DOUBLE);
            case NUMERIC -> type.hasPrecision()
                    ? factory.createSqlType(SqlTypeName.DECIMAL, type.precision(), Math.max(type.scale(), 0))
                    : factory.createSqlType(SqlTypeName.DECIMAL, MAX_NUMERIC_PRECISION, 10);
            case TEXT -> factory.createSqlType(SqlTypeName.VARCHAR);
            case VARCHAR -> type.hasPrecision() ? factory.createSqlType(SqlTypeName.VARCHAR, type.precision())
                    : factory.createSqlType(SqlTypeName.VARCHAR);
            case CHAR -> factory.createSqlType(SqlTypeName.CHAR, type.hasPrecision() ? type.precision() : 1);
            case BYTEA -> factory.createSqlType(SqlTypeName.VARBINARY);
            case DATE -> factory.createSqlType(SqlTypeName.DATE);
            case MAP -> factory.createMapType(factory.createTypeWithNullability(factory.createSqlType(SqlTypeName.VARCHAR), false),
                    toCalcite(factory, type.elementType(), true));
            case LIST, ARRAY -> factory.createArrayType(toCalcite(factory, type.elementType(), true), -1);
            default -> throw new IllegalStateException("no Calcite type for " + type);
        };
    }

    /** Whether a Calcite type is one of Sluice's object types (see the class comment). */
    public static boolean isObject(RelDataType type) {
        return type instanceof RelDataTypeFactoryImpl.JavaType javaType && OBJECT_CLASSES.containsValue(javaType.getJavaClass());
    }

    /** Whether the type is Calcite's character family (text, varchar, char). */
    public static boolean isText(RelDataType type) {
        return SqlTypeFamily.CHARACTER.contains(type);
    }

    /** The Sluice type of a Calcite type. */
    public static SqlType fromCalcite(RelDataType type) {
        if (type instanceof RelDataTypeFactoryImpl.JavaType javaType) {
            for (Map.Entry<TypeKind, Class<?>> entry : OBJECT_CLASSES.entrySet()) {
                if (entry.getValue() == javaType.getJavaClass()) {
                    return SqlType.of(entry.getKey());
                }
            }
        }
        SqlTypeName name = type.getSqlTypeName();
        switch (name) {
            case BOOLEAN:
                return SqlType.BOOLEAN;
            case TINYINT:
            case SMALLINT:
                return SqlType.SMALLINT;
            case INTEGER:
                return SqlType.INTEGER;
            case BIGINT:
                return SqlType.BIGINT;
            case REAL:
            case FLOAT:
                return SqlType.REAL;
            case DOUBLE:
                return SqlType.DOUBLE;
            case DECIMAL:
                if (type.getPrecision() == MAX_NUMERIC_PRECISION || type.getPrecision() < 0) {
                    return SqlType.NUMERIC;
                }
                return SqlType.numeric(type.getPrecision(), type.getScale());
            case CHAR:
            case VARCHAR:
                return SqlType.TEXT;
            case BINARY:
            case VARBINARY:
                return SqlType.BYTEA;
            case DATE:
                return SqlType.DATE;
            case TIME:
                return SqlType.TIME;
            case TIMESTAMP:
                return SqlType.TIMESTAMP;
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
            case TIMESTAMP_TZ:
                return SqlType.TIMESTAMPTZ;
            case ARRAY:
                return SqlType.array(fromCalcite(type.getComponentType()));
            case MAP:
                return SqlType.map(fromCalcite(type.getValueType()));
            case UUID:
                return SqlType.UUID;
            default:
                if (name.getFamily() == SqlTypeFamily.INTERVAL_DAY_TIME || name.getFamily() == SqlTypeFamily.INTERVAL_YEAR_MONTH) {
                    return SqlType.INTERVAL;
                }
                return SqlType.TEXT;
        }
    }

    /**
     * The type name a value is cast to before it is assigned to a column of this type: the type
     * without length, precision and scale, whose rules the assignment applies afterwards (so a too
     * long string fails instead of being cut).
     */
    public static String castTarget(SqlType type) {
        return loosened(type).sqlName();
    }

    private static SqlType loosened(SqlType type) {
        return switch (type.kind()) {
            case VARCHAR, CHAR -> SqlType.TEXT;
            case NUMERIC -> SqlType.NUMERIC;
            case TIME, TIMESTAMP, TIMESTAMPTZ -> SqlType.of(type.kind());
            case ARRAY -> SqlType.array(loosened(type.elementType()));
            case LIST -> SqlType.list(loosened(type.elementType()));
            case MAP -> SqlType.map(loosened(type.elementType()));
            default -> type;
        };
    }
}
