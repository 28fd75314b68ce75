package dev.sluice.sql.query.internal;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.PgTypes;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.type.TypeKind;
import dev.sluice.sql.parser.StatementParser;
import dev.sluice.sql.query.QueryContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.apache.calcite.DataContext;

/**
 * The session and catalog functions that psql, pgJDBC and other clients call
 * ({@code current_setting}, {@code format_type}, {@code pg_get_indexdef}, {@code pg_size_pretty}, …).
 * What they need from the catalog comes from the execution's {@link QueryContext}. Public for
 * generated code.
 */
public final class PgSession {
    /** The execution's {@link QueryContext} in the data context. */
    public static final String CONTEXT = "sluiceContext";
    /** The owner of every object (pg_roles oid 10). */
    private static final int OWNER_OID = 10;

    private PgSession() {
    }

    private static QueryContext context(DataContext root) {
        return (QueryContext) root.get(CONTEXT);
    }

    public static String version() {
        return "PostgreSQL 9.5.0 on x86_64-pc-linux-gnu (Sluice 0.1.0)";
    }

    public static String mzVersion() {
        return "v0.1.0 (Sluice)";
    }

    public static String currentDatabase(DataContext root) {
        return context(root).sessionVariables().getOrDefault("database", "materialize");
    }

    public static String currentSchema(DataContext root) {
        List<String> schemas = currentSchemas(root, false);
        return schemas.isEmpty() ? null : schemas.get(0);
    }

    public static List<String> currentSchemas(DataContext root, boolean includeImplicit) {
        List<String> schemas = new ArrayList<>();
        if (includeImplicit) {
            schemas.add("mz_catalog");
            schemas.add("pg_catalog");
        }
        for (String schema : context(root).sessionVariables().getOrDefault("search_path", "public").split(",")) {
            String name = schema.trim().replace("\"", "");
            if (name.equals("public")) {
                schemas.add(name);
            }
        }
        return schemas;
    }

    public static String currentSetting(DataContext root, String name) {
        String value = context(root).sessionVariables().get(name.toLowerCase(Locale.ROOT));
        if (value == null) {
            throw SluiceException.of(ErrorCode.UNDEFINED_OBJECT, "unrecognized configuration parameter \"%s\"", name);
        }
        return value;
    }

    public static String currentSettingMissingOk(DataContext root, String name, boolean missingOk) {
        String value = context(root).sessionVariables().get(name.toLowerCase(Locale.ROOT));
        if (value == null && !missingOk) {
            return currentSetting(root, name);
        }
        return value;
    }

    public static int pgBackendPid() {
        return (int) ProcessHandle.current().pid();
    }

    public static boolean visible(long oid) {
        return true;
    }

    public static String pgGetUserbyid(long oid) {
        return oid == OWNER_OID ? "materialize" : "unknown (OID=" + oid + ")";
    }

    public static boolean hasPrivilege(String object, String privilege) {
        return true;
    }

    public static boolean hasPrivilegeOfUser(String user, String object, String privilege) {
        return true;
    }

    public static String pgEncodingToChar(long encoding) {
        return encoding == 6 ? "UTF8" : "";
    }

    /** {@code obj_description(oid)}: the {@code COMMENT ON} text of a relation. */
    public static String objDescription(DataContext root, long oid) {
        return context(root).catalog().description((int) oid, 0).orElse(null);
    }

    /** {@code obj_description(oid, catalog)}: comments are only on relations, whose catalog is {@code pg_class}. */
    public static String objDescriptionIn(DataContext root, long oid, String catalog) {
        return catalog.equals("pg_class") ? objDescription(root, oid) : null;
    }

    /** {@code shobj_description(oid, catalog)}: databases and roles take no comments. */
    public static String sharedObjectDescription(long oid, String catalog) {
        return null;
    }

    /** {@code col_description(table, column)}: the {@code COMMENT ON COLUMN} text. */
    public static String colDescription(DataContext root, long oid, long column) {
        return column <= 0 ? null : context(root).catalog().description((int) oid, (int) column).orElse(null);
    }

    /** {@code pg_get_expr(expression, relation)}: Sluice keeps default expressions as text. */
    public static String pgGetExpr(String expression, long relation) {
        return expression;
    }

    public static String pgGetExprPretty(String expression, long relation, boolean pretty) {
        return expression;
    }

    public static String pgGetIndexdef(DataContext root, long oid) {
        return context(root).catalog().indexDefinition((int) oid).orElse(null);
    }

    public static String pgGetIndexdefColumn(DataContext root, long oid, long column, boolean pretty) {
        if (column == 0) {
            return pgGetIndexdef(root, oid);
        }
        return context(root).catalog().indexColumn((int) oid, (int) column).orElse(null);
    }

