package dev.sluice.server.system;

import static dev.sluice.server.system.SystemRelation.columns;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.common.type.Column;
import dev.sluice.common.type.PgTypes;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.type.TypeKind;
import dev.sluice.common.value.codec.JsonbText;
import dev.sluice.common.value.Row;
import dev.sluice.server.catalog.Catalog;
import dev.sluice.server.catalog.CatalogItem;
import dev.sluice.server.catalog.ConnectionDetails;
import dev.sluice.server.catalog.ConnectionItem;
import dev.sluice.server.catalog.SecretItem;
import dev.sluice.server.catalog.SinkItem;
import dev.sluice.server.catalog.TableItem;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The system relations: {@code mz_catalog}, {@code mz_internal}, and the parts of
 * {@code pg_catalog} and {@code information_schema} that psql and pgJDBC read. Column names and
 * meanings follow Materialize and PostgreSQL so that operators' queries carry over.
 */
public final class SystemCatalog {
    public static final String MZ_CATALOG = "mz_catalog";
    public static final String MZ_INTERNAL = "mz_internal";
    public static final String PG_CATALOG = "pg_catalog";
    public static final String INFORMATION_SCHEMA = "information_schema";

    /** Schemas in search order for unqualified names after {@code public}. */
    public static final List<String> SYSTEM_SCHEMAS = List.of(MZ_CATALOG, MZ_INTERNAL, PG_CATALOG, INFORMATION_SCHEMA);

    private static final int DATABASE_OID = 20_000;
    private static final Map<String, Integer> SCHEMA_OIDS = Map.of(
            PG_CATALOG, 11, Catalog.SCHEMA, 2200, INFORMATION_SCHEMA, 13_000, MZ_CATALOG, 16_000, MZ_INTERNAL, 16_001);
    private static final Map<String, String> SCHEMA_IDS = Map.of(
            PG_CATALOG, "s1", Catalog.SCHEMA, "u1", INFORMATION_SCHEMA, "s2", MZ_CATALOG, "s3", MZ_INTERNAL, "s4");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** {@code pg_description.classoid} of relations and other objects: {@code pg_class}. */
    private static final int PG_CLASS_OID = 1259;

    private final Map<String, Map<String, SystemRelation>> bySchema = new LinkedHashMap<>();

    public SystemCatalog() {
        long oid = 15_000;
        for (SystemRelation relation : definitions()) {
            bySchema.computeIfAbsent(relation.schema(), ignored -> new LinkedHashMap<>()).put(relation.name(),
                    new SystemRelation(relation.schema(), relation.name(), oid++, relation.desc(), relation.rows()));
        }
    }

    public Optional<SystemRelation> relation(String schema, String name) {
        return Optional.ofNullable(bySchema.getOrDefault(schema, Map.of()).get(name));
    }

    public List<SystemRelation> relations(String schema) {
        return List.copyOf(bySchema.getOrDefault(schema, Map.of()).values());
    }

    public List<SystemRelation> all() {
        List<SystemRelation> all = new ArrayList<>();
        bySchema.values().forEach(relations -> all.addAll(relations.values()));
        return all;
    }

    /** All schema names: the user schema first. */
    public static List<String> schemaNames() {
        List<String> names = new ArrayList<>();
        names.add(Catalog.SCHEMA);
        names.addAll(SYSTEM_SCHEMAS);
        return names;
    }

    /** The OID of a user object: stable, derived from its id. */
    public static int oid(CatalogItem item) {
        return 20_000 + Integer.parseInt(item.id().substring(1));
    }

