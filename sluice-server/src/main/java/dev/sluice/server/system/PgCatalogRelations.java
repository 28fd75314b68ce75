package dev.sluice.server.system;

import static dev.sluice.server.system.SystemRelation.columns;

import dev.sluice.common.type.Column;
import dev.sluice.common.type.PgTypes;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.type.TypeKind;
import dev.sluice.common.value.Row;
import dev.sluice.server.catalog.Catalog;
import dev.sluice.server.catalog.Comment;
import dev.sluice.server.catalog.TableItem;
import dev.sluice.sql.query.CatalogFunctions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The {@code pg_catalog} and {@code information_schema} relations that psql's meta-commands
 * ({@code \d}, {@code \dt}, {@code \d t}, {@code \l}, {@code \df}, …) and pgJDBC's
 * {@code DatabaseMetaData} read, with PostgreSQL's column names (the 9.5 forms that psql and pgJDBC
 * use for server version 9.5). Tables are in schema {@code public}; a table with a primary key has a
 * btree index {@code <table>_pkey} and a constraint of the same name.
 */
final class PgCatalogRelations {
    /** Sluice's objects are all owned by this role ({@code pg_roles}). */
    static final int OWNER = 10;
    private static final int PUBLIC_NAMESPACE = 2200;
    private static final int PG_CATALOG_NAMESPACE = 11;
    private static final int BTREE = 403;
    private static final SqlType TEXT = SqlType.TEXT;
    private static final SqlType INTEGER = SqlType.INTEGER;
    private static final SqlType SMALLINT = SqlType.SMALLINT;
    private static final SqlType BOOL = SqlType.BOOLEAN;
    private static final SqlType REAL = SqlType.REAL;
    private static final SqlType TEXT_ARRAY = SqlType.array(SqlType.TEXT);
    private static final SqlType INT2_ARRAY = SqlType.array(SqlType.SMALLINT);
    private static final SqlType OID_ARRAY = SqlType.array(SqlType.INTEGER);

    private PgCatalogRelations() {
    }

    /** The OID of a table's primary-key index. */
    static int indexOid(TableItem table) {
        return 1_000_000 + SystemCatalog.oid(table);
    }

    /** The OID of a table's primary-key constraint. */
    static int constraintOid(TableItem table) {
        return 2_000_000 + SystemCatalog.oid(table);
    }

    static String indexName(TableItem table) {
        return table.name() + "_pkey";
    }

    private static List<Object> keyColumns(TableItem table) {
        List<Object> keys = new ArrayList<>();
        for (int column : table.primaryKey()) {
            keys.add((short) (column + 1));
        }
        return keys;
    }

    private static List<TableItem> indexed(SystemState state) {
        return state.catalog().items(TableItem.class).stream().filter(TableItem::hasPrimaryKey).toList();
    }

