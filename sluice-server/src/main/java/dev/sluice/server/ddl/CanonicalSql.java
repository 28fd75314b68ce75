package dev.sluice.server.ddl;

import dev.sluice.common.type.Column;
import dev.sluice.common.type.RelationDesc;
import dev.sluice.server.catalog.Catalog;
import dev.sluice.server.catalog.CatalogItem;
import dev.sluice.server.catalog.ConnectionItem;
import dev.sluice.server.catalog.SinkItem;
import dev.sluice.server.catalog.TableItem;
import dev.sluice.sql.ast.OptionValue;
import dev.sluice.sql.ast.QualifiedName;
import dev.sluice.sql.ast.SqlOption;
import dev.sluice.sql.ast.Statement;
import dev.sluice.sql.parser.StatementParser;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The canonical SQL of a catalog item, as {@code SHOW CREATE} and the {@code create_sql} columns show
 * it (reference §10.3): every name fully qualified and quoted, the sink's cluster named, options as
 * {@code NAME = value}, {@code IF NOT EXISTS} gone; defaults are not filled in. The catalog keeps a
 * sink's or connection's statement as it was accepted (a sink's with the comment documentation of
 * §2.4.1 item 12 added) and plans from that on every start; this form is derived from it for
 * display only, and parses back to the same item. A table's is derived from its columns.
 */
public final class CanonicalSql {
    private static final String CLUSTER = "quickstart";

    private CanonicalSql() {
    }

    /** What {@code SHOW CREATE} shows for {@code item}. */
    public static String of(CatalogItem item) {
        if (item instanceof SinkItem sink) {
            return sink(sink.name(), (Statement.CreateSink) StatementParser.parse(sink.createSql()));
        }
        if (item instanceof ConnectionItem connection) {
            return connection(connection.name(), (Statement.CreateConnection) StatementParser.parse(connection.createSql()));
        }
        if (item instanceof TableItem table) {
            return table(table.name(), table.desc(), table.defaults(), table.primaryKey());
        }
        // A secret's statement never holds its value.
        return item.createSql();
    }

    /** {@code CREATE TABLE "materialize"."public"."t" ("c" type [NOT NULL] [DEFAULT …], …, PRIMARY KEY ("k", …))}. */
    static String table(String name, RelationDesc desc, List<Optional<String>> defaults, List<Integer> primaryKey) {
        StringBuilder sql = new StringBuilder("CREATE TABLE ").append(object(new QualifiedName(List.of(name)))).append(" (");
        for (int i = 0; i < desc.arity(); i++) {
            Column column = desc.column(i);
            if (i > 0) {
                sql.append(", ");
            }
            sql.append(quoted(column.name())).append(' ').append(column.type().sqlName());
            if (!column.nullable()) {
                sql.append(" NOT NULL");
            }
            defaults.get(i).ifPresent(expression -> sql.append(" DEFAULT ").append(expression));
        }
        if (!primaryKey.isEmpty()) {
            sql.append(", PRIMARY KEY (").append(primaryKey.stream().map(index -> quoted(desc.column(index).name())).collect(Collectors.joining(", ")))
                    .append(')');
        }
        return sql.append(')').toString();
    }

    static String sink(String name, Statement.CreateSink statement) {
        StringBuilder sql = new StringBuilder("CREATE SINK ").append(object(new QualifiedName(List.of(name))))
                .append(" IN CLUSTER ").append(quoted(statement.inCluster().orElse(CLUSTER)))
                .append(" FROM ").append(object(statement.from()))
                .append(" INTO KAFKA CONNECTION ").append(object(statement.connection()));
        if (!statement.kafkaOptions().isEmpty()) {
            sql.append(' ').append(options(statement.kafkaOptions()));
        }
        statement.key().ifPresent(key -> {
            sql.append(" KEY (").append(key.columns().stream().map(CanonicalSql::quoted).collect(Collectors.joining(", "))).append(')');
            if (key.notEnforced()) {
                sql.append(" NOT ENFORCED");
            }
        });
        statement.headers().ifPresent(headers -> sql.append(" HEADERS ").append(quoted(headers)));
        statement.format().ifPresent(format -> sql.append(" FORMAT ").append(format(format)));
        if (statement.keyFormat().isPresent()) {
            sql.append(" KEY FORMAT ").append(format(statement.keyFormat().get())).append(" VALUE FORMAT ").append(format(statement.valueFormat().orElseThrow()));
        }
        statement.envelope().ifPresent(envelope -> sql.append(" ENVELOPE ").append(envelope));
        statement.mode().ifPresent(mode -> sql.append(" MODE ").append(mode));
        if (!statement.withOptions().isEmpty()) {
            sql.append(" WITH ").append(options(statement.withOptions()));
        }
        return sql.toString();
    }

