package dev.sluice.server.session;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.Notice;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.Column;
import dev.sluice.common.type.PgTypes;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.value.Row;
import dev.sluice.common.value.codec.PgText;
import dev.sluice.pgwire.CopyReceiver;
import dev.sluice.pgwire.PgSession;
import dev.sluice.pgwire.PreparedStatement;
import dev.sluice.pgwire.ResultColumn;
import dev.sluice.pgwire.StatementResult;
import dev.sluice.pgwire.TransactionStatus;
import dev.sluice.server.catalog.Catalog;
import dev.sluice.server.catalog.CatalogItem;
import dev.sluice.server.catalog.ObjectType;
import dev.sluice.server.catalog.TableItem;
import dev.sluice.server.coordinator.Coordinator;
import dev.sluice.server.coordinator.PendingWrites;
import dev.sluice.server.ddl.CanonicalSql;
import dev.sluice.server.ddl.CommentTask;
import dev.sluice.server.ddl.CreateConnectionTask;
import dev.sluice.server.ddl.CreateTableTask;
import dev.sluice.server.ddl.DdlContext;
import dev.sluice.server.ddl.DropTask;
import dev.sluice.server.ddl.SecretTasks;
import dev.sluice.sql.ast.Statement;
import dev.sluice.sql.parser.StatementParser;
import dev.sluice.sql.query.PreparedQuery;
import dev.sluice.sql.query.QueryContext;
import dev.sluice.sql.query.QueryEngine;
import dev.sluice.storage.ReadPin;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One client's session: variables, its transaction, and the execution of each statement.
 * pgwire calls it from one thread at a time.
 */
public final class Session implements PgSession {
    private final Coordinator coordinator;
    private final SessionHooks hooks;
    private final String user;
    private final SessionVariables variables;
    private final QueryEngine engine;
    private final PendingWrites pending = new PendingWrites();
    private final Map<String, String> changedParameters = new LinkedHashMap<>();
    private TransactionState transaction = TransactionState.IDLE;
    private Optional<ReadPin> transactionPin = Optional.empty();
    private volatile boolean cancelled;

    /** What the server adds to sessions: sink management for CREATE/DROP SINK. */
    public interface SessionHooks {
        Coordinator.DdlResult createSink(Catalog catalog, Statement.CreateSink statement, DdlContext context);

        void sinkDropped(String sinkId);
    }

    public Session(Coordinator coordinator, SessionHooks hooks, String user, Map<String, String> startupParameters) {
        this.coordinator = requireNonNull(coordinator, "coordinator is null");
        this.hooks = requireNonNull(hooks, "hooks is null");
        this.user = requireNonNull(user, "user is null");
        this.variables = new SessionVariables(startupParameters, user);
        this.engine = new QueryEngine(new SessionResolver(coordinator, () -> pending.hasChanges() ? pending : null, user));
    }

    @Override
    public Map<String, String> parameterStatuses() {
        return variables.reported();
    }

    @Override
    public Map<String, String> changedParameterStatuses() {
        Map<String, String> changed = new LinkedHashMap<>(changedParameters);
        changedParameters.clear();
        return changed;
    }

    @Override
    public List<String> splitStatements(String sql) {
        return StatementParser.splitStatements(sql);
    }

    /** A parsed statement with its parameter and result description. */
    private record Prepared(String sql, Statement statement, List<SqlType> parameterTypes, Optional<List<ResultColumn>> resultColumns,
            Optional<PreparedQuery> query, Optional<DmlPlanner.PlannedDml> dml) implements PreparedStatement {
    }

