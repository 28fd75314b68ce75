package dev.sluice.sql.query.internal;

import java.util.List;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.sql.type.SqlTypeMappingRule;

/**
 * Calcite's type factory, knowing Sluice's object types: the common type of {@code CASE} branches or
 * {@code UNION} inputs that are object types is that type when they all are (or are NULL), and
 * otherwise there is none, so that {@link PgTypeCoercion} casts the other branches (Calcite's own
 * rule would convert the object type to {@code OTHER}, for which it has no casting rules).
 */
public final class PgTypeFactory extends JavaTypeFactoryImpl {
    public PgTypeFactory(RelDataTypeSystem system) {
        super(system);
    }

    @Override
    public RelDataType leastRestrictive(List<RelDataType> types, SqlTypeMappingRule rule) {
        if (types.stream().noneMatch(Types::isObject)) {
            return super.leastRestrictive(types, rule);
        }
        RelDataType result = null;
        for (RelDataType type : types) {
            if (PgOperators.isNull(type)) {
                continue;
            }
            if (!Types.isObject(type)) {
                return null;
            }
            if (result == null) {
                result = type;
            } else if (((RelDataTypeFactoryImpl.JavaType) result).getJavaClass() != ((RelDataTypeFactoryImpl.JavaType) type).getJavaClass()) {
                return null;
            }
        }
        return result == null ? null : createTypeWithNullability(result, true);
    }
}