    static String connection(String name, Statement.CreateConnection statement) {
        StringBuilder sql = new StringBuilder("CREATE CONNECTION ").append(object(new QualifiedName(List.of(name))))
                .append(" TO ").append(statement.connectionType()).append(' ').append(options(statement.options()));
        if (!statement.withOptions().isEmpty()) {
            sql.append(" WITH ").append(options(statement.withOptions()));
        }
        return sql.toString();
    }

    private static String format(Statement.Format format) {
        StringBuilder sql = new StringBuilder(format.name());
        format.registryConnection().ifPresent(connection -> sql.append(" USING CONFLUENT SCHEMA REGISTRY CONNECTION ").append(object(connection)));
        if (!format.options().isEmpty()) {
            sql.append(' ').append(options(format.options()));
        }
        return sql.toString();
    }

    private static String options(List<SqlOption> options) {
        return options.stream().map(CanonicalSql::option).collect(Collectors.joining(", ", "(", ")"));
    }

    private static String option(SqlOption option) {
        if (option.name().endsWith("DOC ON TYPE") || option.name().endsWith("DOC ON COLUMN")) {
            // DOC ON TYPE <relation> = 'text', DOC ON COLUMN <relation>.<column> = 'text': the target qualified like any name.
            OptionValue.Qualified doc = (OptionValue.Qualified) option.value();
            List<String> target = doc.words();
            String qualified = option.name().endsWith("DOC ON TYPE") ? object(new QualifiedName(target))
                    : object(new QualifiedName(target.subList(0, target.size() - 1))) + "." + quoted(target.get(target.size() - 1));
            return option.name() + " " + qualified + (doc.value() instanceof OptionValue.Absent ? "" : " = " + value(doc.value()));
        }
        return option.value() instanceof OptionValue.Absent ? option.name() : option.name() + " = " + value(option.value());
    }

    private static String value(OptionValue value) {
        if (value instanceof OptionValue.Text text) {
            return literal(text.value());
        } else if (value instanceof OptionValue.Number number) {
            return number.value();
        } else if (value instanceof OptionValue.Bool bool) {
            return Boolean.toString(bool.value());
        } else if (value instanceof OptionValue.Secret secret) {
            return "SECRET " + object(secret.name());
        } else if (value instanceof OptionValue.Name word) {
            return word.name().parts().stream().map(Catalog::quoteIdentifier).collect(Collectors.joining("."));
        } else if (value instanceof OptionValue.Sequence sequence) {
            return sequence.values().stream().map(CanonicalSql::value).collect(Collectors.joining(", ", "(", ")"));
        } else if (value instanceof OptionValue.MapValue map) {
            return map.entries().stream().map(CanonicalSql::entry).collect(Collectors.joining(", ", "MAP[", "]"));
        } else if (value instanceof OptionValue.Expression expression) {
            return expression.fragment().text().strip();
        } else if (value instanceof OptionValue.Qualified qualified) {
            // Trailing words (USING SSH TUNNEL …) are refused when the object is created, so a stored item has none.
            return value(qualified.value()) + " " + String.join(" ", qualified.words());
        }
        throw new IllegalStateException("internal error: no canonical form for option value " + value);
    }

    private static String entry(Map.Entry<String, OptionValue> entry) {
        return literal(entry.getKey()) + " => " + value(entry.getValue());
    }

    /** {@code name} resolved in Sluice's one database and schema: {@code "materialize"."public"."name"}. */
    private static String object(QualifiedName name) {
        List<String> parts = name.parts();
        Optional<String> database = parts.size() >= 3 ? Optional.of(parts.get(parts.size() - 3)) : Optional.empty();
        Optional<String> schema = parts.size() >= 2 ? Optional.of(parts.get(parts.size() - 2)) : Optional.empty();
        return quoted(database.orElse(Catalog.DATABASE)) + "." + quoted(schema.orElse(Catalog.SCHEMA)) + "." + quoted(parts.get(parts.size() - 1));
    }

    private static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