    private static List<SystemRelation> definitions() {
        List<SystemRelation> list = new ArrayList<>();
        SqlType text = SqlType.TEXT;
        SqlType integer = SqlType.INTEGER;
        SqlType bool = SqlType.BOOLEAN;
        SqlType uint8 = SqlType.UINT8;
        SqlType textArray = SqlType.array(SqlType.TEXT);

        // mz_catalog
        list.add(new SystemRelation(MZ_CATALOG, "mz_databases", 0, columns("id", text, "oid", integer, "name", text, "owner_id", text),
                state -> List.of(Row.of("u1", DATABASE_OID, Catalog.DATABASE, "s1"))));
        list.add(new SystemRelation(MZ_CATALOG, "mz_schemas", 0,
                columns("id", text, "oid", integer, "database_id", text, "name", text, "owner_id", text),
                state -> schemaNames().stream()
                        .map(schema -> Row.of(SCHEMA_IDS.get(schema), SCHEMA_OIDS.get(schema), schema.equals(Catalog.SCHEMA) ? "u1" : null, schema, "s1"))
                        .toList()));
        list.add(new SystemRelation(MZ_CATALOG, "mz_tables", 0,
                columns("id", text, "oid", integer, "schema_id", text, "name", text, "owner_id", text, "create_sql", text, "redacted_create_sql", text),
                state -> state.catalog().items(TableItem.class).stream()
                        .map(t -> Row.of(t.id(), oid(t), "u1", t.name(), "u1", t.createSql(), t.createSql())).toList()));
        list.add(new SystemRelation(MZ_CATALOG, "mz_columns", 0,
                columns("id", text, "name", text, "position", uint8, "nullable", bool, "type", text, "default", text, "type_oid", integer, "type_mod", integer),
                state -> {
                    List<Row> rows = new ArrayList<>();
                    for (TableItem table : state.catalog().items(TableItem.class)) {
                        for (int i = 0; i < table.desc().arity(); i++) {
                            Column column = table.desc().column(i);
                            rows.add(Row.of(table.id(), column.name(), BigInteger.valueOf(i + 1L), column.nullable(), column.type().displayName(),
                                    table.defaults().get(i).orElse(null), column.type().oid(), PgTypes.typeModifier(column.type())));
                        }
                    }
                    return rows;
                }));
        list.add(new SystemRelation(MZ_CATALOG, "mz_secrets", 0, columns("id", text, "oid", integer, "schema_id", text, "name", text, "owner_id", text),
                state -> state.catalog().items(SecretItem.class).stream().map(s -> Row.of(s.id(), oid(s), "u1", s.name(), "u1")).toList()));
        list.add(new SystemRelation(MZ_CATALOG, "mz_connections", 0,
                columns("id", text, "oid", integer, "schema_id", text, "name", text, "type", text, "owner_id", text, "create_sql", text,
                        "redacted_create_sql", text),
                state -> state.catalog().items(ConnectionItem.class).stream()
                        .map(c -> Row.of(c.id(), oid(c), "u1", c.name(), c.connectionType(), "u1", c.createSql(), c.createSql())).toList()));
        list.add(new SystemRelation(MZ_CATALOG, "mz_kafka_connections", 0, columns("id", text, "brokers", textArray, "sink_progress_topic", text),
                state -> state.catalog().items(ConnectionItem.class).stream()
                        .filter(c -> c.details() instanceof ConnectionDetails.Kafka)
                        .map(c -> {
                            ConnectionDetails.Kafka kafka = (ConnectionDetails.Kafka) c.details();
                            return Row.of(c.id(), List.copyOf(kafka.brokers()), kafka.progressTopic());
                        }).toList()));
        list.add(new SystemRelation(MZ_CATALOG, "mz_sinks", 0,
                columns("id", text, "oid", integer, "schema_id", text, "name", text, "type", text, "connection_id", text, "size", text,
                        "envelope_type", text, "format", text, "key_format", text, "value_format", text, "cluster_id", text, "owner_id", text,
                        "create_sql", text, "redacted_create_sql", text),
                state -> state.catalog().items(SinkItem.class).stream()
                        .map(s -> Row.of(s.id(), oid(s), "u1", s.name(), "kafka", s.connectionId(), null, s.plan().envelope().word(),
                                s.plan().combinedFormat(), s.plan().keyFormat().map(f -> f.word()).orElse(null), s.plan().valueFormat().word(), "u1",
                                "u1", s.createSql(), s.createSql()))
                        .toList()));
        list.add(new SystemRelation(MZ_CATALOG, "mz_kafka_sinks", 0, columns("id", text, "topic", text),
                state -> state.catalog().items(SinkItem.class).stream().map(s -> Row.of(s.id(), s.plan().topic())).toList()));
        list.add(new SystemRelation(MZ_CATALOG, "mz_clusters", 0, columns("id", text, "name", text, "owner_id", text),
                state -> List.of(Row.of("u1", "quickstart", "s1"))));

        // mz_internal
        list.add(new SystemRelation(MZ_INTERNAL, "mz_sink_status_history", 0,
                columns("occurred_at", SqlType.TIMESTAMPTZ, "sink_id", text, "status", text, "error", text, "details", SqlType.JSONB, "replica_id", text),
                state -> state.sinks().statusHistory().stream()
                        .map(e -> Row.of(e.occurredAt(), e.sinkId(), e.status(), e.error().orElse(null), e.detailsJson().map(JsonbText::canonicalize).orElse(null), "u1"))
                        .toList()));
        list.add(new SystemRelation(MZ_INTERNAL, "mz_sink_statuses", 0,
                columns("id", text, "name", text, "type", text, "last_status_change_at", SqlType.TIMESTAMPTZ, "status", text, "error", text, "details",
                        SqlType.JSONB),
                SystemCatalog::sinkStatuses));
        list.add(new SystemRelation(MZ_INTERNAL, "mz_sink_statistics", 0,
                columns("id", text, "replica_id", text, "messages_staged", uint8, "messages_committed", uint8, "bytes_staged", uint8, "bytes_committed",
                        uint8),
                state -> state.sinks().statistics().stream()
                        .filter(s -> state.catalog().byId(s.sinkId()).isPresent())
                        .map(s -> Row.of(s.sinkId(), "u1", BigInteger.valueOf(s.messagesStaged()), BigInteger.valueOf(s.messagesCommitted()),
                                BigInteger.valueOf(s.bytesStaged()), BigInteger.valueOf(s.bytesCommitted())))
                        .toList()));

        list.add(new SystemRelation(MZ_INTERNAL, "mz_comments", 0,
                columns("id", text, "object_type", text, "object_sub_id", integer, "comment", text),
                state -> state.catalog().comments().stream().flatMap(comment -> state.catalog().byId(comment.target().objectId()).stream()
                        .map(item -> Row.of(item.id(), item.type().word(), comment.target().onColumn() ? comment.target().column() : null,
                                comment.text()))).toList()));

        // pg_catalog
        list.add(new SystemRelation(PG_CATALOG, "pg_database", 0,
                columns("oid", integer, "datname", text, "datdba", integer, "encoding", integer, "datcollate", text, "datctype", text, "datistemplate",
                        bool, "datallowconn", bool, "datconnlimit", integer, "datacl", textArray),
                state -> List.of(Row.of(DATABASE_OID, Catalog.DATABASE, 10, 6, "C", "C", false, true, -1, null))));
        list.add(new SystemRelation(PG_CATALOG, "pg_namespace", 0, columns("oid", integer, "nspname", text, "nspowner", integer, "nspacl", textArray),
                state -> schemaNames().stream().map(schema -> Row.of(SCHEMA_OIDS.get(schema), schema, 10, null)).toList()));
        list.add(new SystemRelation(PG_CATALOG, "pg_class", 0,
                columns("oid", integer, "relname", text, "relnamespace", integer, "reltype", integer, "relowner", integer, "relam", integer,
                        "reltuples", SqlType.REAL, "relhasindex", bool, "relpersistence", text, "relkind", text, "relnatts", SqlType.SMALLINT,
                        "relchecks", SqlType.SMALLINT, "relhasrules", bool, "relhastriggers", bool, "relhassubclass", bool, "relrowsecurity", bool,
                        "relforcerowsecurity", bool, "relispartition", bool, "reloftype", integer, "relacl", textArray, "reloptions", textArray,
                        "relpartbound", text, "reltablespace", integer, "relhasoids", bool, "reltoastrelid", integer, "relreplident", text),
                SystemCatalog::pgClass));
        list.add(new SystemRelation(PG_CATALOG, "pg_attribute", 0,
                columns("attrelid", integer, "attname", text, "atttypid", integer, "attlen", SqlType.SMALLINT, "attnum", SqlType.SMALLINT, "atttypmod",
                        integer, "attnotnull", bool, "atthasdef", bool, "attisdropped", bool, "attidentity", text, "attgenerated", text, "attcollation",
                        integer, "attndims", SqlType.SMALLINT),
                SystemCatalog::pgAttribute));
        list.add(new SystemRelation(PG_CATALOG, "pg_attrdef", 0,
                columns("oid", integer, "adrelid", integer, "adnum", SqlType.SMALLINT, "adbin", text, "adsrc", text),
                state -> {
                    List<Row> rows = new ArrayList<>();
                    for (TableItem table : state.catalog().items(TableItem.class)) {
                        for (int i = 0; i < table.desc().arity(); i++) {
                            int number = i;
                            table.defaults().get(i).ifPresent(expression ->
                                    rows.add(Row.of(oid(table) * 100 + number, oid(table), (short) (number + 1), expression, expression)));
                        }
                    }
                    return rows;
                }));
        list.add(new SystemRelation(PG_CATALOG, "pg_type", 0,
                columns("oid", integer, "typname", text, "typnamespace", integer, "typowner", integer, "typlen", SqlType.SMALLINT, "typtype", text,
                        "typcategory", text, "typdelim", text, "typrelid", integer, "typelem", integer, "typarray", integer, "typbasetype", integer,
                        "typtypmod", integer, "typnotnull", bool, "typinput", text, "typreceive", text, "typcollation", integer),
                state -> pgTypes()));
        list.add(new SystemRelation(PG_CATALOG, "pg_index", 0,
                columns("indexrelid", integer, "indrelid", integer, "indnatts", SqlType.SMALLINT, "indisunique", bool, "indisprimary", bool,
                        "indisclustered", bool, "indisvalid", bool, "indkey", text, "indexprs", text, "indpred", text),
                state -> List.of()));
        list.add(new SystemRelation(PG_CATALOG, "pg_constraint", 0,
                columns("oid", integer, "conname", text, "connamespace", integer, "contype", text, "conrelid", integer, "conindid", integer,
                        "confrelid", integer, "conkey", SqlType.array(SqlType.SMALLINT), "condeferrable", bool, "condeferred", bool, "convalidated", bool),
                state -> state.catalog().items(TableItem.class).stream().filter(TableItem::hasPrimaryKey)
                        .map(t -> Row.of(oid(t) * 100 + 99, t.name() + "_pkey", 2200, "p", oid(t), 0, 0,
                                t.primaryKey().stream().map(i -> (Object) (short) (i + 1)).toList(), false, false, true))
                        .toList()));
        list.add(new SystemRelation(PG_CATALOG, "pg_description", 0,
                columns("objoid", integer, "classoid", integer, "objsubid", integer, "description", text),
                state -> state.catalog().comments().stream().flatMap(comment -> state.catalog().byId(comment.target().objectId()).stream()
                        .map(item -> Row.of(oid(item), PG_CLASS_OID, comment.target().column(), comment.text()))).toList()));
        list.add(new SystemRelation(PG_CATALOG, "pg_roles", 0,
                columns("oid", integer, "rolname", text, "rolsuper", bool, "rolinherit", bool, "rolcreaterole", bool, "rolcreatedb", bool,
                        "rolcanlogin", bool, "rolreplication", bool, "rolconnlimit", integer, "rolvaliduntil", SqlType.TIMESTAMPTZ, "rolbypassrls", bool),
                state -> List.of(Row.of(10, "materialize", true, true, true, true, true, false, -1, null, false))));
        list.add(new SystemRelation(PG_CATALOG, "pg_user", 0,
                columns("usename", text, "usesysid", integer, "usecreatedb", bool, "usesuper", bool),
                state -> List.of(Row.of("materialize", 10, true, true))));
        list.add(new SystemRelation(PG_CATALOG, "pg_am", 0, columns("oid", integer, "amname", text, "amtype", text),
                state -> List.of(Row.of(2, "heap", "t"))));
        list.add(new SystemRelation(PG_CATALOG, "pg_settings", 0, columns("name", text, "setting", text, "unit", text, "category", text),
                state -> List.of(Row.of("max_index_keys", "32", null, "Preset Options"),
                        Row.of("server_version_num", "150000", null, "Preset Options"))));
        list.add(new SystemRelation(PG_CATALOG, "pg_inherits", 0,
                columns("inhrelid", integer, "inhparent", integer, "inhseqno", integer), state -> List.of()));
        list.add(new SystemRelation(PG_CATALOG, "pg_proc", 0,
                columns("oid", integer, "proname", text, "pronamespace", integer, "prorettype", integer), state -> List.of()));
        list.add(new SystemRelation(PG_CATALOG, "pg_tablespace", 0, columns("oid", integer, "spcname", text), state -> List.of(Row.of(1663, "pg_default"))));
        list.add(new SystemRelation(PG_CATALOG, "pg_collation", 0, columns("oid", integer, "collname", text), state -> List.of()));
        list.add(new SystemRelation(PG_CATALOG, "pg_extension", 0, columns("oid", integer, "extname", text), state -> List.of()));
        list.add(new SystemRelation(PG_CATALOG, "pg_trigger", 0, columns("oid", integer, "tgrelid", integer, "tgname", text), state -> List.of()));
        list.add(new SystemRelation(PG_CATALOG, "pg_policy", 0, columns("oid", integer, "polrelid", integer, "polname", text), state -> List.of()));

        // information_schema
        list.add(new SystemRelation(INFORMATION_SCHEMA, "schemata", 0,
                columns("catalog_name", text, "schema_name", text, "schema_owner", text),
                state -> schemaNames().stream().map(schema -> Row.of(Catalog.DATABASE, schema, "materialize")).toList()));
        list.add(new SystemRelation(INFORMATION_SCHEMA, "tables", 0,
                columns("table_catalog", text, "table_schema", text, "table_name", text, "table_type", text),
                state -> state.catalog().items(TableItem.class).stream()
                        .map(t -> Row.of(Catalog.DATABASE, Catalog.SCHEMA, t.name(), "BASE TABLE")).toList()));
        list.add(new SystemRelation(INFORMATION_SCHEMA, "columns", 0,
                columns("table_catalog", text, "table_schema", text, "table_name", text, "column_name", text, "ordinal_position", integer,
                        "column_default", text, "is_nullable", text, "data_type", text, "character_maximum_length", integer, "numeric_precision",
                        integer, "numeric_scale", integer, "datetime_precision", integer),
                SystemCatalog::informationSchemaColumns));
        return list;
    }

