package dev.sluice.server.ddl;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.Notice;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.Column;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.type.TypeKind;
import dev.sluice.common.value.codec.PgBinary;
import dev.sluice.server.catalog.Catalog;
import dev.sluice.server.catalog.CatalogItem;
import dev.sluice.server.catalog.ConnectionDetails;
import dev.sluice.server.catalog.ConnectionItem;
import dev.sluice.server.catalog.SinkItem;
import dev.sluice.server.catalog.SinkPlan;
import dev.sluice.server.catalog.TableItem;
import dev.sluice.server.system.SystemCatalog;
import dev.sluice.sql.ast.OptionValue;
import dev.sluice.sql.ast.SqlOption;
import dev.sluice.sql.ast.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code CREATE SINK … INTO KAFKA}: every validation rule of reference §2.4.1 in its planning order, with its messages. */
public final class CreateSinkTask {
    private static final Set<String> COMPRESSION_TYPES = Set.of("none", "gzip", "snappy", "lz4", "zstd");
    /** Types with an assignment cast to uint8 (PARTITION BY's result, §6.2). */
    private static final Set<TypeKind> ASSIGNABLE_TO_UINT8 = Set.of(TypeKind.SMALLINT, TypeKind.INTEGER, TypeKind.BIGINT, TypeKind.UINT2, TypeKind.UINT4,
            TypeKind.UINT8, TypeKind.NUMERIC, TypeKind.REAL, TypeKind.DOUBLE);
    private static final String KEY_HINT = "See: https://materialize.com/s/sink-key-selection";

    private CreateSinkTask() {
    }

    /** The validated plan and the ids it depends on. */
    public record Planned(String name, TableItem from, ConnectionItem connection, SinkPlan plan) {
    }

