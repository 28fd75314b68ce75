package dev.sluice.sql.ast;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.type.SqlType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Every statement Sluice understands. Embedded queries and expressions are kept as {@link SqlFragment}s. */
public sealed interface Statement {
    /** The original text of the whole statement. */
    String sql();

    /** A column of CREATE TABLE. */
    record ColumnDefinition(String name, SqlType type, boolean notNull, Optional<SqlFragment> defaultValue, boolean primaryKey, int position) {
        public ColumnDefinition {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
            requireNonNull(defaultValue, "defaultValue is null");
        }
    }

    record CreateTable(String sql, boolean ifNotExists, QualifiedName name, List<ColumnDefinition> columns, List<String> primaryKey)
            implements Statement {
        public CreateTable {
            columns = List.copyOf(columns);
            primaryKey = List.copyOf(primaryKey);
        }
    }

    /** Kinds of objects named by DROP, SHOW CREATE and COMMENT. */
    enum ObjectKind { TABLE, SECRET, CONNECTION, SINK, VIEW, MATERIALIZED_VIEW, SOURCE, INDEX, SCHEMA, DATABASE, CLUSTER, TYPE, ROLE, COLUMN }

    record Drop(String sql, ObjectKind kind, boolean ifExists, List<QualifiedName> names, boolean cascade) implements Statement {
        public Drop {
            names = List.copyOf(names);
        }
    }

    /** One cell of an INSERT's VALUES row: an expression, or empty for DEFAULT. */
    record InsertValues(List<List<Optional<SqlFragment>>> rows) {
        public InsertValues {
            List<List<Optional<SqlFragment>>> copy = new ArrayList<>();
            rows.forEach(row -> copy.add(List.copyOf(row)));
            rows = Collections.unmodifiableList(copy);
        }
    }

    record Insert(String sql, QualifiedName table, List<String> columns, Optional<InsertValues> values, Optional<SqlFragment> query,
            Optional<SqlFragment> returning) implements Statement {
        public Insert {
            columns = List.copyOf(columns);
        }

        public boolean defaultValues() {
            return values.isEmpty() && query.isEmpty();
        }
    }

    record Assignment(String column, SqlFragment value) {
    }

    record Update(String sql, QualifiedName table, Optional<String> alias, List<Assignment> assignments, Optional<SqlFragment> where)
            implements Statement {
        public Update {
            assignments = List.copyOf(assignments);
        }
    }

    record Delete(String sql, QualifiedName table, Optional<String> alias, Optional<SqlFragment> where) implements Statement {
    }

    record Query(String sql, SqlFragment query) implements Statement {
    }

    record StartTransaction(String sql) implements Statement {
    }

    record Commit(String sql) implements Statement {
    }

    record Rollback(String sql) implements Statement {
    }

    /** {@code SET [SESSION|LOCAL] name {=|TO} value[, …] | DEFAULT}; values empty means DEFAULT. */
    record SetVariable(String sql, String name, boolean local, List<String> values) implements Statement {
        public SetVariable {
            values = List.copyOf(values);
        }
    }

    record ResetVariable(String sql, Optional<String> name) implements Statement {
    }

    record ShowVariable(String sql, String name) implements Statement {
    }

    /** What {@code SHOW …} lists. */
    enum ShowKind { TABLES, SECRETS, CONNECTIONS, SINKS, SCHEMAS, DATABASES, CLUSTERS, COLUMNS, SOURCES, VIEWS, MATERIALIZED_VIEWS, INDEXES }

    record Show(String sql, ShowKind kind, Optional<QualifiedName> from, Optional<String> like, Optional<SqlFragment> where) implements Statement {
    }

    record ShowCreate(String sql, ObjectKind kind, QualifiedName name) implements Statement {
    }

    record CreateSecret(String sql, boolean ifNotExists, QualifiedName name, SqlFragment value) implements Statement {
    }

    record AlterSecret(String sql, boolean ifExists, QualifiedName name, SqlFragment value) implements Statement {
    }

    /** {@code CREATE CONNECTION}: {@code connectionType} as written, upper case ({@code KAFKA}, {@code CONFLUENT SCHEMA REGISTRY}, …). */
    record CreateConnection(String sql, boolean ifNotExists, QualifiedName name, String connectionType, List<SqlOption> options,
            List<SqlOption> withOptions) implements Statement {
        public CreateConnection {
            options = List.copyOf(options);
            withOptions = List.copyOf(withOptions);
        }
    }

    /** A format: {@code JSON}, {@code TEXT}, {@code BYTES}, {@code AVRO USING CONFLUENT SCHEMA REGISTRY CONNECTION c (…)}, …. */
    record Format(String name, Optional<QualifiedName> registryConnection, List<SqlOption> options, int position) {
        public Format {
            options = List.copyOf(options);
        }
    }

    record SinkKey(List<String> columns, boolean notEnforced, int position) {
        public SinkKey {
            columns = List.copyOf(columns);
        }
    }

    record CreateSink(String sql, boolean ifNotExists, Optional<QualifiedName> name, Optional<String> inCluster, QualifiedName from,
            QualifiedName connection, List<SqlOption> kafkaOptions, Optional<SinkKey> key, Optional<String> headers,
            Optional<Format> format, Optional<Format> keyFormat, Optional<Format> valueFormat, Optional<String> envelope,
            Optional<String> mode, List<SqlOption> withOptions) implements Statement {
        public CreateSink {
            kafkaOptions = List.copyOf(kafkaOptions);
            withOptions = List.copyOf(withOptions);
        }
    }

    record CommentOn(String sql, ObjectKind kind, QualifiedName target, Optional<String> comment) implements Statement {
    }

    record Discard(String sql) implements Statement {
    }

    record Deallocate(String sql, Optional<String> name) implements Statement {
    }

    /** {@code COPY table [(column, …)] FROM STDIN [[WITH] (option [value], …)]}; options by upper-case name. */
    record CopyFrom(String sql, QualifiedName table, List<String> columns, List<SqlOption> options) implements Statement {
        public CopyFrom {
            columns = List.copyOf(columns);
            options = List.copyOf(options);
        }
    }

    /** {@code COPY table [(column, …)] TO STDOUT …} or {@code COPY (query) TO STDOUT …}: exactly one of table and query. */
    record CopyTo(String sql, Optional<QualifiedName> table, List<String> columns, Optional<SqlFragment> query, List<SqlOption> options)
            implements Statement {
        public CopyTo {
            columns = List.copyOf(columns);
            options = List.copyOf(options);
        }
    }

    /** Statements recognised only to refuse them with a clear message (e.g. CREATE VIEW before materialized views exist). */
    record Unsupported(String sql, String feature) implements Statement {
    }

    /** Empty statement text (only comments/whitespace). */
    record Empty(String sql) implements Statement {
    }
}
