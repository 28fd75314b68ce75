package dev.sluice.server.ddl;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.Column;
import dev.sluice.kafka.format.avro.AvroNames;
import dev.sluice.kafka.format.avro.AvroSchemaGenerator;
import dev.sluice.kafka.format.avro.AvroSchemaOptions;
import dev.sluice.server.catalog.Catalog;
import dev.sluice.server.catalog.CatalogItem;
import dev.sluice.server.catalog.ConnectionDetails;
import dev.sluice.server.catalog.ConnectionItem;
import dev.sluice.server.catalog.SinkPlan;
import dev.sluice.server.catalog.TableItem;
import dev.sluice.sql.ast.OptionValue;
import dev.sluice.sql.ast.QualifiedName;
import dev.sluice.sql.ast.SqlOption;
import dev.sluice.sql.ast.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code AVRO USING CONFLUENT SCHEMA REGISTRY CONNECTION c (…)} part of CREATE SINK (reference
 * §2.4.1 item 11): its connection and options validated with the reference's messages, and the
 * schemas generated from them (§9.2). Documentation precedence: {@code KEY|VALUE DOC ON …}, then
 * {@code DOC ON …} (which includes the {@code COMMENT ON} texts injected at CREATE, see
 * {@link SinkComments}).
 */
final class SinkAvroFormat {
    static final Set<String> COMPATIBILITY_LEVELS = Set.of("BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL",
            "FULL_TRANSITIVE", "NONE");

    /** Which encoded part a {@code DOC ON} option is for; {@code BOTH} when it has no KEY/VALUE prefix. */
    enum Part { KEY, VALUE, BOTH }

    /** A {@code [KEY|VALUE] DOC ON TYPE|COLUMN target = 'text'} option, its target resolved. */
    record Doc(Part part, String objectId, Optional<String> column, String text) {
    }

    private final ConnectionItem registry;
    private final Optional<String> keyFullName;
    private final Optional<String> valueFullName;
    private final boolean nullDefaults;
    private final List<Doc> docs;
    private final Optional<String> keyCompatibility;
    private final Optional<String> valueCompatibility;

    private SinkAvroFormat(ConnectionItem registry, Optional<String> keyFullName, Optional<String> valueFullName, boolean nullDefaults, List<Doc> docs,
            Optional<String> keyCompatibility, Optional<String> valueCompatibility) {
        this.registry = registry;
        this.keyFullName = keyFullName;
        this.valueFullName = valueFullName;
        this.nullDefaults = nullDefaults;
        this.docs = List.copyOf(docs);
        this.keyCompatibility = keyCompatibility;
        this.valueCompatibility = valueCompatibility;
    }

