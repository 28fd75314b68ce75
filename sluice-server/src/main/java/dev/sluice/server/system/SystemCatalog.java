package dev.sluice.server.system;

import static dev.sluice.server.system.SystemRelation.columns;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.common.type.Column;
import dev.sluice.common.type.PgTypes;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.value.codec.JsonbText;
import dev.sluice.common.value.Row;
import dev.sluice.server.catalog.Catalog;
import dev.sluice.server.catalog.CatalogItem;
import dev.sluice.server.catalog.ConnectionDetails;
import dev.sluice.server.catalog.ConnectionItem;
import dev.sluice.server.catalog.SecretItem;
import dev.sluice.server.catalog.SinkItem;
import dev.sluice.server.catalog.TableItem;
import dev.sluice.server.ddl.CanonicalSql;
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

    static final int DATABASE_OID = 20_000;
    static final Map<String, Integer> SCHEMA_OIDS = Map.of(
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

    /** What {@code pg_get_indexdef} and {@code pg_get_constraintdef} read, for queries over {@code catalog}. */
    public static dev.sluice.sql.query.CatalogFunctions functions(Catalog catalog) {
        return PgCatalogRelations.functions(catalog);
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
                        .map(t -> {
                            String createSql = CanonicalSql.of(t);
                            return Row.of(t.id(), oid(t), "u1", t.name(), "u1", createSql, createSql);
                        }).toList()));
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
                        .map(c -> {
                            String createSql = CanonicalSql.of(c);
                            return Row.of(c.id(), oid(c), "u1", c.name(), c.connectionType(), "u1", createSql, createSql);
                        }).toList()));
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
                        .map(s -> {
                            String createSql = CanonicalSql.of(s);
                            return Row.of(s.id(), oid(s), "u1", s.name(), "kafka", s.connectionId(), null, s.plan().envelope().word(),
                                    s.plan().combinedFormat(), s.plan().keyFormat().map(f -> f.word()).orElse(null), s.plan().valueFormat().word(), "u1",
                                    "u1", createSql, createSql);
                        })
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

        // pg_catalog and information_schema
        list.addAll(PgCatalogRelations.definitions());
        list.add(new SystemRelation(PG_CATALOG, "pg_description", 0,
                columns("objoid", integer, "classoid", integer, "objsubid", integer, "description", text),
                state -> state.catalog().comments().stream().flatMap(comment -> state.catalog().byId(comment.target().objectId()).stream()
                        .map(item -> Row.of(oid(item), PG_CLASS_OID, comment.target().column(), comment.text()))).toList()));
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