    public static Planned plan(Catalog catalog, Statement.CreateSink statement, DdlContext context) {
        String name = statement.name().map(qualified -> {
            Names.checkSchema(qualified);
            return qualified.last();
        }).orElseThrow(() -> new SluiceException(ErrorCode.SYNTAX_ERROR, "unspecified name for sink"));
        statement.inCluster().ifPresent(cluster -> {
            if (!cluster.equals("quickstart")) {
                throw SluiceException.of(ErrorCode.UNDEFINED_OBJECT, "unknown cluster '%s'", cluster).withHint("Sluice has one cluster, quickstart.");
            }
        });
        // 1. Envelope.
        if (statement.mode().isPresent()) {
            throw new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED, "MODE is not supported for Kafka sinks, use ENVELOPE instead");
        }
        SinkPlan.Envelope envelope = switch (statement.envelope().orElseThrow(() -> new SluiceException(ErrorCode.SYNTAX_ERROR,
                "ENVELOPE clause is required"))) {
            case "UPSERT" -> SinkPlan.Envelope.UPSERT;
            case "DEBEZIUM" -> SinkPlan.Envelope.DEBEZIUM;
            default -> throw SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED, "ENVELOPE %s is not supported for Kafka sinks",
                    statement.envelope().get());
        };
        // 2. FROM.
        List<String> fromParts = statement.from().parts();
        if (fromParts.size() >= 2 && SystemCatalog.SYSTEM_SCHEMAS.contains(fromParts.get(fromParts.size() - 2))) {
            throw new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED, "creating a sink directly on a catalog object not yet supported");
        }
        CatalogItem fromItem = catalog.lookup(fromParts).orElseThrow(() -> SluiceException.of(ErrorCode.UNDEFINED_TABLE,
                "unknown catalog item '%s'", statement.from()));
        if (!(fromItem instanceof TableItem from)) {
            throw SluiceException.of(ErrorCode.WRONG_OBJECT_TYPE, "%s %s cannot be exported as a sink", fromItem.type().word(), fromItem.qualifiedName());
        }
        List<Column> columns = from.desc().columns();
        // 3. KEY.
        Optional<List<Integer>> key = Optional.empty();
        if (statement.key().isPresent()) {
            List<Integer> indexes = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (String column : statement.key().get().columns()) {
                if (!seen.add(column)) {
                    throw SluiceException.of(ErrorCode.DUPLICATE_COLUMN, "duplicate column referenced in KEY: %s", column);
                }
                indexes.add(from.desc().indexOf(column).orElseThrow(() -> SluiceException.of(ErrorCode.UNDEFINED_COLUMN,
                        "column referenced in KEY does not exist: %s", column)));
            }
            key = Optional.of(indexes);
        }
        // 4. Key uniqueness for UPSERT.
        boolean notEnforced = statement.key().map(Statement.SinkKey::notEnforced).orElse(false);
        if (envelope == SinkPlan.Envelope.UPSERT && key.isPresent()) {
            List<Integer> chosen = key.get();
            boolean unique = from.desc().uniqueKeys().stream().anyMatch(chosen::containsAll);
            if (!unique) {
                String keyText = chosen.stream().map(index -> "\"" + columns.get(index).name() + "\"").collect(Collectors.joining(", "));
                if (!notEnforced) {
                    String known = from.desc().uniqueKeys().isEmpty() ? "There are no known valid unique keys for the underlying relation."
                            : "The following keys are known to be unique for the underlying relation:\n" + from.desc().uniqueKeys().stream()
                                    .map(k -> "  (" + k.stream().map(index -> "\"" + columns.get(index).name() + "\"").collect(Collectors.joining(", "))
                                            + ")").collect(Collectors.joining("\n"));
                    throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "upsert key could not be validated as unique")
                            .withDetail("Materialize could not prove that the specified upsert envelope key (" + keyText
                                    + ") was a unique key of the underlying relation \"" + from.qualifiedName() + "\". " + known)
                            .withHint(KEY_HINT);
                }
                context.notices().accept(Notice.notice("upsert key not validated to be unique",
                        "Materialize will not enforce uniqueness of key (" + keyText + "). Multiple updates with the same key at the same time "
                                + "may be produced, and consumers may see inconsistent output."));
            }
        }
        // 5. HEADERS.
        Optional<Integer> headers = Optional.empty();
        if (statement.headers().isPresent()) {
            String column = statement.headers().get();
            if (envelope == SinkPlan.Envelope.DEBEZIUM) {
                throw new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED, "HEADERS option is not supported with ENVELOPE DEBEZIUM");
            }
            int index = from.desc().indexOf(column).orElseThrow(() -> SluiceException.of(ErrorCode.UNDEFINED_COLUMN,
                    "HEADERS column (%s) is unknown", column));
            SqlType type = columns.get(index).type();
            if (type.kind() != TypeKind.MAP || (type.elementType().kind() != TypeKind.TEXT && type.elementType().kind() != TypeKind.BYTEA)) {
                throw new SluiceException(ErrorCode.DATATYPE_MISMATCH, "HEADERS column must have type map[text => text] or map[text => bytea]");
            }
            headers = Optional.of(index);
        }
        // 6. UPSERT needs a KEY.
        if (envelope == SinkPlan.Envelope.UPSERT && key.isEmpty()) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "upsert sinks must specify a key").withHint(KEY_HINT);
        }
        // 7. WITH options.
        boolean snapshot = true;
        for (SqlOption option : statement.withOptions()) {
            switch (option.name()) {
                case "SNAPSHOT" -> snapshot = bool(option, "SNAPSHOT");
                case "COMMIT INTERVAL" -> throw new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED, "COMMIT INTERVAL option is not supported with KAFKA sinks");
                default -> throw SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED, "CREATE SINK...WITH (%s..) is not allowed", option.name());
            }
        }
        // 8. Connection.
        CatalogItem connectionItem = catalog.lookup(statement.connection().parts()).orElseThrow(() -> SluiceException.of(ErrorCode.UNDEFINED_OBJECT,
                "unknown catalog item '%s'", statement.connection()));
        if (!(connectionItem instanceof ConnectionItem connection) || !(connection.details() instanceof ConnectionDetails.Kafka)) {
            throw SluiceException.of(ErrorCode.WRONG_OBJECT_TYPE, "%s is not a kafka connection", connectionItem.qualifiedName());
        }
        // 9. Kafka options.
        Map<String, SqlOption> options = new LinkedHashMap<>();
        for (SqlOption option : statement.kafkaOptions()) {
            if (options.put(option.name(), option) != null) {
                throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "%s specified more than once", option.name());
            }
        }
        if (options.containsKey("LEGACY IDS")) {
            throw new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED, "LEGACY IDs option is not supported");
        }
        String topic = Optional.ofNullable(options.get("TOPIC")).map(option -> CreateConnectionTask.text(option.value(), "TOPIC"))
                .orElseThrow(() -> new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "KAFKA CONNECTION must specify TOPIC"));
        String compression = "lz4";
        if (options.containsKey("COMPRESSION TYPE")) {
            OptionValue value = options.get("COMPRESSION TYPE").value();
            if (!(value instanceof OptionValue.Text) && !(value instanceof OptionValue.Name)) {
                throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "compression type must be a string");
            }
            String given = CreateConnectionTask.text(value, "COMPRESSION TYPE");
            compression = given.toLowerCase(Locale.ROOT);
            if (!COMPRESSION_TYPES.contains(compression)) {
                throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "invalid COMPRESSION TYPE: %s", given);
            }
        }
        Optional<Integer> partitionCount = positive(options, "TOPIC PARTITION COUNT");
        Optional<Integer> replicationFactor = positive(options, "TOPIC REPLICATION FACTOR");
        Map<String, String> topicConfig = new LinkedHashMap<>();
        if (options.containsKey("TOPIC CONFIG")) {
            if (!(options.get("TOPIC CONFIG").value() instanceof OptionValue.MapValue map)) {
                throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "invalid TOPIC CONFIG: cannot use value as map");
            }
            for (Map.Entry<String, OptionValue> entry : map.entries()) {
                if (!(entry.getValue() instanceof OptionValue.Text text)) {
                    throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "invalid TOPIC CONFIG: cannot use value as string");
                }
                topicConfig.put(entry.getKey(), text.value());
            }
        }
        Duration refresh = Duration.ofSeconds(30);
        if (options.containsKey("TOPIC METADATA REFRESH INTERVAL")) {
            refresh = interval(CreateConnectionTask.text(options.get("TOPIC METADATA REFRESH INTERVAL").value(), "TOPIC METADATA REFRESH INTERVAL"));
            if (refresh.compareTo(Duration.ofHours(1)) > 0) {
                throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "TOPIC METADATA REFRESH INTERVAL cannot be greater than 1 hour");
            }
        }
        String transactionalPrefix = options.containsKey("TRANSACTIONAL ID PREFIX")
                ? CreateConnectionTask.text(options.get("TRANSACTIONAL ID PREFIX").value(), "TRANSACTIONAL ID PREFIX") : "";
        String groupPrefix = options.containsKey("PROGRESS GROUP ID PREFIX")
                ? CreateConnectionTask.text(options.get("PROGRESS GROUP ID PREFIX").value(), "PROGRESS GROUP ID PREFIX") : "";
        // 10. PARTITION BY.
        Optional<String> partitionBy = Optional.empty();
        if (options.containsKey("PARTITION BY")) {
            String expression = ((OptionValue.Expression) options.get("PARTITION BY").value()).fragment().text();
            List<Column> visible = envelope == SinkPlan.Envelope.DEBEZIUM
                    ? key.map(indexes -> indexes.stream().map(columns::get).toList()).orElse(List.of()) : columns;
            try {
                SqlType type = context.engine().compileExpression(expression, visible, Optional.empty()).type();
                if (!ASSIGNABLE_TO_UINT8.contains(type.kind())) {
                    throw SluiceException.of(ErrorCode.DATATYPE_MISMATCH, "PARTITION BY does not support casting from %s to uint8", type.displayName());
                }
                context.engine().compileExpression(expression, visible, Optional.of(SqlType.UINT8));
            } catch (SluiceException e) {
                if (envelope == SinkPlan.Envelope.DEBEZIUM && e.code() == ErrorCode.UNDEFINED_COLUMN) {
                    String column = e.getMessage().replaceAll(".*\"(.*)\".*", "$1");
                    if (from.desc().indexOf(column).isPresent()) {
                        throw SluiceException.of(ErrorCode.INVALID_COLUMN_REFERENCE, "PARTITION BY expression cannot refer to non-key column \"%s\"", column)
                                .withDetail("When using ENVELOPE DEBEZIUM, only columns in the key can be referenced in the PARTITION BY expression.");
                    }
                }
                throw e;
            }
            partitionBy = Optional.of(expression);
        }
        // 11. FORMAT.
        Statement.Format valueFormat = statement.format().or(statement::valueFormat)
                .orElseThrow(() -> new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED, "sink without format not yet supported"));
        Optional<Statement.Format> keyFormat = key.isPresent() ? statement.format().or(statement::keyFormat) : Optional.empty();
        SinkPlan.Format value = format(valueFormat, columns);
        List<Column> keyColumns = key.map(indexes -> indexes.stream().map(columns::get).toList()).orElse(List.of());
        Optional<SinkPlan.Format> keyPlan = keyFormat.map(f -> format(f, keyColumns));
        boolean debezium = envelope == SinkPlan.Envelope.DEBEZIUM;
        Optional<SinkPlan.AvroPlan> valueAvro = value == SinkPlan.Format.AVRO
                ? Optional.of(SinkAvroFormat.plan(catalog, valueFormat, key.isPresent()).valuePlan(from, debezium)) : Optional.empty();
        Optional<SinkPlan.AvroPlan> keyAvro = keyPlan.filter(f -> f == SinkPlan.Format.AVRO)
                .map(f -> SinkAvroFormat.plan(catalog, keyFormat.get(), true).keyPlan(from, keyColumns));
        SinkPlan plan = new SinkPlan(topic, compression, transactionalPrefix, groupPrefix, partitionCount, replicationFactor, topicConfig, refresh,
                partitionBy, key, notEnforced, headers, keyPlan, value, envelope, snapshot, keyAvro, valueAvro);
        return new Planned(name, from, connection, plan);
    }

    private static SinkPlan.Format format(Statement.Format format, List<Column> columns) {
        switch (format.name()) {
            case "JSON":
                return SinkPlan.Format.JSON;
            case "JSON ARRAY":
                throw new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED, "JSON ARRAY format in sinks not yet supported");
            case "TEXT":
            case "BYTES":
                if (columns.size() != 1) {
                    throw new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED, "BYTES or TEXT format with multiple columns not yet supported");
                }
                if (format.name().equals("BYTES") && !PgBinary.isEncodable(columns.get(0).type())) {
                    throw SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED, "BYTES format with non-encodable type: %s not yet supported",
                            columns.get(0).type().displayName());
                }
                return format.name().equals("TEXT") ? SinkPlan.Format.TEXT : SinkPlan.Format.BYTES;
            case "AVRO":
                // Its connection and options are planned by SinkAvroFormat once the key is known.
                return SinkPlan.Format.AVRO;
            default:
                throw SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED, "sink format %s not yet supported", format.name());
        }
    }

    private static Optional<Integer> positive(Map<String, SqlOption> options, String name) {
        if (!options.containsKey(name)) {
            return Optional.empty();
        }
        int value = CreateConnectionTask.integer(options.get(name).value(), name);
        if (value <= 0) {
            throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "%s must be a positive integer", name);
        }
        return Optional.of(value);
    }

    private static boolean bool(SqlOption option, String name) {
        if (option.value() instanceof OptionValue.Absent) {
            return true;
        }
        if (option.value() instanceof OptionValue.Bool bool) {
            return bool.value();
        }
        throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "invalid %s option value: cannot use value as boolean", name);
    }

    private static Duration interval(String text) {
        dev.sluice.common.value.Interval interval = (dev.sluice.common.value.Interval) dev.sluice.common.value.codec.PgText.parse(SqlType.INTERVAL, text);
        return Duration.ofDays(interval.months() * 30L + interval.days()).plusNanos(interval.micros() * 1000);
    }

    /**
     * The statement as the catalog stores it: {@code COMMENT ON} texts of the relation added to its
     * Avro format clauses as {@code DOC ON} options (reference §2.4.1 item 12).
     */
    public static Statement.CreateSink withCommentDocs(Catalog catalog, Statement.CreateSink statement) {
        String sql = SinkComments.inject(catalog, statement);
        return sql.equals(statement.sql()) ? statement : (Statement.CreateSink) dev.sluice.sql.parser.StatementParser.parse(sql);
    }

    /** The stored form of a sink: its statement plus as_of and version. */
    public static SinkItem item(String id, Planned planned, long asOf, long version, String createSql) {
        return new SinkItem(id, planned.name(), planned.from().id(), planned.connection().id(), planned.plan().registryConnectionIds(), planned.plan(),
                asOf, version, createSql);
    }
}