    public static String pgGetConstraintdef(DataContext root, long oid) {
        return context(root).catalog().constraintDefinition((int) oid).orElse(null);
    }

    public static String pgGetConstraintdefPretty(DataContext root, long oid, boolean pretty) {
        return pgGetConstraintdef(root, oid);
    }

    public static String noDefinition(long oid) {
        return null;
    }

    public static String noDefinitionPretty(long oid, boolean pretty) {
        return null;
    }

    public static long zeroSize(long oid) {
        return 0;
    }

    /** {@code pg_size_pretty(bigint)}: bytes, kB, MB, GB, TB as PostgreSQL rounds them. */
    public static String pgSizePretty(long bytes) {
        long size = bytes;
        String[] units = {"bytes", "kB", "MB", "GB", "TB", "PB"};
        int unit = 0;
        long limit = 10 * 1024;
        if (Math.abs(size) < limit) {
            return size + " bytes";
        }
        size = Math.round(size / 512.0);
        unit = 1;
        while (Math.abs(size) >= limit * 2 && unit < units.length - 1) {
            size = Math.round(size / 1024.0);
            unit++;
        }
        return (size + 1) / 2 + " " + units[unit];
    }

    public static boolean isInRecovery() {
        return false;
    }

    public static UUID genRandomUuid() {
        return UUID.randomUUID();
    }

    /** {@code pg_typeof(x)}: the name of the argument's type (passed as a constant). */
    public static String pgTypeof(String typeName, Object ignored) {
        return StatementParser.parseType(typeName).displayName();
    }

    /** {@code 'name'::regclass}: the oid that the catalog lookup found, else PostgreSQL's error. */
    public static Integer regclass(Integer oid, String name) {
        if (oid == null) {
            throw SluiceException.of(ErrorCode.UNDEFINED_TABLE, "relation \"%s\" does not exist", name);
        }
        return oid;
    }

    /** {@code 'name'::regtype}: the oid that the catalog lookup found, else PostgreSQL's error. */
    public static Integer regtype(Integer oid, String name) {
        if (oid == null) {
            throw SluiceException.of(ErrorCode.UNDEFINED_OBJECT, "type \"%s\" does not exist", name);
        }
        return oid;
    }

    /** {@code format_type(oid, typmod)}: the SQL name of a type with its modifier. */
    public static String formatType(Long oid, Integer modifier) {
        if (oid == null) {
            return null;
        }
        SqlType type = typeOfOid(oid.intValue());
        if (type == null) {
            String name = PgTypes.nameOf(oid.intValue());
            return name.equals("???") ? "???" : name;
        }
        if (modifier != null && modifier >= 0) {
            type = withModifier(type, modifier);
        }
        return type.displayName();
    }

    private static SqlType withModifier(SqlType type, int modifier) {
        return switch (type.kind()) {
            case VARCHAR -> SqlType.varchar(modifier - 4);
            case CHAR -> SqlType.character(modifier - 4);
            case NUMERIC -> SqlType.numeric((modifier - 4) >> 16, (modifier - 4) & 0xffff);
            case TIME, TIMESTAMP, TIMESTAMPTZ -> SqlType.withPrecision(type.kind(), modifier);
            case ARRAY -> SqlType.array(withModifier(type.elementType(), modifier));
            default -> type;
        };
    }

    private static final SqlType[] BASE_TYPES = {SqlType.BOOLEAN, SqlType.SMALLINT, SqlType.INTEGER, SqlType.BIGINT, SqlType.REAL,
        SqlType.DOUBLE, SqlType.NUMERIC, SqlType.TEXT, SqlType.varchar(-1), SqlType.character(-1), SqlType.BYTEA, SqlType.DATE,
        SqlType.TIME, SqlType.TIMESTAMP, SqlType.TIMESTAMPTZ, SqlType.INTERVAL, SqlType.JSONB, SqlType.UUID, SqlType.UINT2, SqlType.UINT4,
        SqlType.UINT8};

    /** The Sluice type with PostgreSQL OID {@code oid} (arrays included); null for other OIDs. */
    static SqlType typeOfOid(int oid) {
        for (SqlType base : BASE_TYPES) {
            if (base.oid() == oid) {
                return base.kind() == TypeKind.CHAR ? new SqlType(TypeKind.CHAR, -1, -1, Optional.empty()) : base;
            }
            SqlType array = SqlType.array(base);
            if (array.oid() == oid && oid != PgTypes.TEXT_ARRAY || base.kind() == TypeKind.TEXT && oid == PgTypes.TEXT_ARRAY) {
                return array;
            }
        }
        return null;
    }
}