    static List<SystemRelation> definitions() {
        List<SystemRelation> list = new ArrayList<>();
        String pg = SystemCatalog.PG_CATALOG;
        list.add(new SystemRelation(pg, "pg_database", 0,
                columns("oid", INTEGER, "datname", TEXT, "datdba", INTEGER, "encoding", INTEGER, "datcollate", TEXT, "datctype", TEXT,
                        "datistemplate", BOOL, "datallowconn", BOOL, "datconnlimit", INTEGER, "datlastsysoid", INTEGER, "dattablespace", INTEGER,
                        "datacl", TEXT_ARRAY),
                state -> List.of(Row.of(SystemCatalog.DATABASE_OID, Catalog.DATABASE, OWNER, 6, "C", "C", false, true, -1, 16_383, 1663, null))));
        list.add(new SystemRelation(pg, "pg_namespace", 0, columns("oid", INTEGER, "nspname", TEXT, "nspowner", INTEGER, "nspacl", TEXT_ARRAY),
                state -> SystemCatalog.schemaNames().stream().map(schema -> Row.of(SystemCatalog.SCHEMA_OIDS.get(schema), schema, OWNER, null)).toList()));
        list.add(new SystemRelation(pg, "pg_class", 0,
                columns("oid", INTEGER, "relname", TEXT, "relnamespace", INTEGER, "reltype", INTEGER, "reloftype", INTEGER, "relowner", INTEGER,
                        "relam", INTEGER, "relfilenode", INTEGER, "reltablespace", INTEGER, "relpages", INTEGER, "reltuples", REAL, "relallvisible",
                        INTEGER, "reltoastrelid", INTEGER, "relhasindex", BOOL, "relisshared", BOOL, "relpersistence", TEXT, "relkind", TEXT,
                        "relnatts", SMALLINT, "relchecks", SMALLINT, "relhasoids", BOOL, "relhaspkey", BOOL, "relhasrules", BOOL, "relhastriggers", BOOL,
                        "relhassubclass", BOOL, "relrowsecurity", BOOL, "relforcerowsecurity", BOOL, "relispopulated", BOOL, "relreplident", TEXT,
                        "relispartition", BOOL, "relacl", TEXT_ARRAY, "reloptions", TEXT_ARRAY, "relpartbound", TEXT),
                PgCatalogRelations::pgClass));
        list.add(new SystemRelation(pg, "pg_attribute", 0,
                columns("attrelid", INTEGER, "attname", TEXT, "atttypid", INTEGER, "attstattarget", INTEGER, "attlen", SMALLINT, "attnum", SMALLINT,
                        "attndims", INTEGER, "attcacheoff", INTEGER, "atttypmod", INTEGER, "attbyval", BOOL, "attstorage", TEXT, "attalign", TEXT,
                        "attnotnull", BOOL, "atthasdef", BOOL, "atthasmissing", BOOL, "attidentity", TEXT, "attgenerated", TEXT, "attisdropped", BOOL,
                        "attislocal", BOOL, "attinhcount", INTEGER, "attcollation", INTEGER, "attacl", TEXT_ARRAY, "attoptions", TEXT_ARRAY,
                        "attfdwoptions", TEXT_ARRAY),
                PgCatalogRelations::pgAttribute));
        list.add(new SystemRelation(pg, "pg_attrdef", 0,
                columns("oid", INTEGER, "adrelid", INTEGER, "adnum", SMALLINT, "adbin", TEXT, "adsrc", TEXT),
                state -> {
                    List<Row> rows = new ArrayList<>();
                    for (TableItem table : state.catalog().items(TableItem.class)) {
                        for (int i = 0; i < table.desc().arity(); i++) {
                            int number = i;
                            table.defaults().get(i).ifPresent(expression -> rows.add(Row.of(3_000_000 + SystemCatalog.oid(table) * 100 + number,
                                    SystemCatalog.oid(table), (short) (number + 1), expression, expression)));
                        }
                    }
                    return rows;
                }));
        list.add(new SystemRelation(pg, "pg_type", 0,
                columns("oid", INTEGER, "typname", TEXT, "typnamespace", INTEGER, "typowner", INTEGER, "typlen", SMALLINT, "typbyval", BOOL,
                        "typtype", TEXT, "typcategory", TEXT, "typispreferred", BOOL, "typisdefined", BOOL, "typdelim", TEXT, "typrelid", INTEGER,
                        "typelem", INTEGER, "typarray", INTEGER, "typinput", TEXT, "typoutput", TEXT, "typreceive", TEXT, "typsend", TEXT,
                        "typmodin", TEXT, "typmodout", TEXT, "typanalyze", TEXT, "typalign", TEXT, "typstorage", TEXT, "typnotnull", BOOL,
                        "typbasetype", INTEGER, "typtypmod", INTEGER, "typndims", INTEGER, "typcollation", INTEGER, "typdefault", TEXT, "typacl",
                        TEXT_ARRAY),
                state -> pgTypes()));
        list.add(new SystemRelation(pg, "pg_index", 0,
                columns("indexrelid", INTEGER, "indrelid", INTEGER, "indnatts", SMALLINT, "indnkeyatts", SMALLINT, "indisunique", BOOL,
                        "indisprimary", BOOL, "indisexclusion", BOOL, "indimmediate", BOOL, "indisclustered", BOOL, "indisvalid", BOOL,
                        "indcheckxmin", BOOL, "indisready", BOOL, "indislive", BOOL, "indisreplident", BOOL, "indkey", INT2_ARRAY, "indcollation",
                        OID_ARRAY, "indclass", OID_ARRAY, "indoption", INT2_ARRAY, "indexprs", TEXT, "indpred", TEXT),
                state -> indexed(state).stream().map(t -> {
                    short count = (short) t.primaryKey().size();
                    List<Object> zeros = new ArrayList<>();
                    List<Object> zeroShorts = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        zeros.add(0);
                        zeroShorts.add((short) 0);
                    }
                    return Row.of(indexOid(t), SystemCatalog.oid(t), count, count, true, true, false, true, false, true, false, true, true, false,
                            keyColumns(t), zeros, zeros, zeroShorts, null, null);
                }).toList()));
        list.add(new SystemRelation(pg, "pg_constraint", 0,
                columns("oid", INTEGER, "conname", TEXT, "connamespace", INTEGER, "contype", TEXT, "condeferrable", BOOL, "condeferred", BOOL,
                        "convalidated", BOOL, "conrelid", INTEGER, "contypid", INTEGER, "conindid", INTEGER, "conparentid", INTEGER, "confrelid",
                        INTEGER, "confupdtype", TEXT, "confdeltype", TEXT, "confmatchtype", TEXT, "conislocal", BOOL, "coninhcount", INTEGER,
                        "connoinherit", BOOL, "conkey", INT2_ARRAY, "confkey", INT2_ARRAY, "conpfeqop", OID_ARRAY, "conppeqop", OID_ARRAY,
                        "conffeqop", OID_ARRAY, "conexclop", OID_ARRAY, "conbin", TEXT, "consrc", TEXT),
                state -> indexed(state).stream().map(t -> Row.of(constraintOid(t), indexName(t), PUBLIC_NAMESPACE, "p", false, false, true,
                        SystemCatalog.oid(t), 0, indexOid(t), 0, 0, " ", " ", " ", true, 0, true, keyColumns(t), null, null, null, null, null,
                        null, null)).toList()));
        list.add(new SystemRelation(pg, "pg_am", 0,
                columns("oid", INTEGER, "amname", TEXT, "amhandler", TEXT, "amtype", TEXT, "amcanorder", BOOL),
                state -> List.of(Row.of(2, "heap", "heap_tableam_handler", "t", false), Row.of(BTREE, "btree", "bthandler", "i", true),
                        Row.of(405, "hash", "hashhandler", "i", false))));
        list.add(new SystemRelation(pg, "pg_roles", 0,
                columns("oid", INTEGER, "rolname", TEXT, "rolsuper", BOOL, "rolinherit", BOOL, "rolcreaterole", BOOL, "rolcreatedb", BOOL,
                        "rolcanlogin", BOOL, "rolreplication", BOOL, "rolconnlimit", INTEGER, "rolpassword", TEXT, "rolvaliduntil", SqlType.TIMESTAMPTZ,
                        "rolbypassrls", BOOL, "rolconfig", TEXT_ARRAY),
                state -> List.of(Row.of(OWNER, "materialize", true, true, true, true, true, false, -1, "********", null, false, null))));
        list.add(new SystemRelation(pg, "pg_authid", 0,
                columns("oid", INTEGER, "rolname", TEXT, "rolsuper", BOOL, "rolinherit", BOOL, "rolcreaterole", BOOL, "rolcreatedb", BOOL,
                        "rolcanlogin", BOOL, "rolreplication", BOOL, "rolbypassrls", BOOL, "rolconnlimit", INTEGER, "rolpassword", TEXT,
                        "rolvaliduntil", SqlType.TIMESTAMPTZ),
                state -> List.of(Row.of(OWNER, "materialize", true, true, true, true, true, false, false, -1, null, null))));
        list.add(new SystemRelation(pg, "pg_user", 0,
                columns("usename", TEXT, "usesysid", INTEGER, "usecreatedb", BOOL, "usesuper", BOOL, "userepl", BOOL, "usebypassrls", BOOL,
                        "passwd", TEXT, "valuntil", SqlType.TIMESTAMPTZ, "useconfig", TEXT_ARRAY),
                state -> List.of(Row.of("materialize", OWNER, true, true, false, false, "********", null, null))));
        list.add(new SystemRelation(pg, "pg_auth_members", 0,
                columns("roleid", INTEGER, "member", INTEGER, "grantor", INTEGER, "admin_option", BOOL), state -> List.of()));
        list.add(new SystemRelation(pg, "pg_settings", 0,
                columns("name", TEXT, "setting", TEXT, "unit", TEXT, "category", TEXT, "short_desc", TEXT, "extra_desc", TEXT, "context", TEXT,
                        "vartype", TEXT, "source", TEXT, "min_val", TEXT, "max_val", TEXT, "enumvals", TEXT_ARRAY, "boot_val", TEXT, "reset_val", TEXT,
                        "pending_restart", BOOL),
                state -> List.of(setting("max_index_keys", "32", "integer"), setting("server_version", "9.5.0", "string"),
                        setting("server_version_num", "90500", "integer"), setting("server_encoding", "UTF8", "string"),
                        setting("default_transaction_isolation", "serializable", "enum"), setting("integer_datetimes", "on", "bool"),
                        setting("standard_conforming_strings", "on", "bool"), setting("TimeZone", "UTC", "string"),
                        setting("max_identifier_length", "255", "integer"), setting("block_size", "8192", "integer"))));
        list.add(new SystemRelation(pg, "pg_proc", 0,
                columns("oid", INTEGER, "proname", TEXT, "pronamespace", INTEGER, "proowner", INTEGER, "prolang", INTEGER, "procost", REAL,
                        "prorows", REAL, "provariadic", INTEGER, "proisagg", BOOL, "proiswindow", BOOL, "prokind", TEXT, "prosecdef", BOOL,
                        "proleakproof", BOOL, "proisstrict", BOOL, "proretset", BOOL, "provolatile", TEXT, "pronargs", SMALLINT, "pronargdefaults",
                        SMALLINT, "prorettype", INTEGER, "proargtypes", OID_ARRAY, "proallargtypes", OID_ARRAY, "proargmodes", TEXT_ARRAY,
                        "proargnames", TEXT_ARRAY, "proargdefaults", TEXT, "prosrc", TEXT, "probin", TEXT, "proconfig", TEXT_ARRAY, "proacl",
                        TEXT_ARRAY),
                state -> List.of()));
        list.add(new SystemRelation(pg, "pg_inherits", 0,
                columns("inhrelid", INTEGER, "inhparent", INTEGER, "inhseqno", INTEGER), state -> List.of()));
        list.add(new SystemRelation(pg, "pg_tablespace", 0,
                columns("oid", INTEGER, "spcname", TEXT, "spcowner", INTEGER, "spcacl", TEXT_ARRAY, "spcoptions", TEXT_ARRAY),
                state -> List.of(Row.of(1663, "pg_default", OWNER, null, null), Row.of(1664, "pg_global", OWNER, null, null))));
        list.add(new SystemRelation(pg, "pg_collation", 0,
                columns("oid", INTEGER, "collname", TEXT, "collnamespace", INTEGER, "collowner", INTEGER, "collencoding", INTEGER, "collcollate",
                        TEXT, "collctype", TEXT),
                state -> List.of(Row.of(100, "default", PG_CATALOG_NAMESPACE, OWNER, -1, "", ""), Row.of(950, "C", PG_CATALOG_NAMESPACE, OWNER, -1,
                        "C", "C"))));
        list.add(new SystemRelation(pg, "pg_extension", 0,
                columns("oid", INTEGER, "extname", TEXT, "extowner", INTEGER, "extnamespace", INTEGER, "extrelocatable", BOOL, "extversion", TEXT,
                        "extconfig", OID_ARRAY, "extcondition", TEXT_ARRAY),
                state -> List.of()));
        list.add(new SystemRelation(pg, "pg_trigger", 0,
                columns("oid", INTEGER, "tgrelid", INTEGER, "tgname", TEXT, "tgfoid", INTEGER, "tgtype", SMALLINT, "tgenabled", TEXT, "tgisinternal",
                        BOOL, "tgconstrrelid", INTEGER, "tgconstrindid", INTEGER, "tgconstraint", INTEGER, "tgdeferrable", BOOL, "tginitdeferred", BOOL,
                        "tgnargs", SMALLINT, "tgattr", INT2_ARRAY, "tgargs", TEXT, "tgqual", TEXT, "tgoldtable", TEXT, "tgnewtable", TEXT),
                state -> List.of()));
        list.add(new SystemRelation(pg, "pg_rewrite", 0,
                columns("oid", INTEGER, "rulename", TEXT, "ev_class", INTEGER, "ev_type", TEXT, "ev_enabled", TEXT, "is_instead", BOOL, "ev_qual",
                        TEXT, "ev_action", TEXT),
                state -> List.of()));
        list.add(new SystemRelation(pg, "pg_policy", 0,
                columns("oid", INTEGER, "polname", TEXT, "polrelid", INTEGER, "polcmd", TEXT, "polpermissive", BOOL, "polroles", OID_ARRAY,
                        "polqual", TEXT, "polwithcheck", TEXT),
                state -> List.of()));
        list.add(new SystemRelation(pg, "pg_statistic_ext", 0,
                columns("oid", INTEGER, "stxrelid", INTEGER, "stxname", TEXT, "stxnamespace", INTEGER, "stxowner", INTEGER, "stxkeys", INT2_ARRAY,
                        "stxkind", TEXT_ARRAY),
                state -> List.of()));
        list.add(new SystemRelation(pg, "pg_publication", 0,
                columns("oid", INTEGER, "pubname", TEXT, "pubowner", INTEGER, "puballtables", BOOL, "pubinsert", BOOL, "pubupdate", BOOL,
                        "pubdelete", BOOL, "pubtruncate", BOOL),
                state -> List.of()));
        list.add(new SystemRelation(pg, "pg_publication_rel", 0, columns("oid", INTEGER, "prpubid", INTEGER, "prrelid", INTEGER), state -> List.of()));
        list.add(new SystemRelation(pg, "pg_foreign_table", 0,
                columns("ftrelid", INTEGER, "ftserver", INTEGER, "ftoptions", TEXT_ARRAY), state -> List.of()));
        list.add(new SystemRelation(pg, "pg_enum", 0,
                columns("oid", INTEGER, "enumtypid", INTEGER, "enumsortorder", REAL, "enumlabel", TEXT), state -> List.of()));
        list.add(new SystemRelation(pg, "pg_range", 0,
                columns("rngtypid", INTEGER, "rngsubtype", INTEGER, "rngcollation", INTEGER, "rngsubopc", INTEGER, "rngcanonical", TEXT,
                        "rngsubdiff", TEXT),
                state -> List.of()));
        list.add(new SystemRelation(pg, "pg_language", 0,
                columns("oid", INTEGER, "lanname", TEXT, "lanowner", INTEGER, "lanispl", BOOL, "lanpltrusted", BOOL),
                state -> List.of(Row.of(12, "internal", OWNER, false, false), Row.of(14, "sql", OWNER, false, true))));
        list.add(new SystemRelation(pg, "pg_event_trigger", 0,
                columns("oid", INTEGER, "evtname", TEXT, "evtevent", TEXT, "evtowner", INTEGER, "evtfoid", INTEGER, "evtenabled", TEXT, "evttags",
                        TEXT_ARRAY),
                state -> List.of()));
        list.add(new SystemRelation(pg, "pg_tables", 0,
                columns("schemaname", TEXT, "tablename", TEXT, "tableowner", TEXT, "tablespace", TEXT, "hasindexes", BOOL, "hasrules", BOOL,
                        "hastriggers", BOOL, "rowsecurity", BOOL),
                state -> state.catalog().items(TableItem.class).stream()
                        .map(t -> Row.of(Catalog.SCHEMA, t.name(), "materialize", null, t.hasPrimaryKey(), false, false, false)).toList()));
        list.add(new SystemRelation(pg, "pg_indexes", 0,
                columns("schemaname", TEXT, "tablename", TEXT, "indexname", TEXT, "tablespace", TEXT, "indexdef", TEXT),
                state -> indexed(state).stream().map(t -> Row.of(Catalog.SCHEMA, t.name(), indexName(t), null, indexDefinition(t))).toList()));
        list.add(new SystemRelation(pg, "pg_views", 0,
                columns("schemaname", TEXT, "viewname", TEXT, "viewowner", TEXT, "definition", TEXT), state -> List.of()));
        list.add(new SystemRelation(pg, "pg_matviews", 0,
                columns("schemaname", TEXT, "matviewname", TEXT, "matviewowner", TEXT, "tablespace", TEXT, "hasindexes", BOOL, "ispopulated", BOOL,
                        "definition", TEXT),
                state -> List.of()));
        informationSchema(list);
        return list;
    }

    private static Row setting(String name, String value, String type) {
        return Row.of(name, value, null, "Preset Options", null, null, "internal", type, "default", null, null, null, value, value, false);
    }

    private static List<Row> pgClass(SystemState state) {
        List<Row> rows = new ArrayList<>();
        for (TableItem table : state.catalog().items(TableItem.class)) {
            int oid = SystemCatalog.oid(table);
            rows.add(Row.of(oid, table.name(), PUBLIC_NAMESPACE, 0, 0, OWNER, 0, oid, 0, 0, -1f, 0, 0, table.hasPrimaryKey(), false, "p", "r",
                    (short) table.desc().arity(), (short) 0, false, table.hasPrimaryKey(), false, false, false, false, false, true, "d", false, null,
                    null, null));
            if (table.hasPrimaryKey()) {
                rows.add(Row.of(indexOid(table), indexName(table), PUBLIC_NAMESPACE, 0, 0, OWNER, BTREE, indexOid(table), 0, 0, 0f, 0, 0, false,
                        false, "p", "i", (short) table.primaryKey().size(), (short) 0, false, false, false, false, false, false, false, true, "n",
                        false, null, null, null));
            }
        }
        return rows;
    }

    private static List<Row> pgAttribute(SystemState state) {
        List<Row> rows = new ArrayList<>();
        for (TableItem table : state.catalog().items(TableItem.class)) {
            for (int i = 0; i < table.desc().arity(); i++) {
                rows.add(attribute(SystemCatalog.oid(table), table.desc().column(i), i + 1, table.defaults().get(i).isPresent()));
            }
            if (table.hasPrimaryKey()) {
                List<Integer> key = table.primaryKey();
                for (int i = 0; i < key.size(); i++) {
                    rows.add(attribute(indexOid(table), table.desc().column(key.get(i)), i + 1, false));
                }
            }
        }
        return rows;
    }

    private static Row attribute(int relation, Column column, int number, boolean hasDefault) {
        SqlType type = column.type();
        boolean byValue = PgTypes.typeLength(type) > 0 && PgTypes.typeLength(type) <= 8;
        String storage = PgTypes.typeLength(type) < 0 ? "x" : "p";
        return Row.of(relation, column.name(), type.oid(), -1, (short) PgTypes.typeLength(type), (short) number,
                type.kind() == TypeKind.ARRAY ? 1 : 0, -1, PgTypes.typeModifier(type), byValue, storage, alignment(type), !column.nullable(),
                hasDefault, false, "", "", false, true, 0, type.kind() == TypeKind.TEXT || type.kind() == TypeKind.VARCHAR
                        || type.kind() == TypeKind.CHAR ? 100 : 0, null, null, null);
    }

    private static String alignment(SqlType type) {
        return switch (PgTypes.typeLength(type)) {
            case 1 -> "c";
            case 2 -> "s";
            case 4 -> "i";
            case 8, 16 -> "d";
            default -> "i";
        };
    }

    /** One base type: oid, name, length, category, array oid, input function name. */
    private record BaseType(int oid, String name, int length, String category, int arrayOid, String input, String kind) {
    }

    private static final List<BaseType> BASE_TYPES = List.of(
            new BaseType(PgTypes.BOOL, "bool", 1, "B", PgTypes.BOOL_ARRAY, "boolin", "b"),
            new BaseType(PgTypes.BYTEA, "bytea", -1, "U", PgTypes.BYTEA_ARRAY, "byteain", "b"),
            new BaseType(18, "char", 1, "S", 1002, "charin", "b"),
            new BaseType(19, "name", 64, "S", 1003, "namein", "b"),
            new BaseType(PgTypes.INT8, "int8", 8, "N", PgTypes.INT8_ARRAY, "int8in", "b"),
            new BaseType(PgTypes.INT2, "int2", 2, "N", PgTypes.INT2_ARRAY, "int2in", "b"),
            new BaseType(22, "int2vector", -1, "A", 1006, "int2vectorin", "b"),
            new BaseType(PgTypes.INT4, "int4", 4, "N", PgTypes.INT4_ARRAY, "int4in", "b"),
            new BaseType(24, "regproc", 4, "N", 1008, "regprocin", "b"),
            new BaseType(PgTypes.TEXT, "text", -1, "S", PgTypes.TEXT_ARRAY, "textin", "b"),
            new BaseType(PgTypes.OID, "oid", 4, "N", 1028, "oidin", "b"),
            new BaseType(30, "oidvector", -1, "A", 1013, "oidvectorin", "b"),
            new BaseType(PgTypes.JSON, "json", -1, "U", 199, "json_in", "b"),
            new BaseType(PgTypes.FLOAT4, "float4", 4, "N", PgTypes.FLOAT4_ARRAY, "float4in", "b"),
            new BaseType(PgTypes.FLOAT8, "float8", 8, "N", PgTypes.FLOAT8_ARRAY, "float8in", "b"),
            new BaseType(PgTypes.UNKNOWN, "unknown", -2, "X", 0, "unknownin", "p"),
            new BaseType(PgTypes.BPCHAR, "bpchar", -1, "S", PgTypes.BPCHAR_ARRAY, "bpcharin", "b"),
            new BaseType(PgTypes.VARCHAR, "varchar", -1, "S", PgTypes.VARCHAR_ARRAY, "varcharin", "b"),
            new BaseType(PgTypes.DATE, "date", 4, "D", PgTypes.DATE_ARRAY, "date_in", "b"),
            new BaseType(PgTypes.TIME, "time", 8, "D", PgTypes.TIME_ARRAY, "time_in", "b"),
            new BaseType(PgTypes.TIMESTAMP, "timestamp", 8, "D", PgTypes.TIMESTAMP_ARRAY, "timestamp_in", "b"),
            new BaseType(PgTypes.TIMESTAMPTZ, "timestamptz", 8, "D", PgTypes.TIMESTAMPTZ_ARRAY, "timestamptz_in", "b"),
            new BaseType(PgTypes.INTERVAL, "interval", 16, "T", PgTypes.INTERVAL_ARRAY, "interval_in", "b"),
            new BaseType(PgTypes.NUMERIC, "numeric", -1, "N", PgTypes.NUMERIC_ARRAY, "numeric_in", "b"),
            new BaseType(2205, "regclass", 4, "N", 2210, "regclassin", "b"),
            new BaseType(2206, "regtype", 4, "N", 2211, "regtypein", "b"),
            new BaseType(2249, "record", -1, "P", 2287, "record_in", "p"),
            new BaseType(2277, "anyarray", -1, "P", 0, "anyarray_in", "p"),
            new BaseType(2278, "void", 4, "P", 0, "void_in", "p"),
            new BaseType(2279, "trigger", 4, "P", 0, "trigger_in", "p"),
            new BaseType(2283, "anyelement", 4, "P", 0, "anyelement_in", "p"),
            new BaseType(PgTypes.UUID, "uuid", 16, "U", PgTypes.UUID_ARRAY, "uuid_in", "b"),
            new BaseType(PgTypes.JSONB, "jsonb", -1, "U", PgTypes.JSONB_ARRAY, "jsonb_in", "b"),
            new BaseType(PgTypes.LIST, "list", -1, "U", 0, "list_in", "p"),
            new BaseType(PgTypes.MAP, "map", -1, "U", 0, "map_in", "p"),
            new BaseType(PgTypes.UINT2, "uint2", 2, "N", PgTypes.UINT2_ARRAY, "uint2in", "b"),
            new BaseType(PgTypes.UINT4, "uint4", 4, "N", PgTypes.UINT4_ARRAY, "uint4in", "b"),
            new BaseType(PgTypes.UINT8, "uint8", 8, "N", PgTypes.UINT8_ARRAY, "uint8in", "b"));

    private static List<Row> pgTypes() {
        List<Row> rows = new ArrayList<>();
        for (BaseType type : BASE_TYPES) {
            boolean byValue = type.length() > 0 && type.length() <= 8;
            String align = type.length() == 8 || type.length() == 16 ? "d" : type.length() == 2 ? "s" : type.length() == 1 ? "c" : "i";
            String storage = type.length() < 0 ? "x" : "p";
            String base = type.input().endsWith("_in") ? type.input().substring(0, type.input().length() - 3) : type.name();
            int collation = type.category().equals("S") ? 100 : 0;
            rows.add(Row.of(type.oid(), type.name(), PG_CATALOG_NAMESPACE, OWNER, (short) type.length(), byValue, type.kind(), type.category(),
                    false, true, ",", 0, 0, type.arrayOid(), type.input(), base + "out", base + "recv", base + "send", null, null, null, align,
                    storage, false, 0, -1, 0, collation, null, null));
            if (type.arrayOid() != 0) {
                rows.add(Row.of(type.arrayOid(), "_" + type.name(), PG_CATALOG_NAMESPACE, OWNER, (short) -1, false, "b", "A", false, true, ",", 0,
                        type.oid(), 0, "array_in", "array_out", "array_recv", "array_send", null, null, "array_typanalyze", align, "x", false, 0,
                        -1, 0, collation, null, null));
            }
        }
        return rows;
    }

    // ------------------------------------------------------------------ information_schema

    private static void informationSchema(List<SystemRelation> list) {
        String is = SystemCatalog.INFORMATION_SCHEMA;
        list.add(new SystemRelation(is, "schemata", 0,
                columns("catalog_name", TEXT, "schema_name", TEXT, "schema_owner", TEXT, "default_character_set_catalog", TEXT,
                        "default_character_set_schema", TEXT, "default_character_set_name", TEXT, "sql_path", TEXT),
                state -> SystemCatalog.schemaNames().stream().map(schema -> Row.of(Catalog.DATABASE, schema, "materialize", null, null, null, null))
                        .toList()));
        list.add(new SystemRelation(is, "tables", 0,
                columns("table_catalog", TEXT, "table_schema", TEXT, "table_name", TEXT, "table_type", TEXT, "self_referencing_column_name", TEXT,
                        "reference_generation", TEXT, "user_defined_type_catalog", TEXT, "user_defined_type_schema", TEXT,
                        "user_defined_type_name", TEXT, "is_insertable_into", TEXT, "is_typed", TEXT, "commit_action", TEXT),
                state -> state.catalog().items(TableItem.class).stream()
                        .map(t -> Row.of(Catalog.DATABASE, Catalog.SCHEMA, t.name(), "BASE TABLE", null, null, null, null, null, "YES", "NO", null))
                        .toList()));
        list.add(new SystemRelation(is, "columns", 0,
                columns("table_catalog", TEXT, "table_schema", TEXT, "table_name", TEXT, "column_name", TEXT, "ordinal_position", INTEGER,
                        "column_default", TEXT, "is_nullable", TEXT, "data_type", TEXT, "character_maximum_length", INTEGER, "character_octet_length",
                        INTEGER, "numeric_precision", INTEGER, "numeric_precision_radix", INTEGER, "numeric_scale", INTEGER, "datetime_precision",
                        INTEGER, "interval_type", TEXT, "interval_precision", INTEGER, "udt_catalog", TEXT, "udt_schema", TEXT, "udt_name", TEXT,
                        "is_identity", TEXT, "identity_generation", TEXT, "is_generated", TEXT, "generation_expression", TEXT, "is_updatable", TEXT),
                PgCatalogRelations::informationSchemaColumns));
        list.add(new SystemRelation(is, "views", 0,
                columns("table_catalog", TEXT, "table_schema", TEXT, "table_name", TEXT, "view_definition", TEXT, "check_option", TEXT,
                        "is_updatable", TEXT, "is_insertable_into", TEXT),
                state -> List.of()));
        list.add(new SystemRelation(is, "table_constraints", 0,
                columns("constraint_catalog", TEXT, "constraint_schema", TEXT, "constraint_name", TEXT, "table_catalog", TEXT, "table_schema", TEXT,
                        "table_name", TEXT, "constraint_type", TEXT, "is_deferrable", TEXT, "initially_deferred", TEXT, "enforced", TEXT),
                state -> indexed(state).stream().map(t -> Row.of(Catalog.DATABASE, Catalog.SCHEMA, indexName(t), Catalog.DATABASE, Catalog.SCHEMA,
                        t.name(), "PRIMARY KEY", "NO", "NO", "YES")).toList()));
        list.add(new SystemRelation(is, "key_column_usage", 0,
                columns("constraint_catalog", TEXT, "constraint_schema", TEXT, "constraint_name", TEXT, "table_catalog", TEXT, "table_schema", TEXT,
                        "table_name", TEXT, "column_name", TEXT, "ordinal_position", INTEGER, "position_in_unique_constraint", INTEGER),
                state -> {
                    List<Row> rows = new ArrayList<>();
                    for (TableItem table : indexed(state)) {
                        for (int i = 0; i < table.primaryKey().size(); i++) {
                            rows.add(Row.of(Catalog.DATABASE, Catalog.SCHEMA, indexName(table), Catalog.DATABASE, Catalog.SCHEMA, table.name(),
                                    table.desc().column(table.primaryKey().get(i)).name(), i + 1, null));
                        }
                    }
                    return rows;
                }));
        list.add(new SystemRelation(is, "referential_constraints", 0,
                columns("constraint_catalog", TEXT, "constraint_schema", TEXT, "constraint_name", TEXT, "unique_constraint_catalog", TEXT,
                        "unique_constraint_schema", TEXT, "unique_constraint_name", TEXT, "match_option", TEXT, "update_rule", TEXT, "delete_rule", TEXT),
                state -> List.of()));
        list.add(new SystemRelation(is, "routines", 0,
                columns("specific_catalog", TEXT, "specific_schema", TEXT, "specific_name", TEXT, "routine_catalog", TEXT, "routine_schema", TEXT,
                        "routine_name", TEXT, "routine_type", TEXT, "data_type", TEXT),
                state -> List.of()));
    }

    private static List<Row> informationSchemaColumns(SystemState state) {
        List<Row> rows = new ArrayList<>();
        for (TableItem table : state.catalog().items(TableItem.class)) {
            for (int i = 0; i < table.desc().arity(); i++) {
                Column column = table.desc().column(i);
                SqlType type = column.type();
                boolean character = type.kind() == TypeKind.VARCHAR || type.kind() == TypeKind.CHAR || type.kind() == TypeKind.TEXT;
                Integer length = (type.kind() == TypeKind.VARCHAR || type.kind() == TypeKind.CHAR) && type.hasPrecision() ? type.precision() : null;
                Integer octets = character ? (length == null ? 1_073_741_824 : length * 4) : null;
                Integer precision = switch (type.kind()) {
                    case SMALLINT -> 16;
                    case INTEGER -> 32;
                    case BIGINT -> 64;
                    case REAL -> 24;
                    case DOUBLE -> 53;
                    case NUMERIC -> type.hasPrecision() ? type.precision() : null;
                    default -> null;
                };
                Integer radix = switch (type.kind()) {
                    case SMALLINT, INTEGER, BIGINT, REAL, DOUBLE -> 2;
                    case NUMERIC -> 10;
                    default -> null;
                };
                Integer scale = switch (type.kind()) {
                    case SMALLINT, INTEGER, BIGINT -> 0;
                    case NUMERIC -> type.hasScale() ? type.scale() : null;
                    default -> null;
                };
                Integer datetimePrecision = switch (type.kind()) {
                    case DATE -> 0;
                    case TIME, TIMESTAMP, TIMESTAMPTZ -> type.hasPrecision() ? type.precision() : 6;
                    case INTERVAL -> 6;
                    default -> null;
                };
                String dataType = switch (type.kind()) {
                    case ARRAY -> "ARRAY";
                    case LIST, MAP, UINT2, UINT4, UINT8 -> "USER-DEFINED";
                    default -> type.displayName().replaceAll("\\(.*\\)", "");
                };
                String udt = dev.sluice.sql.query.internal.CastTarget.internalName(type);
                rows.add(Row.of(Catalog.DATABASE, Catalog.SCHEMA, table.name(), column.name(), i + 1, table.defaults().get(i).orElse(null),
                        column.nullable() ? "YES" : "NO", dataType, length, octets, precision, radix, scale, datetimePrecision, null, null,
                        Catalog.DATABASE, "pg_catalog", type.kind() == TypeKind.ARRAY ? "_" + udt : udt, "NO", null, "NEVER", null, "YES"));
            }
        }
        return rows;
    }

    // ------------------------------------------------------------------ catalog functions

    static String indexDefinition(TableItem table) {
        StringJoiner columns = new StringJoiner(", ", "(", ")");
        for (int column : table.primaryKey()) {
            columns.add(Catalog.quoteIdentifier(table.desc().column(column).name()));
        }
        return "CREATE UNIQUE INDEX " + Catalog.quoteIdentifier(indexName(table)) + " ON " + Catalog.SCHEMA + "."
                + Catalog.quoteIdentifier(table.name()) + " USING btree " + columns;
    }

    private static String constraintDefinition(TableItem table) {
        StringJoiner columns = new StringJoiner(", ", "(", ")");
        for (int column : table.primaryKey()) {
            columns.add(Catalog.quoteIdentifier(table.desc().column(column).name()));
        }
        return "PRIMARY KEY " + columns;
    }

    /** {@code pg_get_indexdef} and {@code pg_get_constraintdef} over one catalog snapshot. */
    static CatalogFunctions functions(Catalog catalog) {
        return new CatalogFunctions() {
            private Optional<TableItem> byIndex(int oid) {
                return catalog.items(TableItem.class).stream().filter(t -> t.hasPrimaryKey() && indexOid(t) == oid).findFirst();
            }

            @Override
            public Optional<String> indexDefinition(int indexOid) {
                return byIndex(indexOid).map(PgCatalogRelations::indexDefinition);
            }

            @Override
            public Optional<String> indexColumn(int indexOid, int column) {
                return byIndex(indexOid).filter(t -> column >= 1 && column <= t.primaryKey().size())
                        .map(t -> Catalog.quoteIdentifier(t.desc().column(t.primaryKey().get(column - 1)).name()));
            }

            @Override
            public Optional<String> constraintDefinition(int constraintOid) {
                return catalog.items(TableItem.class).stream().filter(t -> t.hasPrimaryKey() && constraintOid(t) == constraintOid).findFirst()
                        .map(PgCatalogRelations::constraintDefinition);
            }

            @Override
            public Optional<String> description(int objectOid, int column) {
                return catalog.comments().stream()
                        .filter(comment -> comment.target().column() == column
                                && catalog.byId(comment.target().objectId()).filter(item -> SystemCatalog.oid(item) == objectOid).isPresent())
                        .map(Comment::text).findFirst();
            }
        };
    }
}
