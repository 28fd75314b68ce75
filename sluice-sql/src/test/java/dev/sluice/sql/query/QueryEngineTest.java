package dev.sluice.sql.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.Column;
import dev.sluice.common.type.RelationDesc;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.value.Row;
import java.math.BigDecimal;
import java.time.LocalDate;
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

    private final QueryEngine engine = new QueryEngine(new RelationResolver() {
        @Override
        public List<String> schemaNames() {
            return List.of("public");
        }

        @Override
        public List<String> relationNames(String schema) {
            return List.of("orders");
        }

        @Override
        public Optional<ResolvedRelation> resolve(String schema, String name) {
            return name.equals("orders") ? Optional.of(new ResolvedRelation("u1", "public", "orders", ORDERS, context -> ROWS.iterator()))
                    : Optional.empty();
        }

        @Override
        public List<String> searchPath() {
            return List.of("public");
        }
    });

    private List<Row> run(String sql, Object... parameters) {
        PreparedQuery query = engine.prepare(sql, List.of());
        Iterator<Row> rows = query.execute(List.of(parameters), new QueryContext(0, Map.of()));
        List<Row> result = new ArrayList<>();
        rows.forEachRemaining(result::add);
        return result;
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
    }

    @Test
    void bindsParameters() {
        PreparedQuery query = engine.prepare("SELECT item FROM orders WHERE id = $1", List.of());
        assertThat(query.parameterTypes()).containsExactly(SqlType.INTEGER);
        assertThat(run("SELECT item FROM orders WHERE id = $1", 2)).containsExactly(Row.of("pear"));
    }

    @Test
    void hashFunctionsMatchReferenceVectors() {
        assertThat(run("SELECT kafka_murmur2('foobar'), crc32('foobar')")).containsExactly(Row.of(1357151166, 2666930069L));
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
}