    private static List<Row> sinkStatuses(SystemState state) {
        Map<String, SinkObservations.StatusEvent> latest = new HashMap<>();
        for (SinkObservations.StatusEvent event : state.sinks().statusHistory()) {
            latest.put(event.sinkId(), event);
        }
        List<Row> rows = new ArrayList<>();
        for (SinkItem sink : state.catalog().items(SinkItem.class)) {
            SinkObservations.StatusEvent event = latest.get(sink.id());
            if (event == null) {
                rows.add(Row.of(sink.id(), sink.name(), "kafka", null, "created", null, null));
                continue;
            }
            Instant at = event.occurredAt();
            rows.add(Row.of(sink.id(), sink.name(), "kafka", at, event.status(), event.error().orElse(null),
                    event.detailsJson().map(JsonbText::canonicalize).orElse(null)));
        }
        return rows;
    }

    private static List<Row> pgClass(SystemState state) {
        List<Row> rows = new ArrayList<>();
        for (CatalogItem item : state.catalog().items()) {
            String kind = switch (item.type()) {
                case TABLE -> "r";
                default -> null;
            };
            if (kind == null) {
                continue;
            }
            TableItem table = (TableItem) item;
            rows.add(Row.of(oid(item), item.name(), 2200, 0, 10, 2, -1f, false, "p", kind, (short) table.desc().arity(), (short) 0, false,
                    false, false, false, false, false, 0, null, null, null, 0, false, 0, "d"));
        }
        return rows;
    }