    @Override
    public PreparedStatement prepare(String sql, List<Integer> declaredParameterOids) {
        Statement statement = StatementParser.parse(sql);
        List<SqlType> declared = new ArrayList<>();
        for (int oid : declaredParameterOids) {
            declared.add(typeOfOid(oid));
        }
        Catalog catalog = coordinator.catalog();
        if (statement instanceof Statement.Query query) {
            PreparedQuery prepared = engine.prepare(query.query().text(), declared);
            return new Prepared(sql, statement, prepared.parameterTypes(), Optional.of(columns(prepared, catalog)), Optional.of(prepared),
                    Optional.empty());
        }
        if (statement instanceof Statement.CopyTo copy) {
            CopyFormat.of(copy.options());
            PreparedQuery prepared = engine.prepare(copyQuery(catalog, copy), List.of());
            return new Prepared(sql, statement, List.of(), Optional.empty(), Optional.of(prepared), Optional.empty());
        }
        if (statement instanceof Statement.Insert insert) {
            DmlPlanner.PlannedDml dml = DmlPlanner.insert(catalog, engine, insert, declared);
            return new Prepared(sql, statement, dml.parameterTypes(), Optional.empty(), Optional.empty(), Optional.of(dml));
        }
        if (statement instanceof Statement.Update update) {
            DmlPlanner.PlannedDml dml = DmlPlanner.update(catalog, engine, update, declared);
            return new Prepared(sql, statement, dml.parameterTypes(), Optional.empty(), Optional.empty(), Optional.of(dml));
        }
        if (statement instanceof Statement.Delete delete) {
            DmlPlanner.PlannedDml dml = DmlPlanner.delete(catalog, engine, delete, declared);
            return new Prepared(sql, statement, dml.parameterTypes(), Optional.empty(), Optional.empty(), Optional.of(dml));
        }
        Optional<String> showQuery = ShowQueries.sql(statement, catalog);
        if (showQuery.isPresent()) {
            PreparedQuery prepared = engine.prepare(showQuery.get(), List.of());
            return new Prepared(sql, statement, List.of(), Optional.of(columns(prepared, catalog)), Optional.of(prepared), Optional.empty());
        }
        if (statement instanceof Statement.ShowVariable show) {
            String name = show.name().equals("all") ? "all" : show.name();
            List<ResultColumn> columns = name.equals("all")
                    ? List.of(ResultColumn.of("name", SqlType.TEXT), ResultColumn.of("setting", SqlType.TEXT))
                    : List.of(ResultColumn.of(name, SqlType.TEXT));
            return new Prepared(sql, statement, List.of(), Optional.of(columns), Optional.empty(), Optional.empty());
        }
        if (statement instanceof Statement.ShowCreate show) {
            String label = show.kind().name().toLowerCase(Locale.ROOT);
            return new Prepared(sql, statement, List.of(), Optional.of(List.of(ResultColumn.of("name", SqlType.TEXT),
                    ResultColumn.of("create_sql", SqlType.TEXT))), Optional.empty(), Optional.empty());
        }
        return new Prepared(sql, statement, List.of(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The RowDescription of a query: a column passed through from a table names the table's OID and the column's number. */
    private static List<ResultColumn> columns(PreparedQuery query, Catalog catalog) {
        List<Column> columns = query.resultColumns();
        List<Optional<dev.sluice.sql.query.ColumnOrigin>> origins = query.columnOrigins();
        List<ResultColumn> result = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            Optional<CatalogItem> table = origins.get(i).flatMap(origin -> catalog.byId(origin.relationId()));
            result.add(table.isPresent()
                    ? new ResultColumn(column.name(), column.type(), dev.sluice.server.system.SystemCatalog.oid(table.get()),
                            (short) origins.get(i).get().column())
                    : ResultColumn.of(column.name(), column.type()));
        }
        return result;
    }

    private static SqlType typeOfOid(int oid) {
        return switch (oid) {
            case PgTypes.BOOL -> SqlType.BOOLEAN;
            case PgTypes.INT2 -> SqlType.SMALLINT;
            case PgTypes.INT4 -> SqlType.INTEGER;
            case PgTypes.INT8 -> SqlType.BIGINT;
            case PgTypes.FLOAT4 -> SqlType.REAL;
            case PgTypes.FLOAT8 -> SqlType.DOUBLE;
            case PgTypes.NUMERIC -> SqlType.NUMERIC;
            case PgTypes.TEXT -> SqlType.TEXT;
            case PgTypes.VARCHAR, PgTypes.BPCHAR -> SqlType.varchar(-1);
            case PgTypes.BYTEA -> SqlType.BYTEA;
            case PgTypes.DATE -> SqlType.DATE;
            case PgTypes.TIME -> SqlType.TIME;
            case PgTypes.TIMESTAMP -> SqlType.TIMESTAMP;
            case PgTypes.TIMESTAMPTZ -> SqlType.TIMESTAMPTZ;
            case PgTypes.INTERVAL -> SqlType.INTERVAL;
            case PgTypes.UUID -> SqlType.UUID;
            case PgTypes.JSONB, PgTypes.JSON -> SqlType.JSONB;
            case PgTypes.UINT2 -> SqlType.UINT2;
            case PgTypes.UINT4 -> SqlType.UINT4;
            case PgTypes.UINT8 -> SqlType.UINT8;
            default -> null;
        };
    }

    @Override
    public StatementResult execute(PreparedStatement statement, List<Object> parameters, Consumer<Notice> notices) {
        cancelled = false;
        engine.resetCancel();
        Prepared prepared = (Prepared) statement;
        Statement ast = prepared.statement();
        try {
            return run(prepared, ast, parameters, notices);
        } catch (SluiceException e) {
            failTransaction();
            throw e;
        }
    }

    private StatementResult run(Prepared prepared, Statement ast, List<Object> parameters, Consumer<Notice> notices) {
        if (transaction == TransactionState.FAILED && !(ast instanceof Statement.Commit) && !(ast instanceof Statement.Rollback)) {
            throw new SluiceException(ErrorCode.IN_FAILED_SQL_TRANSACTION,
                    "current transaction is aborted, commands ignored until end of transaction block");
        }
        if (ast instanceof Statement.Empty) {
            return new StatementResult.EmptyQuery();
        }
        if (ast instanceof Statement.StartTransaction) {
            if (transaction.inExplicitTransaction()) {
                notices.accept(new Notice(Notice.Severity.WARNING, ErrorCode.ACTIVE_SQL_TRANSACTION, "there is already a transaction in progress",
                        Optional.empty(), Optional.empty()));
            } else {
                transaction = transaction.transition(TransactionState.STARTED);
            }
            return new StatementResult.Command("BEGIN");
        }
        if (ast instanceof Statement.Commit) {
            return commit(notices);
        }
        if (ast instanceof Statement.Rollback) {
            if (!transaction.inExplicitTransaction()) {
                notices.accept(new Notice(Notice.Severity.WARNING, ErrorCode.NO_ACTIVE_SQL_TRANSACTION, "there is no transaction in progress",
                        Optional.empty(), Optional.empty()));
            }
            endTransaction();
            return new StatementResult.Command("ROLLBACK");
        }
        if (ast instanceof Statement.CopyTo copy) {
            return copyOut(prepared.query().orElseThrow(), copy);
        }
        if (prepared.query().isPresent()) {
            return query(prepared.query().get(), parameters, prepared.resultColumns().orElseThrow());
        }
        if (prepared.dml().isPresent()) {
            return write(prepared.dml().get(), parameters);
        }
        if (ast instanceof Statement.CopyFrom copy) {
            return copyIn(copy);
        }
        if (ast instanceof Statement.SetVariable set) {
            String value = set.values().isEmpty() ? null : String.join(", ", set.values());
            String reported = value == null ? variables.reset(set.name()) : variables.set(set.name(), value);
            if (SessionVariables.isReported(set.name())) {
                changedParameters.put(reported, variables.get(set.name()));
            }
            return new StatementResult.Command("SET");
        }
        if (ast instanceof Statement.ResetVariable reset) {
            if (reset.name().isEmpty()) {
                variables.resetAll();
            } else {
                String reported = variables.reset(reset.name().get());
                if (SessionVariables.isReported(reset.name().get())) {
                    changedParameters.put(reported, variables.get(reset.name().get()));
                }
            }
            return new StatementResult.Command("RESET");
        }
        if (ast instanceof Statement.ShowVariable show) {
            List<ResultColumn> columns = prepared.resultColumns().orElseThrow();
            List<Row> rows = new ArrayList<>();
            if (show.name().equals("all")) {
                variables.all().forEach((name, value) -> rows.add(Row.of(name, value)));
            } else {
                rows.add(Row.of(variables.get(show.name())));
            }
            return new StatementResult.Rows(columns, rows.iterator(), "SHOW", () -> {
            });
        }
        if (ast instanceof Statement.ShowCreate show) {
            return showCreate(show, prepared.resultColumns().orElseThrow());
        }
        if (ast instanceof Statement.Discard) {
            endTransaction();
            variables.resetAll();
            return new StatementResult.Command("DISCARD ALL");
        }
        if (ast instanceof Statement.Deallocate) {
            return new StatementResult.Command("DEALLOCATE");
        }
        if (ast instanceof Statement.Unsupported unsupported) {
            throw SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED, "%s is not supported yet", unsupported.feature())
                    .withHint("Sluice supports tables, secrets, connections and Kafka sinks; see docs/sql.md.");
        }
        return ddl(ast, notices);
    }

    private StatementResult ddl(Statement ast, Consumer<Notice> notices) {
        if (transaction.inExplicitTransaction()) {
            throw SluiceException.of(ErrorCode.ACTIVE_SQL_TRANSACTION, "%s cannot be run inside a transaction block", tagOf(ast));
        }
        DdlContext context = new DdlContext(engine, notices, true);
        Coordinator.DdlResult result;
        if (ast instanceof Statement.CreateTable create) {
            result = coordinator.ddl(catalog -> CreateTableTask.plan(catalog, create, context));
        } else if (ast instanceof Statement.CreateSecret create) {
            result = coordinator.ddl(catalog -> SecretTasks.create(catalog, create, context));
        } else if (ast instanceof Statement.AlterSecret alter) {
            result = coordinator.ddl(catalog -> SecretTasks.alter(catalog, alter, context));
        } else if (ast instanceof Statement.CreateConnection create) {
            result = coordinator.ddl(catalog -> CreateConnectionTask.plan(catalog, create, context));
        } else if (ast instanceof Statement.CreateSink create) {
            result = coordinator.ddl(catalog -> hooks.createSink(catalog, create, context));
        } else if (ast instanceof Statement.Drop drop) {
            result = coordinator.ddl(catalog -> DropTask.plan(catalog, drop, coordinator.storage(), hooks::sinkDropped));
        } else if (ast instanceof Statement.CommentOn comment) {
            result = coordinator.ddl(catalog -> CommentTask.plan(catalog, comment));
        } else {
            throw SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED, "%s is not supported", tagOf(ast));
        }
        engine.invalidate();
        result.notice().ifPresent(message -> notices.accept(Notice.notice(message)));
        return new StatementResult.Command(tagOf(ast));
    }

