package dev.sluice.sql.query;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.Column;
import dev.sluice.common.type.RelationDesc;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.value.Row;
import dev.sluice.sql.parser.Lexer;
import dev.sluice.sql.parser.Token;
import dev.sluice.sql.query.internal.PgSyntax;
import dev.sluice.sql.query.internal.Types;
import dev.sluice.sql.query.internal.Values;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableInterpretable;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.runtime.Bindable;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlLibrary;
import org.apache.calcite.sql.fun.SqlLibraryOperatorTableFactory;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.tools.FrameworkConfig;
import org.apache.calcite.tools.Frameworks;
import org.apache.calcite.tools.Planner;
import org.apache.calcite.tools.Programs;
import org.apache.calcite.tools.ValidationException;

/**
 * Plans and runs queries and scalar expressions with Apache Calcite: the Babel parser (so
 * PostgreSQL's {@code ::} casts parse), Calcite's validator, its standard optimizer program, and
 * the Enumerable convention compiled to Java. Tables are read through a {@link RelationResolver}.
 *
 * <p>One engine per session: not thread-safe. Plans are cached by SQL text.
 */
public final class QueryEngine {
    private static final Pattern OBJECT_NOT_FOUND = Pattern.compile("Object '([^']+)' not found.*");
    private static final Pattern COLUMN_NOT_FOUND = Pattern.compile("(?:Column|The definition of column) '([^']+)' (?:not found|depends on itself).*");
    private static final Pattern FUNCTION_NOT_FOUND = Pattern.compile("No match found for function signature (\\w+)\\((.*)\\)");
    private static final RelDataTypeSystemImpl TYPE_SYSTEM = new RelDataTypeSystemImpl() {
        @Override
        public int getMaxScale(org.apache.calcite.sql.type.SqlTypeName typeName) {
            if (typeName == org.apache.calcite.sql.type.SqlTypeName.DECIMAL) {
                return Types.MAX_NUMERIC_PRECISION;
            }
            return super.getMaxScale(typeName);
        }

        @Override
        public int getMaxPrecision(org.apache.calcite.sql.type.SqlTypeName typeName) {
            if (typeName == org.apache.calcite.sql.type.SqlTypeName.DECIMAL) {
                return Types.MAX_NUMERIC_PRECISION;
            }
            return super.getMaxPrecision(typeName);
        }
    };

    private static final org.apache.calcite.config.CalciteConnectionConfig CONNECTION_CONFIG = connectionConfig();

    private static org.apache.calcite.config.CalciteConnectionConfig connectionConfig() {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty(org.apache.calcite.config.CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "false");
        properties.setProperty(org.apache.calcite.config.CalciteConnectionProperty.CONFORMANCE.camelName(), "BABEL");
        properties.setProperty(org.apache.calcite.config.CalciteConnectionProperty.FUN.camelName(), "standard,postgresql");
        return new org.apache.calcite.config.CalciteConnectionConfigImpl(properties);
    }

