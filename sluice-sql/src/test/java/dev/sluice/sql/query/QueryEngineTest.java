package dev.sluice.sql.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.Column;
import dev.sluice.common.type.RelationDesc;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.type.TypeKind;
import dev.sluice.common.value.Interval;
import dev.sluice.common.value.Jsonb;
import dev.sluice.common.value.Row;
import dev.sluice.common.value.codec.PgText;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class QueryEngineTest {
    private static final RelationDesc ORDERS = RelationDesc.of(List.of(
            new Column("id", SqlType.INTEGER, false),
            new Column("item", SqlType.TEXT, true),
            new Column("amount", SqlType.numeric(10, 2), true),
            new Column("day", SqlType.DATE, true),
            new Column("token", SqlType.UUID, true)));
    private static final List<Row> ROWS = List.of(
            Row.of(1, "apple", new BigDecimal("1.50"), LocalDate.of(2024, 1, 1), UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")),
            Row.of(2, "pear", new BigDecimal("2.25"), LocalDate.of(2024, 1, 2), null),
            Row.of(3, "apple", new BigDecimal("3.00"), null, null));
    private static final RelationDesc EVENTS = RelationDesc.of(List.of(
            new Column("id", SqlType.INTEGER, false),
            new Column("at", SqlType.withPrecision(TypeKind.TIMESTAMP, 6), true),
            new Column("at_tz", SqlType.TIMESTAMPTZ, true),
            new Column("clock", SqlType.TIME, true),
            new Column("took", SqlType.INTERVAL, true),
            new Column("doc", SqlType.JSONB, true),
            new Column("tags", SqlType.array(SqlType.TEXT), true),
            new Column("counter", SqlType.UINT8, true),
            new Column("code", SqlType.varchar(5), true)));
    private static final List<Row> EVENT_ROWS = List.of(
            Row.of(1, LocalDateTime.of(2024, 1, 1, 10, 0, 0, 123_456_000), Instant.parse("2024-01-01T10:00:00.123456Z"),
                    LocalTime.of(11, 12, 13, 456_789_000), new Interval(1, 2, 3_000_000L), new Jsonb("{\"a\": 1, \"b\": [1, 2]}"),
                    List.of("x", "y"), new BigInteger("18446744073709551615"), "ab"),
            Row.of(2, LocalDateTime.of(2024, 2, 1, 0, 0), null, null, null, null, null, null, null));

    private final QueryEngine engine = new QueryEngine(new RelationResolver() {
        @Override
        public List<String> schemaNames() {
            return List.of("public");
        }

        @Override
        public List<String> relationNames(String schema) {
            return List.of("orders", "events");
        }

        @Override
        public Optional<ResolvedRelation> resolve(String schema, String name) {
            return switch (name) {
                case "orders" -> Optional.of(new ResolvedRelation("u1", "public", "orders", ORDERS, context -> ROWS.iterator()));
                case "events" -> Optional.of(new ResolvedRelation("u2", "public", "events", EVENTS, context -> EVENT_ROWS.iterator()));
                default -> Optional.empty();
            };
        }

        @Override
        public List<String> searchPath() {
            return List.of("public");
        }
    });

    private List<Row> run(String sql, Object... parameters) {
        PreparedQuery query = engine.prepare(sql, List.of());
        Iterator<Row> rows = query.execute(List.of(parameters), new QueryContext(0, Map.of("search_path", "public")));
        List<Row> result = new ArrayList<>();
        rows.forEachRemaining(result::add);
        return result;
    }

    /** The first row as PostgreSQL's text output, one string per column (null for NULL). */
    private List<String> text(String sql) {
        PreparedQuery query = engine.prepare(sql, List.of());
        Row row = query.execute(List.of(), new QueryContext(0, Map.of())).next();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < query.resultColumns().size(); i++) {
            values.add(row.get(i) == null ? null : PgText.format(query.resultColumns().get(i).type(), row.get(i)));
        }
        return values;
    }

    private List<String> names(String sql) {
        return engine.prepare(sql, List.of()).resultColumns().stream().map(Column::name).toList();
    }

    private static void assertFails(ErrorCode code, String message, Runnable action) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(SluiceException.class, e -> {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void selectsWithFiltersAggregatesAndOrder() {
        assertThat(run("SELECT item, sum(amount) AS total FROM orders GROUP BY item ORDER BY item"))
                .containsExactly(Row.of("apple", new BigDecimal("4.50")), Row.of("pear", new BigDecimal("2.25")));
        assertThat(run("select id from orders where day >= DATE '2024-01-02' or day is null order by id desc limit 1"))
                .containsExactly(Row.of(3));
        assertThat(run("SELECT 5 / 2, 'a' || 'b'")).containsExactly(Row.of(2, "ab"));
    }

    @Test
    void keepsTypesOfColumns() {
        PreparedQuery query = engine.prepare("SELECT * FROM orders", List.of());
        assertThat(query.resultColumns()).extracting(Column::type)
                .containsExactly(SqlType.INTEGER, SqlType.TEXT, SqlType.numeric(10, 2), SqlType.DATE, SqlType.UUID);
        assertThat(run("SELECT * FROM orders WHERE id = 1")).containsExactly(ROWS.get(0));
        assertThat(query.referencedRelationIds()).containsExactly("u1");
        assertThat(query.columnOrigins()).containsExactly(Optional.of(new ColumnOrigin("u1", 1)), Optional.of(new ColumnOrigin("u1", 2)),
                Optional.of(new ColumnOrigin("u1", 3)), Optional.of(new ColumnOrigin("u1", 4)), Optional.of(new ColumnOrigin("u1", 5)));
    }

    @Test
    void passedThroughColumnsKeepTheirDeclaredTypesAndComputedOnesHaveNoOrigin() {
        PreparedQuery query = engine.prepare("SELECT counter, code, at, id + 1, counter::uint8 FROM events", List.of());
        assertThat(query.resultColumns()).extracting(Column::type).containsExactly(SqlType.UINT8, SqlType.varchar(5),
                SqlType.withPrecision(TypeKind.TIMESTAMP, 6), SqlType.INTEGER, SqlType.UINT8);
        assertThat(query.columnOrigins().get(0)).contains(new ColumnOrigin("u2", 8));
        assertThat(query.columnOrigins().get(3)).isEmpty();
    }

    @Test
    void bindsParameters() {
        PreparedQuery query = engine.prepare("SELECT item FROM orders WHERE id = $1", List.of());
        assertThat(query.parameterTypes()).containsExactly(SqlType.INTEGER);
        assertThat(run("SELECT item FROM orders WHERE id = $1", 2)).containsExactly(Row.of("pear"));
        assertThat(engine.prepare("SELECT $1::int4 + 1, date_trunc('day', $2)", List.of()).parameterTypes())
                .containsExactly(SqlType.INTEGER, SqlType.TIMESTAMP);
    }

    @Test
    void hashFunctionsMatchReferenceVectors() {
        assertThat(run("SELECT kafka_murmur2('foobar'), crc32('foobar')")).containsExactly(Row.of(1357151166, 2666930069L));
        int apple = dev.sluice.common.hash.KafkaMurmur2.hash("apple".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(run("SELECT kafka_murmur2('apple') % 16")).containsExactly(Row.of(apple % 16));
    }

    @Test
    void errorsCarryPostgresSqlStates() {
        assertThatThrownBy(() -> run("SELECT * FROM nope"))
                .isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNDEFINED_TABLE))
                .hasMessage("relation \"nope\" does not exist");
        assertThatThrownBy(() -> run("SELECT nope FROM orders"))
                .hasMessage("column \"nope\" does not exist");
        assertThatThrownBy(() -> run("SELEC 1"))
                .isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SYNTAX_ERROR));
        assertThatThrownBy(() -> run("SELECT 1 / 0"))
                .isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DIVISION_BY_ZERO));
    }

    @Test
    void compilesExpressionsOverARow() {
        QueryEngine.CompiledExpression expression = engine.compileExpression("a * 2 + 1", List.of(new Column("a", SqlType.INTEGER, true)),
                Optional.of(SqlType.BIGINT));
        assertThat(expression.evaluate(Row.of(20), List.of(), new QueryContext(0, Map.of()))).isEqualTo(41L);
        assertThat(expression.evaluate(Row.of((Object) null), List.of(), new QueryContext(0, Map.of()))).isNull();
    }

    @Test
    void castsKnowPostgresTypeNamesAndPrintAsPsql() {
        assertThat(text("SELECT 'x'::text, CAST(1 AS text), '7'::int4, '8'::int8, '1.5'::float8, 'yes'::bool, '\\x01ff'::bytea, "
                + "'{\"b\": 1, \"a\": 2}'::jsonb, '2024-01-01 10:00:00.5+02'::timestamptz, 'x'::pg_catalog.text, 'abc'::\"char\", 'n'::name, "
                + "'42'::oid, 65535::uint2, 5::uint8, '{a=>1}'::map[text=>int], '{1,2}'::int list, '{1,2}'::int[]"))
                .containsExactly("x", "1", "7", "8", "1.5", "t", "\\x01ff", "{\"a\": 2, \"b\": 1}", "2024-01-01 08:00:00.5+00", "x", "abc", "n", "42",
                        "65535", "5", "{a=>1}", "{1,2}", "{1,2}");
        assertThat(text("SELECT true::text, 1.5::real::text, 2.5::int, (-2.5)::int, 2.5::float8::int, 'abcdef'::varchar(3), 'a '::text || '|'"))
                .containsExactly("true", "1.5", "3", "-3", "2", "abc", "a |");
        assertThat(text("SELECT took::text, doc::text, at::text, at_tz::text, clock::text, counter::text FROM events WHERE id = 1"))
                .containsExactly("1 mon 2 days 00:00:03", "{\"a\": 1, \"b\": [1, 2]}", "2024-01-01 10:00:00.123456", "2024-01-01 10:00:00.123456+00",
                        "11:12:13.456789", "18446744073709551615");
    }

    @Test
    void infixCastBindsTighterThanComparisonsAsInPostgres() {
        assertThat(run("SELECT id FROM orders WHERE id = 1::integer")).containsExactly(Row.of(1));
        assertThat(run("SELECT 10 - 2::int * 3, -1::int, ('1' || '2')::int")).containsExactly(Row.of(4, -1, 12));
    }

    @Test
    void castsThatPostgresRefusesFailWith42846() {
        assertFails(ErrorCode.CANNOT_COERCE, "cannot cast type date to integer", () -> run("SELECT day::int FROM orders"));
        assertFails(ErrorCode.UNDEFINED_OBJECT, "type \"nosuchtype\" does not exist", () -> run("SELECT 1::nosuchtype"));
        assertFails(ErrorCode.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type integer: \"x\"", () -> run("SELECT 'x'::int"));
    }

    @Test
    void constantCastsOfEveryKindPlan() {
        assertThat(run("SELECT 1::bigint, 2::int, true::boolean")).containsExactly(Row.of(1L, 2, true));
        assertThat(run("SELECT 1::bigint, 2::int, true::boolean ORDER BY 1")).containsExactly(Row.of(1L, 2, true));
    }

    @Test
    void intervalsAndDatetimeArithmeticFollowPostgres() {
        assertThat(text("SELECT interval '1 day', '1 day'::interval, interval '2' hour, at + interval '1 day', at - '1 hour'::interval, "
                + "date '2024-01-31' + interval '1 month', date '2024-03-01' - date '2024-01-01', day + 7, '1 day'::interval * 2.5, "
                + "-interval '1 day', at - timestamp '2023-12-31 10:00:00', interval '1 day' + '2 hours' FROM events, orders "
                + "WHERE events.id = 1 AND orders.id = 1"))
                .containsExactly("1 day", "1 day", "02:00:00", "2024-01-02 10:00:00.123456", "2024-01-01 09:00:00.123456", "2024-02-29 00:00:00",
                        "60", "2024-01-08", "2 days 12:00:00", "-1 days", "1 day 00:00:00.123456", "1 day 02:00:00");
        assertThat(run("SELECT id FROM events WHERE at > '2024-01-15' AND at BETWEEN '2024-01-01' AND now()")).containsExactly(Row.of(2));
        assertThat(run("SELECT id FROM events WHERE took = '1 mon 2 days 3 seconds' AND took < interval '1 year'")).containsExactly(Row.of(1));
        assertThat(run("SELECT id FROM events WHERE at IN ('2024-02-01 00:00:00')")).containsExactly(Row.of(2));
        assertThat(text("SELECT coalesce(at_tz, now()) > '2000-01-01', coalesce(at, '2000-01-01') FROM events WHERE id = 2"))
                .containsExactly("t", "2024-02-01 00:00:00");
    }

    @Test
    void timestampsKeepMicrosecondsThroughQueries() {
        assertThat(run("SELECT at, at_tz, clock FROM events WHERE id = 1")).containsExactly(Row.of(LocalDateTime.of(2024, 1, 1, 10, 0, 0,
                123_456_000), Instant.parse("2024-01-01T10:00:00.123456Z"), LocalTime.of(11, 12, 13, 456_789_000)));
        assertThat(text("SELECT max(at), to_char(min(at), 'HH24:MI:SS.US'), extract(microseconds from at), date_trunc('second', at) "
                + "FROM events WHERE id = 1 GROUP BY at"))
                .containsExactly("2024-01-01 10:00:00.123456", "10:00:00.123456", "123456", "2024-01-01 10:00:00");
        assertThat(run("SELECT id FROM events ORDER BY at DESC")).containsExactly(Row.of(2), Row.of(1));
    }

    @Test
    void resultColumnsAreNamedAsPostgresNamesThem() {
        assertThat(names("SELECT count(*), length('a'), upper(item), coalesce(1, 2), greatest(1, 2), 1::text, id::text, "
                + "CASE WHEN true THEN 1 END, id + 1, string_agg(item, ','), extract(year from day), substring(item, 1, 2), now(), "
                + "current_date, trim(item), 1::integer FROM orders GROUP BY id, item, day"))
                .containsExactly("count", "length", "upper", "coalesce", "greatest", "text", "id", "case", "?column?", "string_agg", "extract",
                        "substring", "now", "current_date", "btrim", "int4");
        assertThat(names("SELECT row_number() OVER (), id AS number, o.id FROM orders o")).containsExactly("row_number", "number", "id");
        assertThat(names("SELECT a.id, b.id, count(*), count(*) FROM orders a JOIN orders b ON a.id = b.id GROUP BY a.id, b.id"))
                .containsExactly("id", "id", "count", "count");
        assertThat(names("VALUES (1, 'a')")).containsExactly("column1", "column2");
        assertThat(names("SELECT * FROM (SELECT count(*) FROM orders) AS s")).containsExactly("count");
        assertThat(run("SELECT s.count FROM (SELECT count(*) FROM orders) AS s")).containsExactly(Row.of(3L));
    }

    @Test
    void selectWithoutFromAcceptsWhereGroupByAndHaving() {
        assertThat(run("SELECT 1 WHERE true")).containsExactly(Row.of(1));
        assertThat(run("SELECT 1 WHERE false")).isEmpty();
        assertThat(run("SELECT count(*) HAVING count(*) > 0")).containsExactly(Row.of(1L));
    }

    @Test
    void postgresFunctionsWork() {
        assertThat(text("SELECT date_trunc('month', at), to_char(at, 'YYYY-MM-DD HH24:MI'), date_part('dow', day), age(timestamp '2024-03-01', "
                + "timestamp '2024-01-31'), to_timestamp(0), array_to_string(tags, ','), string_to_array('a,b', ','), "
                + "array_to_string(ARRAY[1, NULL, 3], '-', '*'), format('%s|%I|%L', 'a', 'B c', 'it''s'), concat('a', 1, NULL, true), "
                + "pg_typeof(1), jsonb_build_object('k', 1), jsonb_typeof(doc), to_char(1234.5, '9999.99') FROM events, orders "
                + "WHERE events.id = 1 AND orders.id = 1"))
                .containsExactly("2024-01-01 00:00:00", "2024-01-01 10:00", "1", "1 mon 1 day", "1970-01-01 00:00:00+00", "x,y", "{a,b}", "1-*-3",
                        "a|\"B c\"|'it''s'", "a1true", "integer", "{\"k\": 1}", "object", " 1234.50");
        assertThat(run("SELECT now() = current_timestamp, now() >= timestamptz '2024-01-01'")).containsExactly(Row.of(true, true));
    }

    @Test
    void stringAggSkipsNullsKeepsOrderAndIsLinearInTheGroupsSize() {
        assertThat(text("SELECT string_agg(item, ', ') FROM orders")).containsExactly("apple, pear, apple");
        assertThat(text("SELECT string_agg(item, ',' ORDER BY item DESC, id) FROM orders")).containsExactly("pear,apple,apple");
        assertThat(text("SELECT string_agg(DISTINCT item, '|' ORDER BY item) FROM orders")).containsExactly("apple|pear");
        assertThat(text("SELECT string_agg(item, ',') FILTER (WHERE id > 1) FROM orders")).containsExactly("pear,apple");
        assertThat(run("SELECT item, string_agg(id::text, '+' ORDER BY id) AS ids FROM orders GROUP BY item ORDER BY item"))
                .containsExactly(Row.of("apple", "1+3"), Row.of("pear", "2"));
        assertThat(names("SELECT string_agg(item, ',') FROM orders")).containsExactly("string_agg");
        // NULLs are skipped; nothing left (or no rows) is NULL, not an empty string.
        assertThat(text("SELECT string_agg(CASE WHEN id = 2 THEN NULL ELSE item END, ',') FROM orders")).containsExactly("apple,apple");
        assertThat(run("SELECT string_agg(CAST(NULL AS text), ',') FROM orders")).containsExactly(Row.of((Object) null));
        assertThat(run("SELECT string_agg(item, ',') FROM orders WHERE id > 5")).containsExactly(Row.of((Object) null));
        // A separator that is not a literal keeps Calcite's implementation; over a window, string_agg and array_agg are refused.
        assertThat(text("SELECT string_agg(item, item) FROM orders WHERE id < 3")).containsExactly("applepearpear");
        assertFails(ErrorCode.FEATURE_NOT_SUPPORTED, "string_agg as a window function is not supported yet",
                () -> run("SELECT string_agg(item, ',') OVER (ORDER BY id) FROM orders"));
        assertFails(ErrorCode.FEATURE_NOT_SUPPORTED, "array_agg as a window function is not supported yet",
                () -> run("SELECT array_agg(item) OVER (ORDER BY id) FROM orders"));
        assertThat(run("SELECT (sum(id) OVER (ORDER BY id))::text || '/' || (count(*) OVER (ORDER BY id))::text FROM orders ORDER BY id"))
                .as("other aggregates keep their window frame").containsExactly(Row.of("1/1"), Row.of("3/2"), Row.of("6/3"));
        // 200 000 rows: Calcite's string_agg took minutes for this (a new string per row).
        assertThat(text("SELECT length(string_agg('abcdefghij', ',')) FROM generate_series(1, 200000)")).containsExactly("2199999");
    }

    @Test
    void clockKeywordsTakeAPrecisionAsInPostgres() {
        String sql = "SELECT current_timestamp, current_timestamp(3), localtimestamp(0), localtime(1), current_time(2), current_timestamp(9)";
        assertThat(engine.prepare(sql, List.of()).resultColumns()).extracting(Column::type).containsExactly(SqlType.TIMESTAMPTZ,
                SqlType.withPrecision(TypeKind.TIMESTAMPTZ, 3), SqlType.withPrecision(TypeKind.TIMESTAMP, 0), SqlType.withPrecision(TypeKind.TIME, 1),
                SqlType.withPrecision(TypeKind.TIME, 2), SqlType.withPrecision(TypeKind.TIMESTAMPTZ, 6));
        assertThat(names(sql)).containsExactly("current_timestamp", "current_timestamp", "localtimestamp", "localtime", "current_time",
                "current_timestamp");
        List<String> shown = text(sql);
        // Rounded, so at most that many fractional digits (PostgreSQL drops trailing zeros).
        assertThat(shown.get(1)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d{1,3})?\\+00");
        assertThat(shown.get(2)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        assertThat(shown.get(3)).matches("\\d\\d:\\d\\d:\\d\\d(\\.\\d)?");
        assertThat(run("SELECT current_timestamp(6) = current_timestamp, current_timestamp(0) <= current_timestamp + interval '1 second'"))
                .containsExactly(Row.of(true, true));
    }

    @Test
    void jsonbAndArrayOperatorsWork() {
        assertThat(text("SELECT doc -> 'b', doc ->> 'a', doc -> 'b' ->> 1, doc #> '{b,0}', doc @> '{\"a\": 1}', doc ? 'a', doc ?| '{x,b}', "
                + "doc - 'a', doc || '{\"c\": true}', tags @> ARRAY['x'], tags && ARRAY['z'], 'y' = ANY(tags), tags || 'z' "
                + "FROM events WHERE id = 1"))
                .containsExactly("[1, 2]", "1", "2", "1", "t", "t", "t", "{\"b\": [1, 2]}", "{\"a\": 1, \"b\": [1, 2], \"c\": true}", "t", "f", "t",
                        "{x,y,z}");
        assertThat(run("SELECT id FROM events WHERE doc ->> 'a' = '1'")).containsExactly(Row.of(1));
    }

    @Test
    void setReturningFunctionsMakeRows() {
        assertThat(run("SELECT * FROM generate_series(1, 3)")).containsExactly(Row.of(1), Row.of(2), Row.of(3));
        assertThat(names("SELECT * FROM generate_series(1, 3) g")).containsExactly("g");
        assertThat(run("SELECT g.n FROM generate_series(10, 1, -4) AS g(n)")).containsExactly(Row.of(10), Row.of(6), Row.of(2));
        assertThat(run("SELECT generate_series(1, 2), 'x'")).containsExactly(Row.of(1, "x"), Row.of(2, "x"));
        assertThat(run("SELECT id, unnest(tags) FROM events")).containsExactly(Row.of(1, "x"), Row.of(1, "y"));
        assertThat(run("SELECT * FROM unnest(ARRAY['a', 'b']) WITH ORDINALITY AS u(v, n)")).containsExactly(Row.of("a", 1), Row.of("b", 2));
        assertThat(text("SELECT count(*) FROM generate_series(timestamp '2024-01-01', timestamp '2024-01-02', interval '1 hour')"))
                .containsExactly("25");
    }

    @Test
    void unknownFunctionsAndOperatorsFailWith42883AndAHint() {
        assertThatThrownBy(() -> run("SELECT no_such_function(1)")).isInstanceOfSatisfying(SluiceException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNDEFINED_FUNCTION);
            assertThat(e.hint().orElse("")).contains("explicit type casts");
        });
        assertFails(ErrorCode.UNDEFINED_FUNCTION, "operator does not exist: timestamp without time zone + integer",
                () -> run("SELECT at + 1 FROM events"));
        assertFails(ErrorCode.UNDEFINED_FUNCTION, "function date_trunc(text, integer) does not exist", () -> run("SELECT date_trunc('day', 1)"));
        assertFails(ErrorCode.GROUPING_ERROR, "column \"item\" must appear in the GROUP BY clause or be used in an aggregate function",
                () -> run("SELECT item, count(*) FROM orders"));
    }

    @Test
    void orderByWithLimitAndOffsetReturnsThoseRowsOfTheWholeOrder() {
        assertThat(run("SELECT id FROM orders ORDER BY day DESC LIMIT 2")).containsExactly(Row.of(3), Row.of(2));
        assertThat(run("SELECT id FROM orders ORDER BY day LIMIT 1 OFFSET 1")).containsExactly(Row.of(2));
        assertThat(run("SELECT id FROM orders ORDER BY amount DESC, id LIMIT 5 OFFSET 2")).containsExactly(Row.of(1));
        assertThat(run("SELECT id FROM orders ORDER BY id LIMIT 0")).isEmpty();
    }

    @Test
    void constantCastsInFiltersAreCheckedAsTheyAreComputedOncePerQuery() {
        assertThat(run("SELECT id FROM events WHERE at > TIMESTAMP '2024-01-15 00:00:00'")).containsExactly(Row.of(2));
        assertThat(run("SELECT id FROM events WHERE at > '2024-01-01 10:00:00.123455' ORDER BY id")).containsExactly(Row.of(1), Row.of(2));
        assertFails(ErrorCode.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type timestamp: \"soon\"",
                () -> run("SELECT id FROM events WHERE at > 'soon'::timestamp"));
    }
}
