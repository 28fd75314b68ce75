package dev.sluice.sql.query;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.Column;
import dev.sluice.common.type.RelationDesc;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.value.Row;
import dev.sluice.sql.parser.Lexer;
import dev.sluice.sql.parser.Token;
import dev.sluice.sql.query.internal.CalciteErrors;
import dev.sluice.sql.query.internal.CastTarget;
import dev.sluice.sql.query.internal.ColumnNaming;
import dev.sluice.sql.query.internal.PgConvertlets;
import dev.sluice.sql.query.internal.PgDatetime;
import dev.sluice.sql.query.internal.PgOperators;
import dev.sluice.sql.query.internal.PgRewriter;
import dev.sluice.sql.query.internal.PgSession;
import dev.sluice.sql.query.internal.PgSyntax;
import dev.sluice.sql.query.internal.PgSyntax.Rewritten;
import dev.sluice.sql.query.internal.PgTypeCoercion;
import dev.sluice.sql.query.internal.PgTypeFactory;
import dev.sluice.sql.query.internal.PgValidator;
import dev.sluice.sql.query.internal.Types;
import dev.sluice.sql.query.internal.Values;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableInterpretable;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRules;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.config.NullCollation;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.plan.ConventionTraitDef;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.RelCollationTraitDef;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.metadata.RelColumnOrigin;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.runtime.Bindable;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.SchemaVersion;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.fun.SqlLibrary;
import org.apache.calcite.sql.fun.SqlLibraryOperatorTableFactory;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlConformance;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlDelegatingConformance;
import org.apache.calcite.sql.validate.SqlNameMatcher;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql2rel.RelDecorrelator;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.tools.Programs;
import org.apache.calcite.tools.RelBuilder;

/**
 * Plans and runs queries and scalar expressions with Apache Calcite: the Babel parser (so
 * PostgreSQL's {@code ::} casts parse), Calcite's validator, its standard optimizer program, and
 * the Enumerable convention compiled to Java. Tables are read through a {@link RelationResolver}.
 *
 * <p>One engine per session: not thread-safe. Plans are cached by SQL text.
 */
public final class QueryEngine {
    private static final RelDataTypeSystemImpl TYPE_SYSTEM = new RelDataTypeSystemImpl() {
        /** PostgreSQL's avg of an exact number is a numeric with at least 16 decimal digits (avg(1.50, 2.25) is 1.8750000000000000). */
        @Override
        public RelDataType deriveAvgAggType(RelDataTypeFactory factory, RelDataType argument) {
            if (SqlTypeUtil.isExactNumeric(argument)) {
                return factory.createTypeWithNullability(factory.createSqlType(SqlTypeName.DECIMAL,
                        Types.MAX_NUMERIC_PRECISION, Math.max(16, argument.getScale())), argument.isNullable());
            }
            return super.deriveAvgAggType(factory, argument);
        }

        /** PostgreSQL's string literals are text: {@code CASE … 'a' … 'bbb'} and {@code 'a' UNION 'bbb'} are not blank-padded. */
        @Override
        public boolean shouldConvertRaggedUnionTypesToVarying() {
            return true;
        }

        @Override
        public int getMaxScale(SqlTypeName typeName) {
            if (typeName == SqlTypeName.DECIMAL) {
                return Types.MAX_NUMERIC_PRECISION;
            }
            return super.getMaxScale(typeName);
        }

        @Override
        public int getMaxPrecision(SqlTypeName typeName) {
            if (typeName == SqlTypeName.DECIMAL) {
                return Types.MAX_NUMERIC_PRECISION;
            }
            return super.getMaxPrecision(typeName);
        }
    };

    private static final CalciteConnectionConfig CONNECTION_CONFIG = connectionConfig();

    /** Sluice's functions first; Calcite's standard and PostgreSQL library without the ones Sluice defines. */
    private static final SqlOperatorTable OPERATORS = operators();