    private static List<Row> pgAttribute(SystemState state) {
        List<Row> rows = new ArrayList<>();
        for (TableItem table : state.catalog().items(TableItem.class)) {
            for (int i = 0; i < table.desc().arity(); i++) {
                Column column = table.desc().column(i);
                rows.add(Row.of(oid(table), column.name(), column.type().oid(), (short) PgTypes.typeLength(column.type()), (short) (i + 1),
                        PgTypes.typeModifier(column.type()), !column.nullable(), table.defaults().get(i).isPresent(), false, "", "", 0,
                        (short) (column.type().kind() == TypeKind.ARRAY ? 1 : 0)));
            }
        }
        return rows;
    }

    private static List<Row> informationSchemaColumns(SystemState state) {
        List<Row> rows = new ArrayList<>();
        for (TableItem table : state.catalog().items(TableItem.class)) {
            for (int i = 0; i < table.desc().arity(); i++) {
                Column column = table.desc().column(i);
                SqlType type = column.type();
                Integer length = (type.kind() == TypeKind.VARCHAR || type.kind() == TypeKind.CHAR) && type.hasPrecision() ? type.precision() : null;
                Integer precision = type.kind() == TypeKind.NUMERIC && type.hasPrecision() ? type.precision() : null;
                Integer scale = type.kind() == TypeKind.NUMERIC && type.hasScale() ? type.scale() : null;
                Integer datetimePrecision = switch (type.kind()) {
                    case TIME, TIMESTAMP, TIMESTAMPTZ -> type.hasPrecision() ? type.precision() : 6;
                    default -> null;
                };
                String dataType = type.kind() == TypeKind.ARRAY ? "ARRAY" : type.displayName().replaceAll("\\(.*\\)", "");
                rows.add(Row.of(Catalog.DATABASE, Catalog.SCHEMA, table.name(), column.name(), i + 1, table.defaults().get(i).orElse(null),
                        column.nullable() ? "YES" : "NO", dataType, length, precision, scale, datetimePrecision));
            }
        }
        return rows;
    }