    private final JavaTypeFactory typeFactory = new JavaTypeFactoryImpl(TYPE_SYSTEM);
    private final SchemaPlus root = CalciteSchema.createRootSchema(false, false).plus();
    private final Map<String, PreparedQuery> cache = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedQuery> eldest) {
            return size() > 256;
        }
    };
    private final RelationResolver resolver;
    private final SchemaPlus searchSchema;
    private QueryContext currentContext;
    private final AtomicBoolean cancel = new AtomicBoolean();

    public QueryEngine(RelationResolver resolver) {
        this.resolver = resolver;
        for (String schema : resolver.schemaNames()) {
            Functions.register(root.add(schema, new DynamicSchema(schema, false)));
        }
        searchSchema = root.add("$search", new DynamicSchema("$search", true));
        Functions.register(searchSchema);
    }

    /** Asks a running execution to stop; it fails with 57014. */
    public void cancel() {
        cancel.set(true);
    }

    /** Forgets an earlier cancel; the session calls it when a statement starts, so a cancel during planning still counts. */
    public void resetCancel() {
        cancel.set(false);
    }

    /** Forgets cached plans (after DDL changed what names mean). */
    public void invalidate() {
        cache.clear();
    }

    /** Plans a query ({@code SELECT}, {@code WITH}, {@code VALUES}, {@code TABLE}); parameters are {@code $1}, {@code $2}, …. */
    public PreparedQuery prepare(String sql, List<SqlType> declaredParameterTypes) {
        String key = sql + "\u0000" + declaredParameterTypes;
        PreparedQuery cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        PreparedQuery prepared = plan(sql, declaredParameterTypes, 0);
        cache.put(key, prepared);
        return prepared;
    }

    /**
     * Compiles a scalar expression over one input row whose columns are visible by name; with an
     * assignment target, the result is cast to it.
     */
    public CompiledExpression compileExpression(String expression, List<Column> inputColumns, Optional<SqlType> assignmentTarget) {
        StringBuilder sql = new StringBuilder("SELECT ");
        String castTarget = assignmentTarget.map(Types::castTarget).orElse(null);
        if (castTarget != null) {
            sql.append("CAST((").append(expression).append(") AS ").append(castTarget).append(')');
        } else {
            sql.append('(').append(expression).append(')');
        }
        int offset = castTarget != null ? "SELECT CAST((".length() : "SELECT (".length();
        if (!inputColumns.isEmpty()) {
            sql.append(" FROM \"$input\"");
        }
        InputTable input = new InputTable(RelationDesc.of(inputColumns));
        inputTables.put("$input", input);
        {
            PreparedQuery query = plan(sql.toString(), List.of(), offset);
            if (query.resultColumns().size() != 1) {
                throw new SluiceException(ErrorCode.SYNTAX_ERROR, "expected one expression");
            }
            SqlType type = assignmentTarget.orElse(query.resultColumns().get(0).type());
            return new CompiledExpression() {
                @Override
                public SqlType type() {
                    return type;
                }

                @Override
                public Object evaluate(Row row, List<Object> parameters, QueryContext context) {
                    inputTables.put("$input", input);
                    input.current = row;
                    Iterator<Row> rows = query.execute(parameters, context);
                    Object value = rows.hasNext() ? rows.next().get(0) : null;
                    if (assignmentTarget.isPresent() && value != null && query.resultColumns().get(0).type().kind() != type.kind()) {
                        value = Values.fromCalcite(type, Values.toCalcite(query.resultColumns().get(0).type(), value));
                    }
                    return value;
                }
            };
        }
    }

    /** A compiled scalar expression. */
    public interface CompiledExpression {
        SqlType type();

        Object evaluate(Row input, List<Object> parameters, QueryContext context);
    }

    private final Map<String, InputTable> inputTables = new HashMap<>();

    private PreparedQuery plan(String sql, List<SqlType> declaredParameterTypes, int positionOffset) {
        Rewritten rewritten = rewriteParameters(sql, declaredParameterTypes);
        FrameworkConfig config = Frameworks.newConfigBuilder()
                .parserConfig(SqlParser.config()
                        .withParserFactory(SqlBabelParserImpl.FACTORY)
                        .withConformance(SqlConformanceEnum.BABEL)
                        .withCaseSensitive(false)
                        .withUnquotedCasing(Casing.TO_LOWER)
                        .withQuotedCasing(Casing.UNCHANGED))
                .defaultSchema(searchSchema)
                .operatorTable(SqlLibraryOperatorTableFactory.INSTANCE.getOperatorTable(SqlLibrary.STANDARD, SqlLibrary.POSTGRESQL))
                .typeSystem(TYPE_SYSTEM)
                .context(org.apache.calcite.plan.Contexts.of(CONNECTION_CONFIG))
                .programs(Programs.standard())
                .build();
        Planner planner = Frameworks.getPlanner(config);
        RelNode optimized;
        RelDataType rowType;
        try {
            SqlNode parsed = planner.parse(rewritten.sql());
            SqlNode validated = planner.validate(parsed);
            RelRoot relRoot = planner.rel(validated);
            RelNode rel = relRoot.project();
            rowType = relRoot.validatedRowType;
            RelTraitSet traits = rel.getTraitSet().replace(EnumerableConvention.INSTANCE);
            optimized = planner.transform(0, traits, rel);
        } catch (SqlParseException e) {
            int position = e.getPos() == null ? 0 : columnToOffset(rewritten.sql(), e.getPos().getLineNum(), e.getPos().getColumnNum());
            String near = nearToken(rewritten.sql(), position);
            throw new SluiceException(ErrorCode.SYNTAX_ERROR, "syntax error at or near \"" + near + "\"")
                    .withPosition(Math.max(1, rewritten.originalPosition(position) - positionOffset + 1));
        } catch (ValidationException e) {
            throw translate(e, rewritten, positionOffset);
        } catch (org.apache.calcite.tools.RelConversionException e) {
            throw SluiceException.internal(e);
        } catch (RuntimeException e) {
            if (e instanceof SluiceException sluiceException) {
                throw sluiceException;
            }
            throw translate(e, rewritten, positionOffset);
        } finally {
            planner.close();
        }
        List<Column> columns = new ArrayList<>();
        Set<String> used = new LinkedHashSet<>();
        for (RelDataTypeField field : rowType.getFieldList()) {
            String name = field.getName().startsWith("EXPR$") ? "?column?" : field.getName();
            columns.add(new Column(name, Types.fromCalcite(field.getType()), field.getType().isNullable()));
            used.add(name);
        }
        List<SqlType> parameterTypes = parameterTypes(optimized, rewritten.count(), declaredParameterTypes);
        Set<String> referenced = referencedIds(optimized);
        Bindable<?> bindable = EnumerableInterpretable.toBindable(new HashMap<>(), null, (EnumerableRel) optimized, EnumerableRel.Prefer.ARRAY);
        return new PreparedQuery() {
            @Override
            public List<Column> resultColumns() {
                return columns;
            }

            @Override
            public List<SqlType> parameterTypes() {
                return parameterTypes;
            }

            @Override
            public Set<String> referencedRelationIds() {
                return referenced;
            }

            @Override
            public Iterator<Row> execute(List<Object> parameters, QueryContext context) {
                currentContext = context;
                DataContext dataContext = new SessionDataContext(parameters, parameterTypes, context);
                Enumerable<?> enumerable;
                Enumerator<?> enumerator;
                try {
                    enumerable = bindable.bind(dataContext);
                    enumerator = enumerable.enumerator();
                } catch (RuntimeException | ExceptionInInitializerError e) {
                    throw runtimeError(e);
                }
                return new Iterator<>() {
                    private Row next;
                    private boolean done;

                    @Override
                    public boolean hasNext() {
                        if (next != null) {
                            return true;
                        }
                        if (done) {
                            return false;
                        }
                        if (cancel.get()) {
                            throw new SluiceException(ErrorCode.QUERY_CANCELED, "canceling statement due to user request");
                        }
                        try {
                            if (!enumerator.moveNext()) {
                                done = true;
                                enumerator.close();
                                return false;
                            }
                            Object current = enumerator.current();
                            Object[] values = current instanceof Object[] array ? array : new Object[] {current};
                            Object[] converted = new Object[columns.size()];
                            for (int i = 0; i < converted.length; i++) {
                                converted[i] = Values.fromCalcite(columns.get(i).type(), values[i]);
                            }
                            next = Row.wrap(converted);
                            return true;
                        } catch (RuntimeException | ExceptionInInitializerError e) {
                            done = true;
                            enumerator.close();
                            throw runtimeError(e);
                        }
                    }

                    @Override
                    public Row next() {
                        if (!hasNext()) {
                            throw new java.util.NoSuchElementException();
                        }
                        Row result = next;
                        next = null;
                        return result;
                    }
                };
            }
        };
    }

    private static SluiceException runtimeError(Throwable e) {
        if (e instanceof SluiceException sluiceException) {
            return sluiceException;
        }
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof ArithmeticException) && !(cause instanceof SluiceException)) {
            cause = cause.getCause();
        }
        if (cause instanceof SluiceException sluiceException) {
            return sluiceException;
        }
        String message = String.valueOf(cause.getMessage());
        if (cause instanceof ArithmeticException && message.contains("by zero")) {
            return new SluiceException(ErrorCode.DIVISION_BY_ZERO, "division by zero");
        }
        if (cause instanceof NumberFormatException) {
            // Calcite's casts from text parse with Java: a well-formed number that does not fit is out of range, anything else bad input.
            Matcher input = Pattern.compile("For input string: \"(.*)\".*").matcher(message);
            String text = input.matches() ? input.group(1) : message;
            if (text.strip().matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                return new SluiceException(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE, "value \"" + text + "\" is out of range");
            }
            return new SluiceException(ErrorCode.INVALID_TEXT_REPRESENTATION, "invalid input syntax for a number: \"" + text + "\"");
        }
        if (cause instanceof ArithmeticException) {
            return new SluiceException(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: " + message);
        }
        if (message.contains("by zero")) {
            return new SluiceException(ErrorCode.DIVISION_BY_ZERO, "division by zero");
        }
        if (cause instanceof IllegalArgumentException || cause instanceof ClassCastException) {
            return new SluiceException(ErrorCode.INVALID_TEXT_REPRESENTATION, "invalid value: " + message);
        }
        return SluiceException.internal(e);
    }

    private SluiceException translate(Exception e, Rewritten rewritten, int positionOffset) {
        Throwable cause = e;
        CalciteContextException context = null;
        while (cause != null) {
            if (cause instanceof CalciteContextException contextException) {
                context = contextException;
            }
            if (cause instanceof SluiceException sluiceException) {
                return sluiceException;
            }
            if (cause.getCause() == null || cause.getCause() == cause) {
                break;
            }
            cause = cause.getCause();
        }
        String message = cause == null ? String.valueOf(e.getMessage()) : String.valueOf(cause.getMessage());
        if (Boolean.getBoolean("sluice.debugPlanner")) {
            e.printStackTrace();
        }
        int position = 0;
        if (context != null && context.getPosLine() > 0) {
            position = rewritten.originalPosition(columnToOffset(rewritten.sql(), context.getPosLine(), context.getPosColumn()))
                    - positionOffset + 1;
        }
        SluiceException error;
        Matcher matcher;
        if ((matcher = OBJECT_NOT_FOUND.matcher(message)).matches()) {
            error = new SluiceException(ErrorCode.UNDEFINED_TABLE, "relation \"" + matcher.group(1) + "\" does not exist")
                    .withHint("SHOW TABLES lists the tables.");
        } else if (message.startsWith("Table '") && message.contains("not found")) {
            String name = message.substring(7, message.indexOf('\'', 7));
            error = new SluiceException(ErrorCode.UNDEFINED_TABLE, "relation \"" + name + "\" does not exist")
                    .withHint("SHOW TABLES lists the tables.");
        } else if ((matcher = COLUMN_NOT_FOUND.matcher(message)).matches()) {
            error = new SluiceException(ErrorCode.UNDEFINED_COLUMN, "column \"" + matcher.group(1) + "\" does not exist");
        } else if (message.startsWith("Column '") && message.contains("is ambiguous")) {
            error = new SluiceException(ErrorCode.AMBIGUOUS_COLUMN, "column reference \"" + message.substring(8, message.indexOf('\'', 8))
                    + "\" is ambiguous");
        } else if ((matcher = FUNCTION_NOT_FOUND.matcher(message)).matches()) {
            error = new SluiceException(ErrorCode.UNDEFINED_FUNCTION, "function " + matcher.group(1).toLowerCase(Locale.ROOT) + "("
                    + matcher.group(2).toLowerCase(Locale.ROOT) + ") does not exist")
                    .withHint("No function matches the given name and argument types. You might need to add explicit type casts.");
        } else if (message.contains("Cannot apply") || message.contains("Cannot assign") || message.contains("Cannot infer")
                || message.contains("type mismatch") || message.contains("incompatible")) {
            error = new SluiceException(ErrorCode.DATATYPE_MISMATCH, message);
        } else if (message.contains("is not being grouped") || message.contains("GROUP BY")) {
            error = new SluiceException(ErrorCode.GROUPING_ERROR, message);
        } else {
            error = new SluiceException(ErrorCode.SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION, message);
        }
        return position > 0 ? error.withPosition(position) : error;
    }

    private static String nearToken(String sql, int offset) {
        if (offset >= sql.length()) {
            return "";
        }
        try {
            for (Token token : Lexer.tokenize(sql.substring(offset))) {
                return sql.substring(offset + token.start(), offset + token.end());
            }
        } catch (SluiceException ignored) {
            // fall through
        }
        return sql.substring(offset, Math.min(sql.length(), offset + 1));
    }

    private static int columnToOffset(String sql, int line, int column) {
        int offset = 0;
        for (int currentLine = 1; currentLine < line && offset < sql.length(); offset++) {
            if (sql.charAt(offset) == '\n') {
                currentLine++;
            }
        }
        return Math.min(sql.length(), offset + Math.max(column - 1, 0));
    }

    /** {@code $n} replaced by {@code ?} (or {@code CAST(? AS t)} when the client declared a type). */
    private record Rewritten(String sql, int count, List<int[]> shifts) {
        int originalPosition(int rewrittenOffset) {
            int delta = 0;
            for (int[] shift : shifts) {
                if (shift[0] < rewrittenOffset) {
                    delta += shift[1];
                }
            }
            return rewrittenOffset - delta;
        }
    }

    private static Rewritten rewriteParameters(String sql, List<SqlType> declared) {
        List<Token> tokens = Lexer.tokenize(sql);
        List<PgSyntax.Edit> edits = new ArrayList<>(PgSyntax.edits(tokens));
        int count = 0;
        for (Token token : tokens) {
            if (token.is(Token.Kind.PARAMETER)) {
                int number = Integer.parseInt(token.text());
                count = Math.max(count, number);
                SqlType type = number - 1 < declared.size() ? declared.get(number - 1) : null;
                String cast = type == null ? null : Types.castTarget(type);
                edits.add(new PgSyntax.Edit(token.start(), token.end(), cast == null ? "?" : "CAST(? AS " + cast + ")"));
            }
        }
        edits.sort(java.util.Comparator.comparingInt(PgSyntax.Edit::start));
        StringBuilder out = new StringBuilder();
        List<int[]> shifts = new ArrayList<>();
        int last = 0;
        for (PgSyntax.Edit edit : edits) {
            out.append(sql, last, edit.start());
            shifts.add(new int[] {out.length(), edit.replacement().length() - (edit.end() - edit.start())});
            out.append(edit.replacement());
            last = edit.end();
        }
        out.append(sql.substring(last));
        if (count > 0 && !isOrdered(tokens)) {
            throw new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED, "parameters must be used in order $1, $2, … each once")
                    .withHint("Sluice passes parameters to its planner positionally.");
        }
        return new Rewritten(out.toString(), count, shifts);
    }

    private static boolean isOrdered(List<Token> tokens) {
        int expected = 1;
        for (Token token : tokens) {
            if (token.is(Token.Kind.PARAMETER)) {
                if (Integer.parseInt(token.text()) != expected) {
                    return false;
                }
                expected++;
            }
        }
        return true;
    }

    private static List<SqlType> parameterTypes(RelNode rel, int count, List<SqlType> declared) {
        SqlType[] types = new SqlType[count];
        rel.accept(new RelShuttleImpl() {
            @Override
            public RelNode visit(RelNode other) {
                other.accept(new RexShuttle() {
                    @Override
                    public RexNode visitDynamicParam(RexDynamicParam parameter) {
                        if (parameter.getIndex() < types.length) {
                            types[parameter.getIndex()] = Types.fromCalcite(parameter.getType());
                        }
                        return parameter;
                    }
                });
                return super.visit(other);
            }
        });
        List<SqlType> result = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SqlType type = i < declared.size() && declared.get(i) != null ? declared.get(i) : types[i];
            result.add(type == null ? SqlType.TEXT : type);
        }
        return result;
    }

    private static Set<String> referencedIds(RelNode rel) {
        Set<String> ids = new LinkedHashSet<>();
        rel.accept(new RelShuttleImpl() {
            @Override
            public RelNode visit(TableScan scan) {
                SluiceTable table = scan.getTable().unwrap(SluiceTable.class);
                if (table != null) {
                    ids.add(table.relation.id());
                }
                return super.visit(scan);
            }

            @Override
            public RelNode visit(RelNode other) {
                if (other instanceof TableScan scan) {
                    return visit(scan);
                }
                return super.visit(other);
            }
        });
        return ids;
    }

    // ------------------------------------------------------------------ schemas and tables

    /** A schema whose tables are looked up in the resolver on every access (the catalog changes). */
    private final class DynamicSchema extends AbstractSchema {
        private final String name;
        private final boolean searchPath;

        DynamicSchema(String name, boolean searchPath) {
            this.name = name;
            this.searchPath = searchPath;
        }

        @Override
        protected Map<String, Table> getTableMap() {
            Map<String, Table> tables = new LinkedHashMap<>();
            if (searchPath) {
                List<String> path = new ArrayList<>(resolver.searchPath());
                java.util.Collections.reverse(path);
                for (String schema : path) {
                    for (String relation : resolver.relationNames(schema)) {
                        resolver.resolve(schema, relation).ifPresent(resolved -> tables.put(relation, new SluiceTable(resolved)));
                    }
                }
                tables.putAll(inputTables);
                return tables;
            }
            for (String relation : resolver.relationNames(name)) {
                resolver.resolve(name, relation).ifPresent(resolved -> tables.put(relation, new SluiceTable(resolved)));
            }
            return tables;
        }

        @Override
        public boolean isMutable() {
            return true;
        }

        @Override
        public Schema snapshot(org.apache.calcite.schema.SchemaVersion version) {
            return this;
        }
    }

    /** A Sluice relation as a Calcite table; rows converted to Calcite's representation. */
    final class SluiceTable extends AbstractTable implements ScannableTable {
        final ResolvedRelation relation;

        SluiceTable(ResolvedRelation relation) {
            this.relation = relation;
        }

        @Override
        public RelDataType getRowType(RelDataTypeFactory factory) {
            RelDataTypeFactory.Builder builder = factory.builder();
            for (Column column : relation.desc().columns()) {
                builder.add(column.name(), Types.toCalcite((JavaTypeFactory) factory, column.type(), column.nullable()));
            }
            return builder.build();
        }

        @Override
        public Enumerable<Object[]> scan(DataContext root) {
            QueryContext context = currentContext;
            List<Column> columns = relation.desc().columns();
            return Linq4j.asEnumerable(() -> {
                Iterator<Row> rows = relation.rows().scan(context);
                return new Iterator<Object[]>() {
                    @Override
                    public boolean hasNext() {
                        if (cancel.get()) {
                            throw new SluiceException(ErrorCode.QUERY_CANCELED, "canceling statement due to user request");
                        }
                        return rows.hasNext();
                    }

                    @Override
                    public Object[] next() {
                        Row row = rows.next();
                        Object[] values = new Object[columns.size()];
                        for (int i = 0; i < values.length; i++) {
                            values[i] = Values.toCalcite(columns.get(i).type(), row.get(i));
                        }
                        return values;
                    }
                };
            });
        }
    }

    /** The one-row input of a compiled expression. */
    private final class InputTable extends AbstractTable implements ScannableTable {
        private final RelationDesc desc;
        Row current;

        InputTable(RelationDesc desc) {
            this.desc = desc;
        }

        @Override
        public RelDataType getRowType(RelDataTypeFactory factory) {
            RelDataTypeFactory.Builder builder = factory.builder();
            for (Column column : desc.columns()) {
                builder.add(column.name(), Types.toCalcite((JavaTypeFactory) factory, column.type(), column.nullable()));
            }
            return builder.build();
        }

        @Override
        public Enumerable<Object[]> scan(DataContext root) {
            Object[] values = new Object[desc.arity()];
            for (int i = 0; i < values.length; i++) {
                values[i] = current == null ? null : Values.toCalcite(desc.column(i).type(), current.get(i));
            }
            return Linq4j.asEnumerable(List.<Object[]>of(values));
        }
    }

    private final class SessionDataContext implements DataContext {
        private final Map<String, Object> values = new HashMap<>();

        SessionDataContext(List<Object> parameters, List<SqlType> types, QueryContext context) {
            for (int i = 0; i < parameters.size(); i++) {
                values.put("?" + i, Values.toCalcite(types.get(i), parameters.get(i)));
            }
            long now = System.currentTimeMillis();
            values.put(Variable.CURRENT_TIMESTAMP.camelName, now);
            values.put(Variable.LOCAL_TIMESTAMP.camelName, now);
            values.put(Variable.UTC_TIMESTAMP.camelName, now);
            values.put(Variable.TIME_ZONE.camelName, TimeZone.getTimeZone("UTC"));
            values.put(Variable.CANCEL_FLAG.camelName, cancel);
            values.put("sluiceAsOf", context.asOf());
        }

        @Override
        public SchemaPlus getRootSchema() {
            return root;
        }

        @Override
        public JavaTypeFactory getTypeFactory() {
            return typeFactory;
        }

        @Override
        public QueryProvider getQueryProvider() {
            return null;
        }

        @Override
        public Object get(String name) {
            return values.get(name);
        }
    }

    /** User-defined functions: Kafka hashes and the PostgreSQL functions clients call. */
    static final class Functions {
        private Functions() {
        }

        static void register(SchemaPlus schema) {
            for (String name : List.of("crc32", "kafka_murmur2", "seahash", "version", "current_database", "current_schema",
                    "pg_backend_pid", "pg_table_is_visible", "pg_get_userbyid", "has_table_privilege", "pg_encoding_to_char",
                    "obj_description", "col_description", "format_type", "mz_version", "decode", "encode")) {
                for (java.lang.reflect.Method method : SqlFunctions.class.getMethods()) {
                    if (method.getName().equals(javaName(name)) && java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                        schema.add(name, ScalarFunctionImpl.create(method));
                    }
                }
            }
        }

        private static String javaName(String name) {
            StringBuilder result = new StringBuilder();
            boolean upper = false;
            for (char c : name.toCharArray()) {
                if (c == '_') {
                    upper = true;
                } else {
                    result.append(upper ? Character.toUpperCase(c) : c);
                    upper = false;
                }
            }
            return result.toString();
        }
    }

    static Type unusedType() {
        return Object.class;
    }
}
