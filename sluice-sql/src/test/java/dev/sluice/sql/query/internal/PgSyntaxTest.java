package dev.sluice.sql.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.type.TypeKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgSyntaxTest {
    private static String rewrite(String sql) {
        return PgSyntax.rewrite(sql, List.of()).sql();
    }

    @Test
    void infixCastsBecomeCastsOfTheirPrimaryOnly() {
        PgSyntax.Rewritten rewritten = PgSyntax.rewrite("SELECT a = b::int, f(x)::text, c.d::int8::text FROM t", List.of());
        assertThat(rewritten.sql()).isEqualTo("SELECT a = CAST(b AS \"$cast:0\"), CAST(f(x) AS \"$cast:1\"), "
                + "CAST(CAST(c.d AS \"$cast:2\") AS \"$cast:3\") FROM t");
        assertThat(rewritten.casts()).extracting(CastTarget::pgName).containsExactly("int4", "text", "int8", "text");
        assertThat(rewritten.casts().get(0).type()).isEqualTo(SqlType.INTEGER);
    }

    @Test
    void castsApplyToWholeParenthesesCaseBlocksAndArrays() {
        assertThat(rewrite("SELECT (a + 1)::text, CASE WHEN x THEN 1 END::text, ARRAY[1]::text[], x[1]::int"))
                .isEqualTo("SELECT CAST((a + 1) AS \"$cast:0\"), CAST(CASE WHEN x THEN 1 END AS \"$cast:1\"), CAST(ARRAY[1] AS \"$cast:2\"), "
                        + "CAST(x[1] AS \"$cast:3\")");
    }

    @Test
    void typeNamesAreResolvedWithTheirModifiers() {
        PgSyntax.Rewritten rewritten = PgSyntax.rewrite("SELECT x::numeric(6,2), x::character varying(3), x::timestamp(3) with time zone, "
                + "x::double precision, x::pg_catalog.text, x::\"char\", x::regclass, x::map[text=>int], x::int list", List.of());
        assertThat(rewritten.casts()).extracting(CastTarget::type).containsExactly(SqlType.numeric(6, 2), SqlType.varchar(3),
                SqlType.withPrecision(TypeKind.TIMESTAMPTZ, 3), SqlType.DOUBLE, SqlType.TEXT, SqlType.TEXT, SqlType.INTEGER,
                SqlType.map(SqlType.INTEGER), SqlType.list(SqlType.INTEGER));
        assertThat(rewritten.casts()).extracting(CastTarget::pgName).containsExactly("numeric", "varchar", "timestamptz", "float8", "text",
                "char", "regclass", "map", "list");
    }

    @Test
    void unknownTypeNamesFailWith42704AtTheirPosition() {
        assertThatThrownBy(() -> rewrite("SELECT 1::nosuch")).isInstanceOfSatisfying(SluiceException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNDEFINED_OBJECT);
            assertThat(e.getMessage()).isEqualTo("type \"nosuch\" does not exist");
            assertThat(e.position()).hasValue(11);
        });
    }

    @Test
    void typedAndIntervalLiteralsBecomeCasts() {
        PgSyntax.Rewritten rewritten = PgSyntax.rewrite("SELECT interval '1 day', interval '2' hour, timestamptz '2024-01-01', date '2024-01-01'",
                List.of());
        assertThat(rewritten.sql()).isEqualTo("SELECT CAST('1 day' AS \"$cast:0\"), CAST('2 hour' AS \"$cast:1\"), "
                + "CAST('2024-01-01' AS \"$cast:2\"), CAST('2024-01-01' AS \"$cast:3\")");
        assertThat(rewritten.casts()).extracting(target -> target.type().kind())
                .containsExactly(TypeKind.INTERVAL, TypeKind.INTERVAL, TypeKind.TIMESTAMPTZ, TypeKind.DATE);
    }

    @Test
    void catalogSpellingsOfPsqlAreUnderstood() {
        assertThat(rewrite("SELECT 1 WHERE c.relname OPERATOR(pg_catalog.~) '^(t1)$' COLLATE pg_catalog.default AND pg_catalog.f(1)"))
                .isEqualTo("SELECT 1 FROM (VALUES (0)) AS \"$dual\"(\"$dual\") WHERE c.relname ~ '^(t1)$'  AND f(1)");
        assertThat(rewrite("SELECT 't1'::regclass")).isEqualTo("SELECT CAST(\"$regclass\"((SELECT \"$c\".oid AS regclass FROM pg_catalog.pg_class AS \"$c\" "
                + "WHERE pg_table_is_visible(\"$c\".oid) AND \"$c\".relname = 't1'), 't1') AS \"$cast:0\")");
        assertThat(rewrite("SELECT 'pg_class'::regclass, 'pg_catalog.pg_type'::regclass"))
                .isEqualTo("SELECT CAST(1259 AS \"$cast:0\"), CAST(1247 AS \"$cast:1\")");
        assertThat(rewrite("SELECT E'a\\nb', $$x$$")).isEqualTo("SELECT 'a\nb', 'x'");
    }

    @Test
    void jsonbOperatorsBecomeFunctionCallsOfTheirPrimaries() {
        assertThat(rewrite("SELECT doc -> 'a' ->> 'b' = 'x', doc @> '{}'::jsonb, n & 1"))
                .isEqualTo("SELECT \"$op->>\"(\"$op->\"(doc, 'a'), 'b') = 'x', \"$op@>\"(doc, CAST('{}' AS \"$cast:0\")), \"$op&\"(n, 1)");
    }

    @Test
    void setReturningFunctionsInFromNameTheirColumnAfterTheAlias() {
        assertThat(rewrite("SELECT * FROM generate_series(1, 3) g, pg_catalog.unnest(a) x, unnest(b) WITH ORDINALITY AS u(v, n)"))
                .isEqualTo("SELECT * FROM UNNEST(\"$generate_series\"(1, 3)) AS \"g\"(\"g\"), UNNEST(a) AS \"x\"(\"x\"), "
                        + "UNNEST(b) WITH ORDINALITY AS \"u\"(v, n)");
    }

    @Test
    void parametersAreNumberedInOrderAndMayCarryDeclaredTypes() {
        PgSyntax.Rewritten rewritten = PgSyntax.rewrite("SELECT $1 + 1, $2", List.of(SqlType.BIGINT));
        assertThat(rewritten.sql()).isEqualTo("SELECT CAST(? AS \"$cast:0\") + 1, ?");
        assertThat(rewritten.parameterCount()).isEqualTo(2);
        assertThatThrownBy(() -> PgSyntax.rewrite("SELECT $2, $1", List.of()))
                .isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FEATURE_NOT_SUPPORTED));
    }

    @Test
    void positionsMapBackToTheOriginalText() {
        String original = "SELECT x::int, /* c */ y FORM t";
        PgSyntax.Rewritten rewritten = PgSyntax.rewrite(original, List.of());
        assertThat(rewritten.sql()).isEqualTo("SELECT CAST(x AS \"$cast:0\"), /* c */ y FORM t");
        int form = rewritten.sql().indexOf("FORM");
        assertThat(rewritten.originalPosition(form)).isEqualTo(original.indexOf("FORM"));
    }
}
