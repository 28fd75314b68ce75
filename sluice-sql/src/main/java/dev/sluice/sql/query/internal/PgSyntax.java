package dev.sluice.sql.query.internal;

import static java.util.Objects.requireNonNull;

import dev.sluice.sql.parser.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * PostgreSQL spellings that Calcite's parser does not know, turned into ones it does, on the token
 * stream (so string literals and quoted names are never touched). psql and pgJDBC send these in
 * their catalog queries:
 *
 * <ul>
 *   <li>{@code OPERATOR(pg_catalog.~)} becomes the bare operator {@code ~};
 *   <li>{@code COLLATE pg_catalog.default} and {@code COLLATE "C"} are dropped (Sluice compares
 *       text by code point, which is what those collations mean);
 *   <li>{@code ::pg_catalog.text} becomes {@code ::text};
 *   <li>{@code 'name'::regclass} becomes a scalar subquery over {@code pg_class}, so the name is
 *       looked up as PostgreSQL does; any other cast to an object-identifier type ({@code oid},
 *       {@code regclass}, {@code regtype}, {@code regproc}, …) is a cast to {@code integer}, which is
 *       how Sluice's catalog tables store oids.
 * </ul>
 */
public final class PgSyntax {
    private static final Set<String> OID_TYPES = Set.of("oid", "regclass", "regtype", "regproc", "regprocedure", "regnamespace", "regrole",
            "regoper", "regoperator", "regconfig", "regdictionary");
    private static final Set<String> DROPPED_COLLATIONS = Set.of("default", "c", "posix", "ucs_basic");

    private PgSyntax() {
    }

    /** Replace {@code [start, end)} of the statement text with {@code replacement}. */
    public record Edit(int start, int end, String replacement) {
        public Edit {
            requireNonNull(replacement, "replacement is null");
        }
    }

    /** The edits for {@code tokens} (ending with EOF), in text order and not overlapping. */
    public static List<Edit> edits(List<Token> tokens) {
        List<Edit> edits = new ArrayList<>();
        int i = 0;
        while (i < tokens.size()) {
            Token token = tokens.get(i);
            int consumed;
            if ((consumed = operatorCall(tokens, i, edits)) > 0
                    || (consumed = collate(tokens, i, edits)) > 0
                    || (consumed = cast(tokens, i, edits)) > 0) {
                i += consumed;
            } else {
                i++;
            }
            if (token.is(Token.Kind.EOF)) {
                break;
            }
        }
        return edits;
    }

    // OPERATOR ( [schema .] op )
    private static int operatorCall(List<Token> tokens, int i, List<Edit> edits) {
        if (!tokens.get(i).isWord("operator") || !at(tokens, i + 1, Token.Kind.LEFT_PAREN)) {
            return 0;
        }
        int j = i + 2;
        if (at(tokens, j, Token.Kind.WORD) && at(tokens, j + 1, Token.Kind.DOT)) {
            j += 2;
        }
        if (!at(tokens, j, Token.Kind.OPERATOR) || !at(tokens, j + 1, Token.Kind.RIGHT_PAREN)) {
            return 0;
        }
        edits.add(new Edit(tokens.get(i).start(), tokens.get(j + 1).end(), " " + tokens.get(j).text() + " "));
        return j + 2 - i;
    }

    // COLLATE [pg_catalog .] default | COLLATE "C"
    private static int collate(List<Token> tokens, int i, List<Edit> edits) {
        if (!tokens.get(i).isWord("collate")) {
            return 0;
        }
        int j = i + 1;
        if (at(tokens, j, Token.Kind.WORD) && tokens.get(j).text().equals("pg_catalog") && at(tokens, j + 1, Token.Kind.DOT)) {
            j += 2;
        }
        Token name = j < tokens.size() ? tokens.get(j) : null;
        if (name == null || !(name.is(Token.Kind.WORD) || name.is(Token.Kind.QUOTED_IDENTIFIER))
                || !DROPPED_COLLATIONS.contains(name.text().toLowerCase(java.util.Locale.ROOT))) {
            return 0;
        }
        edits.add(new Edit(tokens.get(i).start(), name.end(), " "));
        return j + 1 - i;
    }

    // [ 'literal' ] :: [pg_catalog .] type
    private static int cast(List<Token> tokens, int i, List<Edit> edits) {
        Token token = tokens.get(i);
        boolean literal = token.is(Token.Kind.STRING) && at(tokens, i + 1, Token.Kind.OPERATOR) && tokens.get(i + 1).text().equals("::");
        int castAt = literal ? i + 1 : i;
        if (!tokens.get(castAt).is(Token.Kind.OPERATOR) || !tokens.get(castAt).text().equals("::")) {
            return 0;
        }
        int typeAt = castAt + 1;
        int schemaStart = -1;
        if (at(tokens, typeAt, Token.Kind.WORD) && tokens.get(typeAt).text().equals("pg_catalog") && at(tokens, typeAt + 1, Token.Kind.DOT)) {
            schemaStart = tokens.get(typeAt).start();
            typeAt += 2;
        }
        if (!at(tokens, typeAt, Token.Kind.WORD) && !at(tokens, typeAt, Token.Kind.QUOTED_IDENTIFIER)) {
            return 0;
        }
        Token type = tokens.get(typeAt);
        String typeName = type.text();
        if (literal && typeName.equals("regclass")) {
            edits.add(new Edit(token.start(), type.end(), regclassLookup(token.text())));
            return typeAt + 1 - i;
        }
        if (literal) {
            // Only the cast itself is rewritten; the literal stays.
            return 1;
        }
        if (OID_TYPES.contains(typeName)) {
            edits.add(new Edit(schemaStart >= 0 ? schemaStart : type.start(), type.end(), "integer"));
        } else if (schemaStart >= 0) {
            edits.add(new Edit(schemaStart, type.start(), ""));
        } else if (type.is(Token.Kind.QUOTED_IDENTIFIER) && typeName.equals("char")) {
            edits.add(new Edit(type.start(), type.end(), "char"));
        }
        return typeAt + 1 - i;
    }

    private static String regclassLookup(String name) {
        String schema = null;
        String relation = name;
        int dot = name.indexOf('.');
        if (dot >= 0) {
            schema = name.substring(0, dot);
            relation = name.substring(dot + 1);
        }
        relation = unquote(relation);
        StringBuilder sql = new StringBuilder("(SELECT \"$c\".oid FROM pg_catalog.pg_class AS \"$c\"");
        if (schema != null) {
            sql.append(" JOIN pg_catalog.pg_namespace AS \"$n\" ON \"$n\".oid = \"$c\".relnamespace WHERE \"$n\".nspname = ")
                    .append(quote(unquote(schema))).append(" AND");
        } else {
            sql.append(" WHERE pg_catalog.pg_table_is_visible(\"$c\".oid) AND");
        }
        sql.append(" \"$c\".relname = ").append(quote(relation)).append(')');
        return sql.toString();
    }

    private static String unquote(String identifier) {
        if (identifier.length() >= 2 && identifier.startsWith("\"") && identifier.endsWith("\"")) {
            return identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"");
        }
        return identifier.toLowerCase(java.util.Locale.ROOT);
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static boolean at(List<Token> tokens, int index, Token.Kind kind) {
        return index < tokens.size() && tokens.get(index).is(kind);
    }
}