    private static SqlOperatorTable operators() {
        Set<String> defined = new HashSet<>();
        for (String name : PgOperators.names()) {
            defined.add(name.toUpperCase(Locale.ROOT));
        }
        SqlOperatorTable calcite = SqlLibraryOperatorTableFactory.INSTANCE.getOperatorTable(SqlLibrary.STANDARD, SqlLibrary.POSTGRESQL);
        Predicate<SqlOperator> visible = operator -> !(operator instanceof SqlFunction)
                || !defined.contains(operator.getName().toUpperCase(Locale.ROOT));
        SqlOperatorTable filtered = new SqlOperatorTable() {
            @Override
            public void lookupOperatorOverloads(SqlIdentifier name, SqlFunctionCategory category,
                    SqlSyntax syntax, List<SqlOperator> found, SqlNameMatcher matcher) {
                List<SqlOperator> all = new ArrayList<>();
                calcite.lookupOperatorOverloads(name, category, syntax, all, matcher);
                all.stream().filter(visible).forEach(found::add);
            }

            @Override
            public List<SqlOperator> getOperatorList() {
                return calcite.getOperatorList().stream().filter(visible).toList();
            }
        };
        return SqlOperatorTables.chain(PgOperators.table(), filtered);
    }

    private static CalciteConnectionConfig connectionConfig() {
        Properties properties = new Properties();
        properties.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "false");
        properties.setProperty(CalciteConnectionProperty.CONFORMANCE.camelName(), "BABEL");
        properties.setProperty(CalciteConnectionProperty.FUN.camelName(), "standard,postgresql");
        return new CalciteConnectionConfigImpl(properties) {
            @Override
            public SqlConformance conformance() {
                return CONFORMANCE;
            }
        };
    }

    /** Babel's PostgreSQL spellings, with PostgreSQL's strict GROUP BY (a non-grouped column is an error, not ANY_VALUE). */
    private static final SqlConformance CONFORMANCE =
            new SqlDelegatingConformance(SqlConformanceEnum.BABEL) {
                @Override
                public boolean isNonStrictGroupBy() {
                    return false;
                }
            };

    private static final SqlParser.Config PARSER = SqlParser.config()
            .withParserFactory(SqlBabelParserImpl.FACTORY)
            .withConformance(CONFORMANCE)
            .withCaseSensitive(false)
            .withUnquotedCasing(Casing.TO_LOWER)
            .withQuotedCasing(Casing.UNCHANGED);

    /**
     * Calcite's converter asks for a view expander; it calls it only for a view in the schema, and the schemas Sluice gives
     * it hold tables only (there is no CREATE VIEW), so reaching this is a bug, not a missing feature.
     */
    private static final RelOptTable.ViewExpander NO_VIEWS = (rowType, queryString, schemaPath, viewPath) -> {
        throw new IllegalStateException("internal error: the query engine was asked to expand view " + viewPath + ", but Sluice's schemas hold no views");
    };

    private final JavaTypeFactory typeFactory = new PgTypeFactory(TYPE_SYSTEM);
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
            root.add(schema, new DynamicSchema(schema, false));
        }
        searchSchema = root.add("$search", new DynamicSchema("$search", true));
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
        Rewritten rewritten = PgSyntax.rewrite(sql, declaredParameterTypes);
        RelNode optimized;
        RelDataType rowType;
        List<String> names;
        List<SqlType> types;
        List<Optional<ColumnOrigin>> origins;
        try {
            SqlNode parsed = SqlParser.create(rewritten.sql(), PARSER).parseStmt();
            PgRewriter.Result pg = PgRewriter.rewrite(parsed, rewritten);
            CalciteCatalogReader catalog = new CalciteCatalogReader(
                    CalciteSchema.from(root), List.of(searchSchema.getName()), typeFactory, CONNECTION_CONFIG);
            SqlValidator validator = new PgValidator(SqlOperatorTables.chain(OPERATORS, catalog),
                    catalog, typeFactory, SqlValidator.Config.DEFAULT
                            .withConformance(CONFORMANCE)
                            .withTypeCoercionFactory(PgTypeCoercion::new)
                            .withIdentifierExpansion(true)
                            .withDefaultNullCollation(NullCollation.HIGH));
            SqlNode validated = validator.validate(pg.node());
            VolcanoPlanner planner = new VolcanoPlanner(null,
                    Contexts.of(CONNECTION_CONFIG));
            planner.addRelTraitDef(ConventionTraitDef.INSTANCE);
            planner.addRelTraitDef(RelCollationTraitDef.INSTANCE);
            RelOptUtil.registerDefaultRules(planner, false, false);
            // ORDER BY … LIMIT n keeps the n first rows while it reads instead of sorting everything
            planner.addRule(EnumerableRules.ENUMERABLE_LIMIT_SORT_RULE);
            RelOptCluster cluster = RelOptCluster.create(planner,
                    new RexBuilder(typeFactory));
            SqlToRelConverter converter = new SqlToRelConverter(NO_VIEWS, validator, catalog,
                    cluster, PgConvertlets.INSTANCE, SqlToRelConverter.config().withTrimUnusedFields(false));
            RelRoot relRoot = converter.convertQuery(validated, false, true);
            relRoot = relRoot.withRel(converter.flattenTypes(relRoot.rel, true));
            relRoot = relRoot.withRel(RelDecorrelator.decorrelateQuery(relRoot.rel,
                    RelBuilder.proto(Contexts.empty()).create(cluster, catalog)));
            RelNode rel = PgConvertlets.rewriteComparisons(relRoot.project());
            rowType = relRoot.validatedRowType;
            names = ColumnNaming.names(validated, rowType, pg.userAliases());
            types = resultTypes(rel, rowType);
            origins = origins(rel, rowType.getFieldCount());
            // The root's own collation (ORDER BY), simplified: a one-row VALUES is sorted on every column, and Volcano cannot
            // require such a composite trait ("Trait index 1 has multiple values in this trait set").
            RelTraitSet traits = rel.getTraitSet().replace(EnumerableConvention.INSTANCE).simplify();
            optimized = Programs.standard().run(planner, rel, traits, List.of(), List.of());
        } catch (SqlParseException e) {
            int position = e.getPos() == null ? 0 : columnToOffset(rewritten.sql(), e.getPos().getLineNum(), e.getPos().getColumnNum());
            String near = nearToken(rewritten.sql(), position);
            throw new SluiceException(ErrorCode.SYNTAX_ERROR, near.isEmpty() ? "syntax error at end of input" : "syntax error at or near \"" + near + "\"")
                    .withPosition(Math.max(1, rewritten.originalPosition(position) - positionOffset + 1));
        } catch (SluiceException e) {
            throw e;
        } catch (RuntimeException | AssertionError e) {
            throw translate(e, rewritten, positionOffset);
        }
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < rowType.getFieldCount(); i++) {
            RelDataTypeField field = rowType.getFieldList().get(i);
            columns.add(new Column(names.get(i), types.get(i), field.getType().isNullable()));
        }
        List<SqlType> parameterTypes = parameterTypes(optimized, rewritten.parameterCount(), declaredParameterTypes);
        Set<String> referenced = referencedIds(optimized);
        Bindable<?> bindable;
        try {
            bindable = EnumerableInterpretable.toBindable(new HashMap<>(), null, (EnumerableRel) optimized, EnumerableRel.Prefer.ARRAY);
        } catch (RuntimeException e) {
            throw SluiceException.internal(e);
        }
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
            public List<Optional<ColumnOrigin>> columnOrigins() {
                return origins;
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
                            // Rows are arrays, except a one-column row (the value itself) and rows UNNEST builds (lists).
                            Object[] values = current instanceof Object[] array ? array
                                    : columns.size() > 1 && current instanceof List<?> list ? list.toArray() : new Object[] {current};
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
                            throw new NoSuchElementException();
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
        if (cause instanceof ArithmeticException && (message.equals("integer overflow") || message.equals("long overflow")
                || message.equals("short overflow"))) {
            String type = message.startsWith("long") ? "bigint" : message.startsWith("short") ? "smallint" : "integer";
            return new SluiceException(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE, type + " out of range");
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

    private SluiceException translate(Throwable e, Rewritten rewritten, int positionOffset) {
        Throwable cause = e;
        CalciteContextException context = null;
        SluiceException found = null;
        while (cause != null) {
            if (cause instanceof CalciteContextException contextException && context == null) {
                context = contextException;
            }
            if (cause instanceof SluiceException sluiceException) {
                found = sluiceException;
                break;
            }
            if (cause.getCause() == null || cause.getCause() == cause) {
                break;
            }
            cause = cause.getCause();
        }
        if (Boolean.getBoolean("sluice.debugPlanner")) {
            e.printStackTrace();
        }
        int position = 0;
        if (context != null && context.getPosLine() > 0) {
            position = rewritten.originalPosition(columnToOffset(rewritten.sql(), context.getPosLine(), context.getPosColumn()))
                    - positionOffset + 1;
        }
        if (found != null) {
            return position > 0 && found.position().isEmpty() ? found.withPosition(position) : found;
        }
        String message = cause == null ? String.valueOf(e.getMessage()) : String.valueOf(cause.getMessage());
        SluiceException error = CalciteErrors.translate(message);
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

    /**
     * The Sluice types of the result: a column passed through from a table keeps the table's
     * declared type (its length, precision, {@code uint}, {@code list}), a cast the type cast to;
     * otherwise the type Calcite derived.
     */
    private static List<SqlType> resultTypes(RelNode rel, RelDataType rowType) {
        RelMetadataQuery metadata = rel.getCluster().getMetadataQuery();
        RelDataTypeFactory factory = rel.getCluster().getTypeFactory();
        List<SqlType> types = new ArrayList<>();
        for (int i = 0; i < rowType.getFieldCount(); i++) {
            RelDataType type = rowType.getFieldList().get(i).getType();
            SqlType declared = declaredType(rel, i, metadata);
            boolean fits = declared != null
                    && SqlTypeUtil.equalSansNullability(factory, Types.toCalcite(factory, declared, true), type);
            types.add(fits ? declared : Types.fromCalcite(type));
        }
        return types;
    }

    private static List<Optional<ColumnOrigin>> origins(RelNode rel, int count) {
        RelMetadataQuery metadata = rel.getCluster().getMetadataQuery();
        List<Optional<ColumnOrigin>> origins = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            origins.add(Optional.ofNullable(origin(rel, i, metadata)).flatMap(origin -> {
                SluiceTable table = origin.getOriginTable().unwrap(SluiceTable.class);
                return table == null ? Optional.empty() : Optional.of(new ColumnOrigin(table.relation.id(), origin.getOriginColumnOrdinal() + 1));
            }));
        }
        return origins;
    }

    /** The single table column a result field passes through unchanged, or null. */
    private static RelColumnOrigin origin(RelNode rel, int field,
            RelMetadataQuery metadata) {
        Set<RelColumnOrigin> origins = metadata.getColumnOrigins(rel, field);
        if (origins == null || origins.size() != 1) {
            return null;
        }
        RelColumnOrigin origin = origins.iterator().next();
        return origin.isDerived() ? null : origin;
    }

    private static SqlType declaredType(RelNode rel, int field, RelMetadataQuery metadata) {
        if (rel instanceof Project project) {
            RexNode expression = project.getProjects().get(field);
            Optional<CastTarget> cast = PgOperators.castTarget(expression);
            if (cast.isPresent()) {
                return cast.get().type();
            }
            if (expression instanceof RexInputRef input) {
                return declaredType(project.getInput(), input.getIndex(), metadata);
            }
            return null;
        }
        RelColumnOrigin origin = origin(rel, field, metadata);
        SluiceTable table = origin == null ? null : origin.getOriginTable().unwrap(SluiceTable.class);
        return table == null ? null : table.relation.desc().column(origin.getOriginColumnOrdinal()).type();
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
                Collections.reverse(path);
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
        public Schema snapshot(SchemaVersion version) {
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
            Instant instant = Instant.now().truncatedTo(ChronoUnit.MICROS);
            long now = instant.toEpochMilli();
            values.put(PgDatetime.NOW, instant);
            values.put(PgSession.CONTEXT, context);
            String user = context.sessionVariables().getOrDefault("session_authorization", "materialize");
            values.put(Variable.USER.camelName, user);
            values.put(Variable.SYSTEM_USER.camelName, user);
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

}