    /** Validates one Avro format clause; {@code hasKey} says whether the sink has a KEY. */
    static SinkAvroFormat plan(Catalog catalog, Statement.Format format, boolean hasKey) {
        QualifiedName connectionName = format.registryConnection().orElseThrow();
        CatalogItem item = catalog.lookup(connectionName.parts()).orElseThrow(() -> SluiceException.of(ErrorCode.UNDEFINED_OBJECT,
                "unknown catalog item '%s'", connectionName));
        if (!(item instanceof ConnectionItem connection) || !(connection.details() instanceof ConnectionDetails.SchemaRegistry)) {
            throw SluiceException.of(ErrorCode.WRONG_OBJECT_TYPE, "\"%s\" is not a schema registry connection", item.qualifiedName());
        }
        Map<String, SqlOption> single = new LinkedHashMap<>();
        List<SqlOption> docOptions = new ArrayList<>();
        for (SqlOption option : format.options()) {
            if (option.name().contains("DOC ON")) {
                docOptions.add(option);
            } else if (single.put(option.name(), option) != null) {
                throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "%s specified more than once", option.name());
            }
        }
        for (String sourceOnly : List.of("SEED", "KEY STRATEGY", "VALUE STRATEGY")) {
            if (single.containsKey(sourceOnly)) {
                throw SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED, "%s option does not make sense with sinks", sourceOnly);
            }
        }
        Optional<String> keyFullName = Optional.ofNullable(single.get("AVRO KEY FULLNAME")).map(option -> text(option));
        Optional<String> valueFullName = Optional.ofNullable(single.get("AVRO VALUE FULLNAME")).map(option -> text(option));
        if (!hasKey && keyFullName.isPresent()) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot specify AVRO KEY FULLNAME without a corresponding KEY field");
        }
        if (hasKey && keyFullName.isPresent() != valueFullName.isPresent()) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "Must specify both AVRO KEY FULLNAME and AVRO VALUE FULLNAME when specifying generated schema names");
        }
        for (Optional<String> fullName : List.of(keyFullName, valueFullName)) {
            fullName.flatMap(AvroNames::fullNameError).ifPresent(message -> {
                throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, message);
            });
        }
        boolean nullDefaults = false;
        if (single.containsKey("NULL DEFAULTS")) {
            OptionValue value = single.get("NULL DEFAULTS").value();
            if (value instanceof OptionValue.Absent) {
                nullDefaults = true;
            } else if (value instanceof OptionValue.Bool bool) {
                nullDefaults = bool.value();
            } else {
                throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "invalid NULL DEFAULTS option value: cannot use value as boolean");
            }
        }
        Optional<String> keyCompatibility = compatibility(single, "KEY COMPATIBILITY LEVEL");
        Optional<String> valueCompatibility = compatibility(single, "VALUE COMPATIBILITY LEVEL");
        List<Doc> docs = new ArrayList<>();
        for (SqlOption option : docOptions) {
            docs.add(doc(catalog, option));
        }
        return new SinkAvroFormat(connection, keyFullName, valueFullName, nullDefaults, docs, keyCompatibility, valueCompatibility);
    }

    private static String text(SqlOption option) {
        if (option.value() instanceof OptionValue.Text text) {
            return text.value();
        }
        throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "invalid %s option value: cannot use value as string", option.name());
    }

    private static Optional<String> compatibility(Map<String, SqlOption> options, String name) {
        if (!options.containsKey(name)) {
            return Optional.empty();
        }
        String level = text(options.get(name)).toUpperCase(Locale.ROOT);
        if (!COMPATIBILITY_LEVELS.contains(level)) {
            throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "invalid %s option value: invalid compatibility level: %s", name, level)
                    .withHint("One of BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE, NONE.");
        }
        return Optional.of(level);
    }

    private static Doc doc(Catalog catalog, SqlOption option) {
        Part part = option.name().startsWith("KEY ") ? Part.KEY : option.name().startsWith("VALUE ") ? Part.VALUE : Part.BOTH;
        boolean onColumn = option.name().endsWith("DOC ON COLUMN");
        OptionValue.Qualified qualified = (OptionValue.Qualified) option.value();
        List<String> target = qualified.words();
        if (onColumn && target.size() < 2) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "need to specify an object and a column");
        }
        List<String> objectParts = onColumn ? target.subList(0, target.size() - 1) : target;
        String objectName = String.join(".", objectParts);
        CatalogItem object = catalog.lookup(objectParts).orElseThrow(() -> SluiceException.of(ErrorCode.UNDEFINED_OBJECT,
                "unknown catalog item '%s'", objectName));
        Optional<String> column = Optional.empty();
        if (onColumn) {
            String columnName = target.get(target.size() - 1);
            if (!(object instanceof TableItem table) || table.desc().indexOf(columnName).isEmpty()) {
                throw SluiceException.of(ErrorCode.UNDEFINED_COLUMN, "column \"%s.%s\" does not exist", objectName, columnName);
            }
            column = Optional.of(columnName);
        }
        if (qualified.value() instanceof OptionValue.Absent) {
            throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "invalid %s option value: cannot be empty", option.name());
        }
        if (!(qualified.value() instanceof OptionValue.Text text)) {
            throw SluiceException.of(ErrorCode.INVALID_PARAMETER_VALUE, "invalid %s option value: cannot use value as string", option.name());
        }
        return new Doc(part, object.id(), column, text.value());
    }

    /** Whether an unprefixed {@code DOC ON} for this target was given (then no comment is injected for it). */
    static boolean hasCommonDoc(List<Doc> docs, String objectId, Optional<String> column) {
        return docs.stream().anyMatch(doc -> doc.part() == Part.BOTH && doc.objectId().equals(objectId) && doc.column().equals(column));
    }

    List<Doc> docs() {
        return docs;
    }

    /** The key's Avro plan: schema of the key columns (a record named {@code row} or the KEY FULLNAME). */
    SinkPlan.AvroPlan keyPlan(TableItem from, List<Column> keyColumns) {
        String schema = AvroSchemaGenerator.keySchema(keyColumns, options(from, keyColumns, keyFullName, Part.KEY));
        return new SinkPlan.AvroPlan(registry.id(), schema, keyCompatibility);
    }

    /** The value's Avro plan: all columns, as a plain record (UPSERT) or in the Debezium envelope. */
    SinkPlan.AvroPlan valuePlan(TableItem from, boolean debezium) {
        List<Column> columns = from.desc().columns();
        String schema = AvroSchemaGenerator.valueSchema(columns, options(from, columns, valueFullName, Part.VALUE), debezium);
        return new SinkPlan.AvroPlan(registry.id(), schema, valueCompatibility);
    }

    private AvroSchemaOptions options(TableItem from, List<Column> columns, Optional<String> fullName, Part part) {
        Optional<String> recordDoc = lookup(part, from.id(), Optional.empty());
        Map<String, String> fieldDocs = new LinkedHashMap<>();
        for (Column column : columns) {
            lookup(part, from.id(), Optional.of(column.name())).ifPresent(doc -> fieldDocs.put(column.name(), doc));
        }
        return new AvroSchemaOptions(fullName, nullDefaults, recordDoc, fieldDocs);
    }

    /** {@code KEY|VALUE DOC ON} first, then {@code DOC ON}; the last of equal options wins. */
    private Optional<String> lookup(Part part, String objectId, Optional<String> column) {
        Optional<String> common = Optional.empty();
        Optional<String> specific = Optional.empty();
        for (Doc doc : docs) {
            if (!doc.objectId().equals(objectId) || !doc.column().equals(column)) {
                continue;
            }
            if (doc.part() == part) {
                specific = Optional.of(doc.text());
            } else if (doc.part() == Part.BOTH) {
                common = Optional.of(doc.text());
            }
        }
        return specific.isPresent() ? specific : common;
    }
}
