package dev.sluice.sql.query.internal;

import dev.sluice.common.type.SqlType;
import dev.sluice.common.type.TypeKind;
import dev.sluice.common.value.Interval;
import dev.sluice.common.value.Jsonb;
import java.util.UUID;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Mapping between Sluice's SQL types and Calcite's. Types Calcite has no equivalent for (interval as
 * PostgreSQL keeps it, jsonb, uuid) travel as Java object types and keep their identity.
 */
public final class Types {
    public static final int MAX_NUMERIC_PRECISION = 39;

    private Types() {
    }

    public static RelDataType toCalcite(JavaTypeFactory factory, SqlType type, boolean nullable) {
        return factory.createTypeWithNullability(toCalcite(factory, type), nullable);
    }

    private static RelDataType toCalcite(JavaTypeFactory factory, SqlType type) {
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
            case TIME -> factory.createSqlType(SqlTypeName.TIME, 3);
            case TIMESTAMP -> factory.createSqlType(SqlTypeName.TIMESTAMP, 3);
            case TIMESTAMPTZ -> factory.createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 3);
            case INTERVAL -> factory.createJavaType(Interval.class);
            case JSONB -> factory.createJavaType(Jsonb.class);
            case UUID -> factory.createJavaType(UUID.class);
            case MAP -> factory.createMapType(factory.createTypeWithNullability(factory.createSqlType(SqlTypeName.VARCHAR), false),
                    toCalcite(factory, type.elementType(), true));
            case LIST, ARRAY -> factory.createArrayType(toCalcite(factory, type.elementType(), true), -1);
        };
    }

    /** The Sluice type of a Calcite result type. */
    public static SqlType fromCalcite(RelDataType type) {
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
            case NULL:
                return SqlType.TEXT;
            case OTHER:
            case ANY:
                if (type instanceof org.apache.calcite.rel.type.RelDataTypeFactoryImpl.JavaType javaType) {
                    Class<?> clazz = javaType.getJavaClass();
                    if (clazz == Interval.class) {
                        return SqlType.INTERVAL;
                    }
                    if (clazz == Jsonb.class) {
                        return SqlType.JSONB;
                    }
                    if (clazz == UUID.class) {
                        return SqlType.UUID;
                    }
                }
                return SqlType.TEXT;
            default:
                if (name.getFamily() == org.apache.calcite.sql.type.SqlTypeFamily.INTERVAL_DAY_TIME
                        || name.getFamily() == org.apache.calcite.sql.type.SqlTypeFamily.INTERVAL_YEAR_MONTH) {
                    return SqlType.INTERVAL;
                }
                return SqlType.TEXT;
        }
    }

    /** The Calcite type name to cast to for a column of this type (length/precision checks are Sluice's). */
    public static String castTarget(SqlType type) {
        return switch (type.kind()) {
            case BOOLEAN -> "BOOLEAN";
            case SMALLINT -> "SMALLINT";
            case INTEGER, UINT2 -> "INTEGER";
            case BIGINT, UINT4 -> "BIGINT";
            case UINT8 -> "DECIMAL(20, 0)";
            case REAL -> "REAL";
            case DOUBLE -> "DOUBLE";
            case NUMERIC -> "DECIMAL(" + MAX_NUMERIC_PRECISION + ", " + (type.hasScale() ? type.scale() : 10) + ")";
            case TEXT, VARCHAR, CHAR -> "VARCHAR";
            case BYTEA -> "VARBINARY";
            case DATE -> "DATE";
            case TIME -> "TIME(3)";
            case TIMESTAMP -> "TIMESTAMP(3)";
            case TIMESTAMPTZ -> "TIMESTAMP(3) WITH LOCAL TIME ZONE";
            default -> null;
        };
    }

    static boolean isCalciteNative(SqlType type) {
        return castTarget(type) != null || type.kind() == TypeKind.MAP || type.kind() == TypeKind.ARRAY || type.kind() == TypeKind.LIST;
    }

    static RelDataTypeFactory unused() {
        return null;
    }
}