    private static List<Row> pgTypes() {
        List<Row> rows = new ArrayList<>();
        Object[][] types = {
            {PgTypes.BOOL, "bool", 1, "B"}, {PgTypes.BYTEA, "bytea", -1, "U"}, {PgTypes.INT8, "int8", 8, "N"}, {PgTypes.INT2, "int2", 2, "N"},
            {PgTypes.INT4, "int4", 4, "N"}, {PgTypes.TEXT, "text", -1, "S"}, {PgTypes.OID, "oid", 4, "N"}, {PgTypes.FLOAT4, "float4", 4, "N"},
            {PgTypes.FLOAT8, "float8", 8, "N"}, {PgTypes.BPCHAR, "bpchar", -1, "S"}, {PgTypes.VARCHAR, "varchar", -1, "S"},
            {PgTypes.DATE, "date", 4, "D"}, {PgTypes.TIME, "time", 8, "D"}, {PgTypes.TIMESTAMP, "timestamp", 8, "D"},
            {PgTypes.TIMESTAMPTZ, "timestamptz", 8, "D"}, {PgTypes.INTERVAL, "interval", 16, "T"}, {PgTypes.NUMERIC, "numeric", -1, "N"},
            {PgTypes.UUID, "uuid", 16, "U"}, {PgTypes.JSONB, "jsonb", -1, "U"}, {PgTypes.UINT2, "uint2", 2, "N"},
            {PgTypes.UINT4, "uint4", 4, "N"}, {PgTypes.UINT8, "uint8", 8, "N"}, {PgTypes.LIST, "list", -1, "U"}, {PgTypes.MAP, "map", -1, "U"},
        };
        for (Object[] type : types) {
            rows.add(Row.of(type[0], type[1], 11, 10, (short) (int) (Integer) type[2], "b", type[3], ",", 0, 0, 0, 0, -1, false,
                    type[1] + "in", type[1] + "recv", 0));
        }
        return rows;
    }

    /**
     * Renders a status row's details (§10.1): {@code {"hints":[…],"namespaced":{"kafka":"…"}}}, each
     * member only when present; the namespaced error is the status error without its {@code kafka: } prefix.
     */
    public static String detailsJson(List<String> hints, Optional<String> kafkaError) {
        var node = MAPPER.createObjectNode();
        if (!hints.isEmpty()) {
            var array = node.putArray("hints");
            hints.forEach(array::add);
        }
        kafkaError.ifPresent(error -> node.putObject("namespaced").put("kafka", error));
        return node.toString();
    }
}