    private static String tagOf(Statement ast) {
        if (ast instanceof Statement.CreateTable) {
            return "CREATE TABLE";
        }
        if (ast instanceof Statement.CreateSecret) {
            return "CREATE SECRET";
        }
        if (ast instanceof Statement.AlterSecret) {
            return "ALTER SECRET";
        }
        if (ast instanceof Statement.CreateConnection) {
            return "CREATE CONNECTION";
        }
        if (ast instanceof Statement.CreateSink) {
            return "CREATE SINK";
        }
        if (ast instanceof Statement.Drop drop) {
            return "DROP " + drop.kind().name().replace('_', ' ');
        }
        if (ast instanceof Statement.CommentOn) {
            return "COMMENT";
        }
        return ast.getClass().getSimpleName().toUpperCase(Locale.ROOT);
    }

    private StatementResult.Rows query(PreparedQuery query, List<Object> parameters, List<ResultColumn> columns) {
        if (transaction == TransactionState.WRITING) {
            throw new SluiceException(ErrorCode.INVALID_TRANSACTION_STATE, "transaction in write-only mode")
                    .withHint("A transaction that writes cannot also read; COMMIT first.");
        }
        // The read time is pinned until the rows are consumed (or, in a transaction, until it ends), so compaction
        // never takes away a version the query still has to read.
        ReadPin pin;
        Runnable release;
        if (transaction == TransactionState.STARTED) {
            transaction = transaction.transition(TransactionState.READING);
            transactionPin = Optional.of(coordinator.pinReadTime());
        }
        if (transaction == TransactionState.READING) {
            pin = transactionPin.orElseThrow();
            release = () -> {
            };
        } else {
            pin = coordinator.pinReadTime();
            release = pin::close;
        }
        try {
            Iterator<Row> rows = query.execute(parameters, queryContext(pin.time()));
            return new StatementResult.Rows(columns, rows, "SELECT", release);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    /** What an execution at {@code time} reads: the session's settings and, for catalog functions, the current catalog. */
    private QueryContext queryContext(long time) {
        return new QueryContext(time, variables.all(), dev.sluice.server.system.SystemCatalog.functions(coordinator.catalog()));
    }

    private StatementResult write(DmlPlanner.PlannedDml dml, List<Object> parameters) {
        if (transaction == TransactionState.READING) {
            throw new SluiceException(ErrorCode.INVALID_TRANSACTION_STATE, "transaction in read-only mode")
                    .withHint("A transaction that reads cannot also write; COMMIT first.");
        }
        if (!transaction.inExplicitTransaction()) {
            long count = coordinator.underLock(() -> {
                PendingWrites writes = new PendingWrites();
                List<Map.Entry<Row, Long>> changes;
                try (ReadPin pin = coordinator.pinReadTime()) {
                    changes = dml.changes(parameters, queryContext(pin.time()));
                }
                changes.forEach(change -> writes.add(dml.table().id(), change.getKey(), change.getValue()));
                coordinator.commitWrites(writes);
                return changes.stream().filter(change -> change.getValue() > 0 || !dml.tag(0).startsWith("UPDATE")).count();
            });
            return new StatementResult.Command(dml.tag(count));
        }
        if (transaction == TransactionState.STARTED) {
            transaction = transaction.transition(TransactionState.WRITING);
        }
        List<Map.Entry<Row, Long>> changes;
        try (ReadPin pin = coordinator.pinReadTime()) {
            changes = dml.changes(parameters, queryContext(pin.time()));
            if (!dml.tag(0).startsWith("INSERT")) {
                pending.readTable(dml.table().id(), pin.time());
            }
        }
        changes.forEach(change -> pending.add(dml.table().id(), change.getKey(), change.getValue()));
        long count = changes.stream().filter(change -> change.getValue() > 0 || !dml.tag(0).startsWith("UPDATE")).count();
        return new StatementResult.Command(dml.tag(count));
    }

    /** The query a COPY TO runs: its own, or every (or the named) column of its table. */
    private static String copyQuery(Catalog catalog, Statement.CopyTo copy) {
        if (copy.query().isPresent()) {
            return copy.query().get().text();
        }
        TableItem table = DmlPlanner.table(catalog, copy.table().orElseThrow().parts());
        StringBuilder sql = new StringBuilder("SELECT ");
        List<Integer> columns = DmlPlanner.targets(table, copy.columns());
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(Catalog.quoteIdentifier(table.desc().column(columns.get(i)).name()));
        }
        return sql.append(" FROM ").append(Catalog.quoteIdentifier(Catalog.SCHEMA)).append('.').append(Catalog.quoteIdentifier(table.name()))
                .toString();
    }

    /** {@code COPY … TO STDOUT}: the query's rows, each encoded as one line of the COPY format (after a header line when asked). */
    private StatementResult copyOut(PreparedQuery query, Statement.CopyTo copy) {
        CopyFormat format = CopyFormat.of(copy.options());
        List<ResultColumn> columns = columns(query, coordinator.catalog());
        StatementResult.Rows rows = query(query, List.of(), columns);
        Optional<byte[]> header = format.header()
                ? Optional.of(format.line(columns.stream().map(ResultColumn::name).toList()).getBytes(StandardCharsets.UTF_8)) : Optional.empty();
        Iterator<byte[]> lines = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.rows().hasNext();
            }

            @Override
            public byte[] next() {
                Row row = rows.rows().next();
                List<String> fields = new ArrayList<>(columns.size());
                for (int i = 0; i < columns.size(); i++) {
                    Object value = row.get(i);
                    fields.add(value == null ? null : PgText.format(columns.get(i).type(), value));
                }
                return format.line(fields).getBytes(StandardCharsets.UTF_8);
            }
        };
        return new StatementResult.CopyOut(columns.size(), header, lines, rows.onClose());
    }

    /**
     * {@code COPY t FROM STDIN}: the rows are read as they arrive (see {@link CopyDecoder}) and written like an INSERT
     * of all of them when the data is complete: atomically at one timestamp, or into the open transaction. A bad row
     * fails the whole COPY, naming its line and column, and nothing of it is written.
     */
    private StatementResult copyIn(Statement.CopyFrom copy) {
        TableItem table = DmlPlanner.table(coordinator.catalog(), copy.table().parts());
        List<Integer> targets = DmlPlanner.targets(table, copy.columns());
        List<Object[]> rows = new ArrayList<>();
        CopyDecoder decoder = new CopyDecoder(CopyFormat.of(copy.options()), (fields, line) -> {
            String where = "COPY " + table.name() + ", line " + line;
            if (fields.size() > targets.size()) {
                throw new SluiceException(ErrorCode.BAD_COPY_FILE_FORMAT, "extra data after last expected column").withDetail(where + ".");
            }
            if (fields.size() < targets.size()) {
                throw SluiceException.of(ErrorCode.BAD_COPY_FILE_FORMAT, "missing data for column \"%s\"",
                        table.desc().column(targets.get(fields.size())).name()).withDetail(where + ".");
            }
            Object[] values = new Object[targets.size()];
            for (int i = 0; i < values.length; i++) {
                String text = fields.get(i);
                Column column = table.desc().column(targets.get(i));
                try {
                    values[i] = text == null ? null : PgText.parse(column.type(), text);
                } catch (SluiceException e) {
                    throw e.withDetail(where + ", column " + column.name() + ": \"" + text + "\".");
                }
            }
            rows.add(values);
        });
        return new StatementResult.CopyIn(targets.size(), new CopyReceiver() {
            @Override
            public void data(byte[] bytes) {
                failsTransaction(() -> {
                    decoder.feed(bytes);
                    return null;
                });
            }

            @Override
            public String done() {
                return failsTransaction(() -> {
                    decoder.finish();
                    StatementResult written = write(DmlPlanner.copied(table, targets, rows, engine), List.of());
                    rows.clear();
                    return ((StatementResult.Command) written).commandTag();
                });
            }

            @Override
            public void abort() {
                rows.clear();
                failTransaction();
            }
        });
    }

    /** Runs a step of a statement that continues after {@link #execute} returned (COPY): a failure fails the open transaction. */
    private <T> T failsTransaction(java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            failTransaction();
            throw e;
        }
    }

    private void failTransaction() {
        if (transaction == TransactionState.STARTED || transaction == TransactionState.READING || transaction == TransactionState.WRITING) {
            transaction = transaction.transition(TransactionState.FAILED);
        }
    }

    private StatementResult commit(Consumer<Notice> notices) {
        if (!transaction.inExplicitTransaction()) {
            notices.accept(new Notice(Notice.Severity.WARNING, ErrorCode.NO_ACTIVE_SQL_TRANSACTION, "there is no transaction in progress",
                    Optional.empty(), Optional.empty()));
            return new StatementResult.Command("COMMIT");
        }
        if (transaction == TransactionState.FAILED) {
            endTransaction();
            return new StatementResult.Command("ROLLBACK");
        }
        try {
            if (pending.hasChanges()) {
                coordinator.commitWrites(pending);
            }
        } finally {
            endTransaction();
        }
        return new StatementResult.Command("COMMIT");
    }

    private void endTransaction() {
        pending.clear();
        transactionPin.ifPresent(ReadPin::close);
        transactionPin = Optional.empty();
        if (transaction != TransactionState.IDLE) {
            transaction = transaction.transition(TransactionState.IDLE);
        }
    }

    private StatementResult showCreate(Statement.ShowCreate show, List<ResultColumn> columns) {
        ObjectType type = switch (show.kind()) {
            case TABLE -> ObjectType.TABLE;
            case SECRET -> ObjectType.SECRET;
            case CONNECTION -> ObjectType.CONNECTION;
            case SINK -> ObjectType.SINK;
            default -> throw SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED, "SHOW CREATE %s is not supported", show.kind());
        };
        Class<? extends CatalogItem> clazz = switch (type) {
            case TABLE -> dev.sluice.server.catalog.TableItem.class;
            case SECRET -> dev.sluice.server.catalog.SecretItem.class;
            case CONNECTION -> dev.sluice.server.catalog.ConnectionItem.class;
            case SINK -> dev.sluice.server.catalog.SinkItem.class;
        };
        CatalogItem item = coordinator.catalog().resolve(show.name().parts(), clazz, type);
        return new StatementResult.Rows(columns, List.of(Row.of(item.qualifiedName(), CanonicalSql.of(item))).iterator(), "SELECT", () -> {
        });
    }

    @Override
    public void endOfCommand(boolean failed) {
        // Each statement outside an explicit transaction is its own implicit transaction: nothing to close here.
    }

    @Override
    public TransactionStatus transactionStatus() {
        return switch (transaction) {
            case IDLE -> TransactionStatus.IDLE;
            case FAILED -> TransactionStatus.FAILED;
            default -> TransactionStatus.IN_TRANSACTION;
        };
    }

    @Override
    public void cancel() {
        cancelled = true;
        engine.cancel();
    }

    @Override
    public void close() {
        pending.clear();
        transactionPin.ifPresent(ReadPin::close);
        transactionPin = Optional.empty();
    }

    boolean isCancelled() {
        return cancelled;
    }
}
