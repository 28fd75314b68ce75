package dev.sluice.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/** What a PostgreSQL user types, through pgJDBC against a real Sluice server: PostgreSQL's results, names and SQLSTATEs. */
class QueryCompatibilityIT {
    private static TestServer server;
    private static Connection connection;

    @BeforeAll
    static void start() throws SQLException {
        server = new TestServer("127.0.0.1:1");
        connection = server.connect();
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE events (id int PRIMARY KEY, at timestamp, at_tz timestamptz, clock time, took interval, doc jsonb, "
                    + "tags text[], name text)");
            statement.execute("INSERT INTO events VALUES (1, '2024-01-01 10:00:00.123456', '2024-01-01 10:00:00.123456+02', '11:12:13.456789', "
                    + "'1 day 2 hours', '{\"user\": {\"name\": \"ann\"}, \"n\": [1, 2]}', '{red,blue}', 'first'), "
                    + "(2, '2024-02-01 00:00:00', NULL, NULL, NULL, NULL, NULL, 'second')");
        }
    }

    @AfterAll
    static void stop() throws SQLException {
        connection.close();
        server.close();
    }

    /** The first row's values as strings (PostgreSQL's text output). */
    private static List<String> row(String sql) throws SQLException {
        List<List<String>> rows = SqlRows.query(connection, sql);
        assertThat(rows).as(sql).isNotEmpty();
        return rows.get(0);
    }

    private static List<String> column(String sql) throws SQLException {
        return SqlRows.query(connection, sql).stream().map(row -> row.get(0)).toList();
    }

    private static List<String> labels(String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            ResultSetMetaData metadata = result.getMetaData();
            List<String> labels = new ArrayList<>();
            for (int i = 1; i <= metadata.getColumnCount(); i++) {
                labels.add(metadata.getColumnLabel(i));
            }
            return labels;
        }
    }

    private static PSQLException failure(String sql) {
        PSQLException[] caught = new PSQLException[1];
        assertThatThrownBy(() -> row(sql)).isInstanceOfSatisfying(PSQLException.class, e -> caught[0] = e);
        return caught[0];
    }

    @Test
    void charColumnsCompareWithoutTheirPadding() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE padded (x char(5), y varchar(5))");
            statement.execute("INSERT INTO padded VALUES ('abc', 'abc'), ('b', 'b')");
        }
        assertThat(row("SELECT x = 'abc', x = 'abc  ', x = y, x < 'abd', x <> 'abc', x IN ('abc', 'z'), 'a '::char(3) = 'a', 'a ' = 'a' "
                + "FROM padded WHERE y = 'abc'")).containsExactly("t", "t", "t", "t", "f", "t", "t", "f");
        assertThat(column("SELECT x FROM padded WHERE x IN ('abc', 'b') ORDER BY x")).containsExactly("abc  ", "b    ");
    }

    @Test
    void timestampsAreReadBackWithMicroseconds() throws SQLException {
        assertThat(row("SELECT at, at_tz, clock FROM events WHERE id = 1"))
                .containsExactly("2024-01-01 10:00:00.123456", "2024-01-01 08:00:00.123456+00", "11:12:13.456789");
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery("SELECT at FROM events WHERE id = 1")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getTimestamp(1).getNanos()).isEqualTo(123_456_000);
        }
        assertThat(row("SELECT to_char(at, 'HH24:MI:SS.US'), extract(microseconds from at), at + interval '1 microsecond' FROM events WHERE id = 1"))
                .containsExactly("10:00:00.123456", "123456", "2024-01-01 10:00:00.123457");
    }

    @Test
    void castsUsePostgresTypeNamesAndTextOutput() throws SQLException {
        assertThat(row("SELECT 'x'::text, CAST(1 AS text), '7'::int4, 8::int8, '1.5'::float8, 'on'::bool, '\\x0aff'::bytea, '{\"a\":1}'::jsonb, "
                + "'2024-01-01 10:00+02'::timestamptz, 'x'::pg_catalog.text, 'ab'::\"char\", 'n'::name, '42'::oid, true::text"))
                .containsExactly("x", "1", "7", "8", "1.5", "t", "\\x0aff", "{\"a\": 1}", "2024-01-01 08:00:00+00", "x", "ab", "n", "42", "true");
        assertThat(row("SELECT 1::bigint, 2::int, true::boolean")).containsExactly("1", "2", "t");
        assertThat(column("SELECT id FROM events WHERE id = 1::integer")).containsExactly("1");
    }

    @Test
    void intervalsAndDatetimeArithmeticWork() throws SQLException {
        assertThat(row("SELECT interval '1 day', '1 day'::interval, at + interval '1 day', at - '1 hour'::interval, took * 2, "
                + "date '2024-03-01' - date '2024-01-01', date '2024-01-31' + interval '1 month', now() - at > interval '1 day' FROM events WHERE id = 1"))
                .containsExactly("1 day", "1 day", "2024-01-02 10:00:00.123456", "2024-01-01 09:00:00.123456", "2 days 04:00:00", "60",
                        "2024-02-29 00:00:00", "t");
        assertThat(column("SELECT id FROM events WHERE at > '2024-01-15' ORDER BY id")).containsExactly("2");
        assertThat(column("SELECT id FROM events WHERE at >= now() - interval '100 years' ORDER BY id")).containsExactly("1", "2");
    }

    @Test
    void resultColumnsHavePostgresNames() throws SQLException {
        assertThat(labels("SELECT count(*), length(name), upper(name), coalesce(id, 0), greatest(id, 1), 1::text, id::text, "
                + "CASE WHEN true THEN 1 END, id + 1, string_agg(name, ','), extract(year from at), substring(name, 1, 2), "
                + "row_number() OVER () FROM events GROUP BY id, name, at"))
                .containsExactly("count", "length", "upper", "coalesce", "greatest", "text", "id", "case", "?column?", "string_agg", "extract",
                        "substring", "row_number");
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery("SELECT count(*) FROM events")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getLong("count")).isEqualTo(2);
        }
    }

    @Test
    void selectWithoutFromAcceptsWhere() throws SQLException {
        assertThat(column("SELECT 1 WHERE true")).containsExactly("1");
        assertThat(column("SELECT 1 WHERE false")).isEmpty();
    }

    @Test
    void commonPostgresFunctionsWork() throws SQLException {
        assertThat(row("SELECT date_trunc('month', at), to_char(at, 'YYYY-MM-DD'), date_part('year', at), array_to_string(tags, '/'), "
                + "string_to_array('a,b', ','), now() <= now(), current_date = now()::date, format('%s=%L', 'k', 'v'), "
                + "concat(name, '-', id), jsonb_typeof(doc), to_timestamp(0), age(timestamp '2024-03-01', timestamp '2024-01-31') "
                + "FROM events WHERE id = 1"))
                .containsExactly("2024-01-01 00:00:00", "2024-01-01", "2024", "red/blue", "{a,b}", "t", "t", "k='v'", "first-1", "object",
                        "1970-01-01 00:00:00+00", "1 mon 1 day");
        assertThat(column("SELECT * FROM generate_series(1, 3)")).containsExactly("1", "2", "3");
        assertThat(column("SELECT unnest(tags) FROM events WHERE id = 1")).containsExactly("red", "blue");
    }

    @Test
    void jsonbOperatorsWork() throws SQLException {
        assertThat(row("SELECT doc -> 'user', doc -> 'user' ->> 'name', doc #>> '{n,1}', doc @> '{\"n\": [2]}', doc ? 'user', "
                + "doc - 'n' FROM events WHERE id = 1"))
                .containsExactly("{\"name\": \"ann\"}", "ann", "2", "t", "t", "{\"user\": {\"name\": \"ann\"}}");
        assertThat(column("SELECT id FROM events WHERE doc -> 'user' ->> 'name' = 'ann'")).containsExactly("1");
    }

    @Test
    void parametersTakeTheTypesTheirPlaceNeeds() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT id FROM events WHERE at >= ? AND date_trunc('day', ?) = ?::timestamp")) {
            statement.setTimestamp(1, Timestamp.valueOf(LocalDateTime.of(2024, 1, 15, 0, 0)));
            statement.setTimestamp(2, Timestamp.valueOf(LocalDateTime.of(2024, 1, 1, 10, 0)));
            statement.setString(3, "2024-01-01");
            try (ResultSet result = statement.executeQuery()) {
                assertThat(result.next()).isTrue();
                assertThat(result.getInt(1)).isEqualTo(2);
                assertThat(result.next()).isFalse();
            }
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT ?::int4 + 1")) {
            statement.setInt(1, 41);
            try (ResultSet result = statement.executeQuery()) {
                assertThat(result.next()).isTrue();
                assertThat(result.getInt(1)).isEqualTo(42);
            }
        }
    }

    @Test
    void badInputGetsPostgresSqlStatesAndHints() {
        PSQLException unknownFunction = failure("SELECT no_such_function(1)");
        assertThat(unknownFunction.getSQLState()).isEqualTo("42883");
        assertThat(unknownFunction.getServerErrorMessage().getHint()).contains("explicit type casts");
        assertThat(failure("SELECT at + 1 FROM events").getMessage()).contains("operator does not exist: timestamp without time zone + integer");
        assertThat(failure("SELECT 1::nosuchtype").getSQLState()).isEqualTo("42704");
        assertThat(failure("SELECT at::int FROM events").getSQLState()).isEqualTo("42846");
        assertThat(failure("SELECT 'x'::int").getSQLState()).isEqualTo("22P02");
        assertThat(failure("SELECT name, count(*) FROM events").getSQLState()).isEqualTo("42803");
        assertThat(failure("SELECT * FROM events WHERE id").getSQLState()).isEqualTo("42804");
        assertThat(failure("SELECT date_trunc('fortnight', at) FROM events").getSQLState()).isEqualTo("22023");
        assertThat(failure("SELECT 2147483647 + 1").getSQLState()).isEqualTo("22003");
        assertThat(failure("SELECT 'nope'::regclass").getMessage()).contains("relation \"nope\" does not exist");
        assertThat(failure("SELECT 'nope'::regclass").getSQLState()).isEqualTo("42P01");
    }

    @Test
    void objectNamesCastToRegclassAreLookedUp() throws SQLException {
        assertThat(labels("SELECT 'events'::regclass, 'pg_class'::regclass")).containsExactly("regclass", "regclass");
        assertThat(row("SELECT 'pg_class'::regclass, 'public.events'::regclass = 'events'::regclass, 'int4'::regtype"))
                .containsExactly("1259", "t", "23");
        assertThat(row("SELECT relname FROM pg_class WHERE oid = 'events'::regclass")).containsExactly("events");
    }

    @Test
    void commonQueriesNeverFailWithAnInternalError() throws SQLException {
        String[] queries = {
            "SELECT to_char(now(), 'Day, DD Mon YYYY HH12:MI AM')", "SELECT to_char(1234.5, 'FM9999.00')", "SELECT date_trunc('week', now())",
            "SELECT extract(epoch from now()) > 0", "SELECT now()::date", "SELECT current_timestamp, localtimestamp, current_time",
            "SELECT coalesce(at_tz, now()) FROM events", "SELECT CASE WHEN id = 1 THEN at ELSE '2000-01-01' END FROM events",
            "SELECT max(at), min(took), count(DISTINCT name) FROM events", "SELECT name FROM events ORDER BY at DESC NULLS LAST LIMIT 1 OFFSET 1",
            "SELECT * FROM events e JOIN events f ON e.at = f.at", "SELECT id FROM events WHERE at BETWEEN '2024-01-01' AND now()",
            "SELECT 'red' = ANY(tags), tags || 'green'::text, array_length(tags, 1) FROM events", "SELECT jsonb_build_object('id', id) FROM events",
            "SELECT md5('a'), lpad('7', 3, '0'), split_part('a.b', '.', 2), initcap('hello world'), reverse('abc')",
            "SELECT round(2.567, 2), trunc(2.567, 1), abs(-3), mod(7, 3), power(2, 8), greatest(1, 2, 3)",
            "WITH recent AS (SELECT * FROM events WHERE at > '2024-01-15') SELECT count(*) FROM recent",
            "SELECT name, count(*) FROM events GROUP BY name HAVING count(*) > 0 ORDER BY 1",
            "SELECT 1 UNION SELECT 2 ORDER BY 1", "VALUES (1, 'a'), (2, 'b')", "SELECT * FROM (VALUES (1)) AS v",
            "SELECT pg_typeof(at), pg_typeof(took) FROM events", "SELECT version(), current_database(), current_schema(), current_user",
            "SELECT current_setting('server_version_num')", "SELECT * FROM generate_series(now(), now() + interval '2 hours', interval '1 hour')",
        };
        for (String query : queries) {
            try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(query)) {
                while (result.next()) {
                    for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                        result.getString(i);
                    }
                }
            } catch (PSQLException e) {
                throw new AssertionError(query + " failed with " + e.getSQLState() + ": " + e.getMessage(), e);
            }
        }
    }
}
