package dev.sluice.sql.query.internal;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.type.TypeKind;
import dev.sluice.sql.parser.Lexer;
import dev.sluice.sql.parser.Token;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * PostgreSQL spellings that Calcite's parser does not know (or parses differently), turned into ones
 * it does, on the token stream: string literals and quoted names are never touched. The statement
 * is read as nested groups of parentheses and brackets; within one group, the rules look at
 * neighbouring tokens and at the operands of high-precedence operators (a "primary": a literal, a
 * column reference, a function call, a parenthesised expression, {@code CASE … END}).
 *
 * <ul>
 *   <li>{@code x::type}, {@code CAST(x AS type)} and typed literals ({@code timestamp '…'},
 *       {@code interval '1 day'}, {@code interval '1' day}) become {@code CAST(x AS "$cast:n")}, where
 *       {@code n} indexes {@link Rewritten#casts()}: types are resolved here with PostgreSQL's names
 *       (Calcite's parser binds {@code ::} looser than comparison operators, and knows neither
 *       {@code text} nor {@code interval '1 day'});
 *   <li>{@code 'name'::regclass} and {@code 'name'::regtype} become scalar subqueries over
 *       {@code pg_class} and {@code pg_type}, so the name is looked up as PostgreSQL does;
 *   <li>jsonb and array operators ({@code ->}, {@code ->>}, {@code #>}, {@code #>>}, {@code @>},
 *       {@code <@}, {@code ?}, {@code ?|}, {@code ?&}, {@code &&}) become calls of functions named
 *       {@code "$op->"} and so on, and {@code x AT TIME ZONE z} becomes {@code timezone(z, x)};
 *   <li>{@code OPERATOR(pg_catalog.~)} becomes the bare operator; {@code COLLATE pg_catalog.default}
 *       and {@code COLLATE "C"} are dropped (Sluice compares text by code point); the
 *       {@code pg_catalog.} qualifier of function calls is dropped;
 *   <li>{@code SELECT … WHERE …} without {@code FROM} reads from a one-row relation;
 *   <li>a set-returning function in {@code FROM} with a bare alias ({@code unnest(a) x}) names its
 *       column after the alias, as PostgreSQL does;
 *   <li>escape ({@code E'…'}) and dollar-quoted strings become standard literals;
 *   <li>parameters {@code $n} become {@code ?} (or {@code CAST(? AS t)} when the client declared a type).
 * </ul>
 */
public final class PgSyntax {
    static final String CAST_PREFIX = "$cast:";
    static final String OPERATOR_PREFIX = "$op";

    /**
     * PostgreSQL's fixed OIDs of the system catalogs that clients name in {@code 'pg_class'::regclass}
     * (pgJDBC joins {@code pg_description.classoid} to it); pg_catalog is searched first, as in PostgreSQL.
     */
    private static final Map<String, Integer> CATALOG_RELATION_OIDS = Map.ofEntries(Map.entry("pg_type", 1247), Map.entry("pg_attribute", 1249),
            Map.entry("pg_proc", 1255), Map.entry("pg_class", 1259), Map.entry("pg_database", 1262), Map.entry("pg_tablespace", 1213),
            Map.entry("pg_am", 2601), Map.entry("pg_attrdef", 2604), Map.entry("pg_constraint", 2606), Map.entry("pg_description", 2609),
            Map.entry("pg_index", 2610), Map.entry("pg_inherits", 2611), Map.entry("pg_namespace", 2615), Map.entry("pg_trigger", 2620),
            Map.entry("pg_extension", 3079), Map.entry("pg_policy", 3256), Map.entry("pg_collation", 3456));
    private static final Set<String> DROPPED_COLLATIONS = Set.of("default", "c", "posix", "ucs_basic");
    private static final Set<String> JSON_OPERATORS = Set.of("->", "->>", "#>", "#>>", "@>", "<@", "?", "?|", "?&", "&&", "#-", "&", "|", "#",
            "<<", ">>", "^");
    /** Words that may stand before a parenthesis without being the name of a called function. */
    private static final Set<String> NOT_FUNCTIONS = Set.of("and", "or", "not", "in", "select", "from", "where", "when", "then", "else",
            "on", "as", "by", "join", "using", "values", "any", "all", "some", "distinct", "between", "like", "ilike", "is", "union",
            "intersect", "except", "with", "set", "over", "filter", "within", "group", "order", "having", "limit", "offset", "into",
            "case", "end", "lateral", "returning", "window", "partition", "table", "escape", "similar", "to");
    private static final Set<String> FROM_ENDS = Set.of("where", "group", "having", "order", "limit", "offset", "union", "intersect",
            "except", "window", "on", "using", "fetch", "select", "returning", "set");
    private static final Set<String> NOT_ALIASES = Set.of("where", "join", "left", "right", "inner", "full", "cross", "natural", "on",
            "using", "group", "order", "limit", "offset", "union", "intersect", "except", "window", "having", "fetch", "with", "lateral",
            "outer", "tablesample");
    /**
     * Set-returning functions in FROM, and the function computing the array whose elements are their
     * rows ({@code UNNEST} makes the rows). {@code unnest} is Calcite's own.
     */
    static final Map<String, String> SET_FUNCTIONS = Map.ofEntries(Map.entry("unnest", ""),
            Map.entry("generate_series", "\"$generate_series\""), Map.entry("jsonb_array_elements", "\"$jsonb_array_elements\""),
            Map.entry("json_array_elements", "\"$jsonb_array_elements\""),
            Map.entry("jsonb_array_elements_text", "\"$jsonb_array_elements_text\""),
            Map.entry("json_array_elements_text", "\"$jsonb_array_elements_text\""),
            Map.entry("jsonb_object_keys", "\"$jsonb_object_keys\""), Map.entry("json_object_keys", "\"$jsonb_object_keys\""),
            Map.entry("regexp_split_to_table", "regexp_split_to_array"), Map.entry("_pg_expandarray", ""));
    private static final Set<String> INTERVAL_UNITS = Set.of("year", "years", "month", "months", "day", "days", "hour", "hours",
            "minute", "minutes", "second", "seconds");

    private final String source;
    private final List<SqlType> declared;
    private final List<CastTarget> casts = new ArrayList<>();
    private final List<Integer> parameterOrder = new ArrayList<>();

    private PgSyntax(String source, List<SqlType> declared) {
        this.source = source;
        this.declared = declared;
    }

    /** The statement as Calcite reads it, with a map back to positions of the original text. */
    public record Rewritten(String sql, int parameterCount, List<CastTarget> casts, Out map) {
        /** The 0-based offset in the original text of an offset in {@link #sql()}. */
        public int originalPosition(int rewrittenOffset) {
            return map.originalPosition(rewrittenOffset);
        }
    }

    /** Rewrites {@code sql}; {@code declaredParameterTypes} are the types the client gave for {@code $1}, {@code $2}, … (null if none). */
    public static Rewritten rewrite(String sql, List<SqlType> declaredParameterTypes) {
        PgSyntax rewriter = new PgSyntax(sql, declaredParameterTypes);
        List<Token> tokens = Lexer.tokenize(sql);
        List<Node> nodes = rewriter.nest(tokens);
        Out out;
        if (nodes == null) {
            out = new Out();
            out.verbatim(sql, 0, sql.length());
        } else {
            out = rewriter.level(nodes, 0);
            out.verbatim(sql, nodes.isEmpty() ? 0 : end(nodes.get(nodes.size() - 1)), sql.length());
        }
        int count = 0;
        for (int i = 0; i < rewriter.parameterOrder.size(); i++) {
            count = Math.max(count, rewriter.parameterOrder.get(i));
            if (rewriter.parameterOrder.get(i) != i + 1) {
                throw new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED, "parameters must be used in order $1, $2, … each once")
                        .withHint("Sluice passes parameters to its planner positionally.");
            }
        }
        return new Rewritten(out.text(), count, List.copyOf(rewriter.casts), out);
    }

    // ------------------------------------------------------------------ output with a source map

    /** Output text with, for every piece, where it came from in the original. */
    public static final class Out {
        private final StringBuilder text = new StringBuilder();
        private final List<int[]> pieces = new ArrayList<>();

        void verbatim(String from, int start, int end) {
            if (start < end) {
                pieces.add(new int[] {text.length(), start, 1});
                text.append(from, start, end);
            }
        }

        void synthetic(String value, int originalAt) {
            if (!value.isEmpty()) {
                pieces.add(new int[] {text.length(), originalAt, 0});
                text.append(value);
            }
        }

        void append(Out other) {
            for (int[] piece : other.pieces) {
                pieces.add(new int[] {piece[0] + text.length(), piece[1], piece[2]});
            }
            text.append(other.text);
        }

        String text() {
            return text.toString();
        }

        int originalPosition(int offset) {
            int[] found = null;
            for (int[] piece : pieces) {
                if (piece[0] <= offset) {
                    found = piece;
                } else {
                    break;
                }
            }
            if (found == null) {
                return offset;
            }
            return found[2] == 1 ? found[1] + (offset - found[0]) : found[1];
        }
    }

    // ------------------------------------------------------------------ nesting

    private sealed interface Node permits Leaf, Group {
    }

    private record Leaf(Token token) implements Node {
    }

    private record Group(Token open, List<Node> children, Token close) implements Node {
        boolean isParen() {
            return open.is(Token.Kind.LEFT_PAREN);
        }
    }

    private static int start(Node node) {
        return node instanceof Leaf leaf ? leaf.token().start() : ((Group) node).open().start();
    }

    private static int end(Node node) {
        return node instanceof Leaf leaf ? leaf.token().end() : ((Group) node).close().end();
    }

    /** Groups by parentheses and brackets; null when they do not balance (Calcite reports the error). */
    private List<Node> nest(List<Token> tokens) {
        List<List<Node>> stack = new ArrayList<>();
        List<Token> opens = new ArrayList<>();
        List<Node> current = new ArrayList<>();
        for (Token token : tokens) {
            if (token.is(Token.Kind.EOF)) {
                break;
            }
            if (token.is(Token.Kind.LEFT_PAREN) || token.is(Token.Kind.LEFT_BRACKET)) {
                stack.add(current);
                opens.add(token);
                current = new ArrayList<>();
            } else if (token.is(Token.Kind.RIGHT_PAREN) || token.is(Token.Kind.RIGHT_BRACKET)) {
                if (opens.isEmpty()) {
                    return null;
                }
                Token open = opens.remove(opens.size() - 1);
                if (open.is(Token.Kind.LEFT_PAREN) != token.is(Token.Kind.RIGHT_PAREN)) {
                    return null;
                }
                Group group = new Group(open, current, token);
                current = stack.remove(stack.size() - 1);
                current.add(group);
            } else {
                current.add(new Leaf(token));
            }
        }
        return opens.isEmpty() ? current : null;
    }

    // ------------------------------------------------------------------ one level of a group

    private enum Kind { TOKEN, GROUP, PRIMARY }

    /** An output unit: its leading whitespace, its text, and the original span it covers. */
    private record Item(Kind kind, Node node, Out gap, Out text, int start, int end) {
        Token token() {
            return kind == Kind.TOKEN ? ((Leaf) node).token() : null;
        }

        boolean isWord() {
            Token token = token();
            return token != null && (token.is(Token.Kind.WORD) || token.is(Token.Kind.QUOTED_IDENTIFIER));
        }

        boolean isWord(String word) {
            Token token = token();
            return token != null && token.isWord(word);
        }

        boolean isGroup(boolean paren) {
            return kind == Kind.GROUP && ((Group) node).isParen() == paren;
        }
    }

    /** The mutable state of rewriting one level. */
    private final class Level {
        final List<Node> nodes;
        final List<Item> out = new ArrayList<>();
        Out gap = new Out();
        int previousEnd;
        boolean inFrom;
        final Set<Integer> dualBefore = new HashSet<>();

        Level(List<Node> nodes, int startOffset) {
            this.nodes = nodes;
            this.previousEnd = startOffset;
        }

        /** Accumulates the whitespace before node {@code index}. */
        void gapTo(int index) {
            int at = start(nodes.get(index));
            gap.verbatim(source, previousEnd, at);
            previousEnd = at;
        }

        void consume(int endIndexExclusive) {
            previousEnd = end(nodes.get(endIndexExclusive - 1));
        }

        void emit(Kind kind, Node node, Out text, int start, int end) {
            out.add(new Item(kind, node, gap, text, start, end));
            gap = new Out();
        }

        /** Emits nodes {@code [from, to)} as one primary with the given text. */
        void emitPrimary(Out text, int from, int to) {
            emit(Kind.PRIMARY, null, text, start(nodes.get(from)), end(nodes.get(to - 1)));
            consume(to);
        }

        Out join(List<Item> items) {
            Out result = new Out();
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    result.append(items.get(i).gap());
                }
                result.append(items.get(i).text());
            }
            return result;
        }

        /** Removes the last primary from the output and returns it; null when the output does not end with one. */
        List<Item> popPrimary() {
            int k = out.size() - 1;
            while (k >= 0 && out.get(k).isGroup(false) && k > 0) {
                k--;
            }
            if (k < 0) {
                return null;
            }
            Item item = out.get(k);
            int first;
            if (item.kind() == Kind.PRIMARY) {
                first = k;
            } else if (item.kind() == Kind.TOKEN) {
                Token token = item.token();
                if (token.is(Token.Kind.STRING) || token.is(Token.Kind.NUMBER)) {
                    first = k;
                } else if (item.isWord() && !(token.is(Token.Kind.WORD) && NOT_FUNCTIONS.contains(token.text()))) {
                    first = qualifierStart(k);
                } else {
                    return null;
                }
            } else if (item.isGroup(true)) {
                first = k;
                if (k > 0 && out.get(k - 1).isWord() && !isNotFunction(out.get(k - 1))) {
                    first = qualifierStart(k - 1);
                } else if (k > 1 && (out.get(k - 1).isWord("over") || out.get(k - 1).isWord("filter"))) {
                    // f(x) OVER (…): the window belongs to the call before it.
                    List<Item> window = new ArrayList<>(out.subList(k - 1, out.size()));
                    out.subList(k - 1, out.size()).clear();
                    List<Item> call = popPrimary();
                    if (call == null) {
                        out.addAll(window);
                        return null;
                    }
                    call.addAll(window);
                    return call;
                }
            } else {
                return null;
            }
            List<Item> popped = new ArrayList<>(out.subList(first, out.size()));
            out.subList(first, out.size()).clear();
            return popped;
        }

        private boolean isNotFunction(Item item) {
            return item.token().is(Token.Kind.WORD) && NOT_FUNCTIONS.contains(item.token().text());
        }

        private int qualifierStart(int k) {
            int first = k;
            while (first >= 2 && out.get(first - 1).kind() == Kind.TOKEN && out.get(first - 1).token().is(Token.Kind.DOT)
                    && out.get(first - 2).isWord()) {
                first -= 2;
            }
            return first;
        }

        /** Replaces popped items by one primary. */
        void pushPrimary(List<Item> popped, Out text, int end) {
            out.add(new Item(Kind.PRIMARY, null, popped.get(0).gap(), text, popped.get(0).start(), end));
            // the whitespace before the operator is inside the new primary's text
            gap = new Out();
        }
    }

    private Out level(List<Node> nodes, int startOffset) {
        Level level = new Level(nodes, startOffset);
        markSelectsWithoutFrom(level);
        int i = 0;
        while (i < nodes.size()) {
            level.gapTo(i);
            if (level.dualBefore.contains(i)) {
                Out dual = new Out();
                dual.synthetic("FROM (VALUES (0)) AS \"$dual\"(\"$dual\") ", start(nodes.get(i)));
                level.out.add(new Item(Kind.PRIMARY, null, level.gap, dual, start(nodes.get(i)), start(nodes.get(i))));
                level.gap = new Out();
            }
            i = step(level, i);
        }
        return level.join(level.out);
    }

    /** Handles node {@code i} (and maybe more); returns the index of the next unhandled node. */
    private int step(Level level, int i) {
        List<Node> nodes = level.nodes;
        Node node = nodes.get(i);
        if (node instanceof Group group) {
            level.emit(Kind.GROUP, group, groupText(group), start(group), end(group));
            level.consume(i + 1);
            return i + 1;
        }
        Token token = ((Leaf) node).token();
        if (token.is(Token.Kind.WORD) && i > 0 && isWord(nodes.get(i - 1), "as") && !(i + 1 < nodes.size() && nodes.get(i + 1) instanceof Group)
                && !isFollowedByParen(nodes, i)) {
            // An alias: PostgreSQL's unreserved words (next, value, …) may be reserved in Calcite, so it is quoted (already folded).
            Out text = new Out();
            text.synthetic(quoteIdentifier(token.text()), token.start());
            level.emit(Kind.TOKEN, node, text, token.start(), token.end());
            level.consume(i + 1);
            return i + 1;
        }
        if (token.is(Token.Kind.WORD)) {
            String word = token.text();
            trackFrom(level, word);
            if (word.equals("unnest") && !level.inFrom && i + 1 < nodes.size() && nodes.get(i + 1) instanceof Group group && group.isParen()) {
                // UNNEST is a keyword of Calcite's FROM clause; in the select list it is PostgreSQL's set-returning function.
                Out text = new Out();
                text.synthetic("\"unnest\"", token.start());
                level.emit(Kind.TOKEN, node, text, token.start(), token.end());
                level.consume(i + 1);
                return i + 1;
            }
            int next;
            if ((next = operatorCall(level, i)) > 0 || (next = collate(level, i)) > 0 || (next = caseBlock(level, i)) > 0
                    || (next = castCall(level, i)) > 0 || (next = typedLiteral(level, i)) > 0 || (next = dropCatalogQualifier(level, i)) > 0
                    || (next = atTimeZone(level, i)) > 0 || (next = setFunctionAlias(level, i)) > 0) {
                return next;
            }
        }
        if (token.is(Token.Kind.OPERATOR)) {
            int next;
            if (token.text().equals("::") && (next = infixCast(level, i)) > 0) {
                return next;
            }
            if (JSON_OPERATORS.contains(token.text()) && (next = jsonOperator(level, i, token.text())) > 0) {
                return next;
            }
        }
        if (token.is(Token.Kind.PARAMETER)) {
            int number = Integer.parseInt(token.text());
            parameterOrder.add(number);
            SqlType type = number - 1 < declared.size() ? declared.get(number - 1) : null;
            Out text = new Out();
            text.synthetic(type == null ? "?" : "CAST(? AS " + castIdentifier(CastTarget.of(type)) + ")", token.start());
            level.emitPrimary(text, i, i + 1);
            return i + 1;
        }
        if (token.is(Token.Kind.STRING)) {
            Out text = new Out();
            String standard = "'" + token.text().replace("'", "''") + "'";
            if (source.substring(token.start(), token.end()).equals(standard)) {
                text.verbatim(source, token.start(), token.end());
            } else {
                text.synthetic(standard, token.start());
            }
            level.emit(Kind.TOKEN, node, text, token.start(), token.end());
            level.consume(i + 1);
            return i + 1;
        }
        Out text = new Out();
        text.verbatim(source, token.start(), token.end());
        level.emit(Kind.TOKEN, node, text, token.start(), token.end());
        level.consume(i + 1);
        return i + 1;
    }

    private Out groupText(Group group) {
        Out text = new Out();
        text.verbatim(source, group.open().start(), group.open().end());
        text.append(level(group.children(), group.open().end()));
        int last = group.children().isEmpty() ? group.open().end() : end(group.children().get(group.children().size() - 1));
        text.verbatim(source, last, group.close().end());
        return text;
    }

    /** Rewrites nodes {@code [from, to)} as an expression of their own. */
    private Out sub(List<Node> nodes, int from, int to) {
        Out text = level(nodes.subList(from, to), start(nodes.get(from)));
        return text;
    }

    private void trackFrom(Level level, String word) {
        if (word.equals("from") || word.equals("join")) {
            level.inFrom = true;
        } else if (FROM_ENDS.contains(word)) {
            level.inFrom = false;
        }
    }

    /** Finds {@code SELECT …} without {@code FROM} followed by {@code WHERE}, {@code GROUP BY} or {@code HAVING}. */
    private void markSelectsWithoutFrom(Level level) {
        List<Node> nodes = level.nodes;
        for (int i = 0; i < nodes.size(); i++) {
            if (!isWord(nodes.get(i), "select")) {
                continue;
            }
            for (int j = i + 1; j < nodes.size(); j++) {
                Node node = nodes.get(j);
                if (node instanceof Leaf leaf && leaf.token().is(Token.Kind.SEMICOLON)) {
                    break;
                }
                if (!(node instanceof Leaf leaf) || !leaf.token().is(Token.Kind.WORD)) {
                    continue;
                }
                String word = leaf.token().text();
                if (word.equals("from") || word.equals("select") || word.equals("union") || word.equals("intersect") || word.equals("except")
                        || word.equals("order") || word.equals("limit") || word.equals("offset") || word.equals("fetch")
                        || word.equals("window") || word.equals("into")) {
                    break;
                }
                boolean groupBy = word.equals("group") && j + 1 < nodes.size() && isWord(nodes.get(j + 1), "by");
                if (word.equals("where") || groupBy || word.equals("having")) {
                    level.dualBefore.add(j);
                    break;
                }
            }
        }
    }

    // ------------------------------------------------------------------ rules

    // OPERATOR ( [schema .] op )
    private int operatorCall(Level level, int i) {
        List<Node> nodes = level.nodes;
        if (!isWord(nodes.get(i), "operator") || i + 1 >= nodes.size() || !(nodes.get(i + 1) instanceof Group group) || !group.isParen()) {
            return 0;
        }
        List<Node> inside = group.children();
        int j = 0;
        if (inside.size() == 3 && isKind(inside.get(0), Token.Kind.WORD) && isKind(inside.get(1), Token.Kind.DOT)) {
            j = 2;
        }
        if (inside.size() != j + 1 || !isKind(inside.get(j), Token.Kind.OPERATOR)) {
            return 0;
        }
        Token operator = ((Leaf) inside.get(j)).token();
        Token synthetic = new Token(Token.Kind.OPERATOR, operator.text(), start(nodes.get(i)), end(group));
        if (JSON_OPERATORS.contains(operator.text())) {
            int next = jsonOperator(level, i + 1, operator.text());
            if (next > 0) {
                return next;
            }
        }
        Out text = new Out();
        text.synthetic(operator.text(), synthetic.start());
        level.emit(Kind.TOKEN, new Leaf(synthetic), text, synthetic.start(), synthetic.end());
        level.consume(i + 2);
        return i + 2;
    }

    // COLLATE [pg_catalog .] default | COLLATE "C"
    private int collate(Level level, int i) {
        List<Node> nodes = level.nodes;
        if (!isWord(nodes.get(i), "collate")) {
            return 0;
        }
        int j = i + 1;
        if (j + 1 < nodes.size() && isWord(nodes.get(j), "pg_catalog") && isKind(nodes.get(j + 1), Token.Kind.DOT)) {
            j += 2;
        }
        if (j >= nodes.size() || !(nodes.get(j) instanceof Leaf name)
                || !(name.token().is(Token.Kind.WORD) || name.token().is(Token.Kind.QUOTED_IDENTIFIER))
                || !DROPPED_COLLATIONS.contains(name.token().text().toLowerCase(Locale.ROOT))) {
            return 0;
        }
        level.consume(j + 1);
        return j + 1;
    }

    // CASE … END is one primary.
    private int caseBlock(Level level, int i) {
        List<Node> nodes = level.nodes;
        if (!isWord(nodes.get(i), "case")) {
            return 0;
        }
        int depth = 0;
        for (int j = i; j < nodes.size(); j++) {
            if (isWord(nodes.get(j), "case")) {
                depth++;
            } else if (isWord(nodes.get(j), "end")) {
                depth--;
                if (depth == 0) {
                    Out text = new Out();
                    Token caseToken = ((Leaf) nodes.get(i)).token();
                    text.verbatim(source, caseToken.start(), caseToken.end());
                    if (j > i + 1) {
                        text.verbatim(source, caseToken.end(), start(nodes.get(i + 1)));
                        text.append(sub(nodes, i + 1, j));
                        text.verbatim(source, end(nodes.get(j - 1)), end(nodes.get(j)));
                    } else {
                        text.verbatim(source, caseToken.end(), end(nodes.get(j)));
                    }
                    level.emitPrimary(text, i, j + 1);
                    return j + 1;
                }
            }
        }
        return 0;
    }

    // CAST ( expression AS type )
    private int castCall(Level level, int i) {
        List<Node> nodes = level.nodes;
        if (!isWord(nodes.get(i), "cast") || i + 1 >= nodes.size() || !(nodes.get(i + 1) instanceof Group group) || !group.isParen()) {
            return 0;
        }
        List<Node> inside = group.children();
        int as = -1;
        for (int j = inside.size() - 1; j > 0; j--) {
            if (isWord(inside.get(j), "as")) {
                as = j;
                break;
            }
        }
        if (as < 1 || as == inside.size() - 1) {
            return 0;
        }
        TypeSpan type = typeSpan(inside, as + 1);
        if (type == null || type.end() != inside.size()) {
            return 0;
        }
        Out text = new Out();
        text.synthetic("CAST(", start(nodes.get(i)));
        text.append(sub(inside, 0, as));
        text.synthetic(" AS " + castIdentifier(type.target()) + ")", start(inside.get(as + 1)));
        level.emitPrimary(text, i, i + 2);
        return i + 2;
    }

    // type 'literal'  |  interval 'n' unit
    private int typedLiteral(Level level, int i) {
        List<Node> nodes = level.nodes;
        String word = ((Leaf) nodes.get(i)).token().text();
        if (!PgTypeNames.startsTypeName(word) || (i > 0 && isKind(nodes.get(i - 1), Token.Kind.DOT))) {
            return 0;
        }
        TypeSpan type;
        try {
            type = typeSpan(nodes, i);
        } catch (SluiceException e) {
            return 0;
        }
        if (type == null || type.end() >= nodes.size() || !isKind(nodes.get(type.end()), Token.Kind.STRING)) {
            return 0;
        }
        Token literal = ((Leaf) nodes.get(type.end())).token();
        String value = literal.text();
        int end = type.end() + 1;
        if (type.target().type().kind() == TypeKind.INTERVAL && end < nodes.size()
                && nodes.get(end) instanceof Leaf unit && unit.token().is(Token.Kind.WORD) && INTERVAL_UNITS.contains(unit.token().text())) {
            if (value.strip().matches("[-+]?[0-9]+(\\.[0-9]*)?")) {
                value = value.strip() + " " + unit.token().text();
            }
            end++;
            if (end + 1 < nodes.size() && isWord(nodes.get(end), "to") && nodes.get(end + 1) instanceof Leaf to
                    && INTERVAL_UNITS.contains(to.token().text())) {
                end += 2;
            }
        }
        Out text = new Out();
        text.synthetic("CAST(" + quote(value) + " AS " + castIdentifier(type.target()) + ")", start(nodes.get(i)));
        level.emitPrimary(text, i, end);
        return end;
    }

    // expression :: type [:: type …]
    private int infixCast(Level level, int i) {
        List<Node> nodes = level.nodes;
        TypeSpan type = typeSpan(nodes, i + 1);
        if (type == null) {
            return 0;
        }
        List<Item> operand = level.popPrimary();
        if (operand == null) {
            return 0;
        }
        Out text = new Out();
        String lookup = operand.size() == 1 && operand.get(0).kind() == Kind.TOKEN && operand.get(0).token().is(Token.Kind.STRING)
                ? objectLookup(operand.get(0).token().text(), type.target().pgName()) : null;
        if (lookup != null && type.target().pgName().startsWith("regproc")) {
            text.synthetic(lookup, operand.get(0).start());
        } else if (lookup != null) {
            // the cast stays, so that the column is named after the type as in PostgreSQL ('t'::regclass is "regclass")
            text.synthetic("CAST(" + lookup + " AS " + castIdentifier(type.target()) + ")", operand.get(0).start());
        } else {
            text.synthetic("CAST(", operand.get(0).start());
            text.append(level.join(operand));
            text.synthetic(" AS " + castIdentifier(type.target()) + ")", start(nodes.get(i)));
        }
        level.pushPrimary(operand, text, end(nodes.get(type.end() - 1)));
        level.consume(type.end());
        return type.end();
    }

    // left op right, for jsonb and array operators (they bind tighter than comparisons)
    private int jsonOperator(Level level, int i, String operator) {
        List<Node> nodes = level.nodes;
        int rightEnd = primaryEnd(nodes, i + 1);
        if (rightEnd < 0) {
            return 0;
        }
        List<Item> left = level.popPrimary();
        if (left == null) {
            return 0;
        }
        Out text = new Out();
        text.synthetic("\"" + OPERATOR_PREFIX + operator + "\"(", left.get(0).start());
        text.append(level.join(left));
        text.synthetic(", ", start(nodes.get(i)));
        text.append(sub(nodes, i + 1, rightEnd));
        text.synthetic(")", end(nodes.get(rightEnd - 1)));
        level.pushPrimary(left, text, end(nodes.get(rightEnd - 1)));
        level.consume(rightEnd);
        return rightEnd;
    }

    // x AT TIME ZONE zone
    private int atTimeZone(Level level, int i) {
        List<Node> nodes = level.nodes;
        if (!isWord(nodes.get(i), "at") || i + 2 >= nodes.size() || !isWord(nodes.get(i + 1), "time") || !isWord(nodes.get(i + 2), "zone")) {
            return 0;
        }
        int rightEnd = primaryEnd(nodes, i + 3);
        if (rightEnd < 0) {
            return 0;
        }
        List<Item> left = level.popPrimary();
        if (left == null) {
            return 0;
        }
        Out text = new Out();
        text.synthetic("timezone(", left.get(0).start());
        text.append(sub(nodes, i + 3, rightEnd));
        text.synthetic(", ", start(nodes.get(i)));
        text.append(level.join(left));
        text.synthetic(")", end(nodes.get(rightEnd - 1)));
        level.pushPrimary(left, text, end(nodes.get(rightEnd - 1)));
        level.consume(rightEnd);
        return rightEnd;
    }

    // pg_catalog.f(…) → f(…)
    private int dropCatalogQualifier(Level level, int i) {
        List<Node> nodes = level.nodes;
        if (!(isWord(nodes.get(i), "pg_catalog") || isWord(nodes.get(i), "information_schema")) || i + 3 >= nodes.size()
                || !isKind(nodes.get(i + 1), Token.Kind.DOT) || !isKind(nodes.get(i + 2), Token.Kind.WORD)
                || !(nodes.get(i + 3) instanceof Group group) || !group.isParen()) {
            return 0;
        }
        level.consume(i + 2);
        return i + 2;
    }

    // FROM generate_series(1, 3) g  →  FROM UNNEST("$generate_series"(1, 3)) AS g(g): PostgreSQL names the column after the alias
    private int setFunctionAlias(Level level, int i) {
        List<Node> nodes = level.nodes;
        String name = ((Leaf) nodes.get(i)).token().text();
        if (!level.inFrom || !SET_FUNCTIONS.containsKey(name) || i + 1 >= nodes.size() || !(nodes.get(i + 1) instanceof Group call)
                || !call.isParen()) {
            return 0;
        }
        boolean expand = name.equals("_pg_expandarray");
        int j = i + 2;
        boolean ordinality = expand;
        String ordinalityText = expand ? " WITH ORDINALITY" : "";
        if (j + 1 < nodes.size() && isWord(nodes.get(j), "with") && isWord(nodes.get(j + 1), "ordinality")) {
            ordinality = true;
            ordinalityText = " WITH ORDINALITY";
            j += 2;
        }
        boolean as = j < nodes.size() && isWord(nodes.get(j), "as");
        int aliasAt = as ? j + 1 : j;
        String alias = null;
        Group columns = null;
        if (aliasAt < nodes.size() && nodes.get(aliasAt) instanceof Leaf leaf
                && (leaf.token().is(Token.Kind.QUOTED_IDENTIFIER) || (leaf.token().is(Token.Kind.WORD) && !NOT_ALIASES.contains(leaf.token().text())))) {
            alias = leaf.token().text();
            if (aliasAt + 1 < nodes.size() && nodes.get(aliasAt + 1) instanceof Group list && list.isParen()) {
                columns = list;
            }
        }
        String function = SET_FUNCTIONS.get(name);
        Out text = new Out();
        text.synthetic(function.isEmpty() ? "UNNEST" : "UNNEST(" + function, start(nodes.get(i)));
        text.append(groupText(call));
        text.synthetic(function.isEmpty() ? ordinalityText : ")" + ordinalityText, end(call));
        String quoted = quoteIdentifier(alias == null ? name : alias);
        int end;
        if (columns != null) {
            text.synthetic(" AS " + quoted, end(call));
            text.append(groupText(columns));
            end = aliasAt + 2;
        } else {
            String column = expand ? "x, n" : ordinality ? quoted + ", ordinality" : quoted;
            text.synthetic(" AS " + quoted + "(" + column + ")", end(call));
            end = alias == null ? j : aliasAt + 1;
        }
        level.emitPrimary(text, i, end);
        return end;
    }

    // ------------------------------------------------------------------ operands and types

    /** The end (exclusive) of the primary starting at {@code k}, with its postfix casts and subscripts; -1 if none. */
    private int primaryEnd(List<Node> nodes, int k) {
        if (k >= nodes.size()) {
            return -1;
        }
        Node node = nodes.get(k);
        int j;
        if (node instanceof Group group) {
            if (!group.isParen()) {
                return -1;
            }
            j = k + 1;
        } else {
            Token token = ((Leaf) node).token();
            switch (token.kind()) {
                case STRING, NUMBER, PARAMETER -> j = k + 1;
                case OPERATOR -> {
                    if (!token.text().equals("-") && !token.text().equals("+")) {
                        return -1;
                    }
                    return primaryEnd(nodes, k + 1);
                }
                case WORD, QUOTED_IDENTIFIER -> {
                    if (token.isWord("case")) {
                        int depth = 0;
                        j = -1;
                        for (int m = k; m < nodes.size(); m++) {
                            if (isWord(nodes.get(m), "case")) {
                                depth++;
                            } else if (isWord(nodes.get(m), "end") && --depth == 0) {
                                j = m + 1;
                                break;
                            }
                        }
                        if (j < 0) {
                            return -1;
                        }
                    } else if (token.is(Token.Kind.WORD) && PgTypeNames.startsTypeName(token.text()) && typedLiteralEnd(nodes, k) > 0) {
                        j = typedLiteralEnd(nodes, k);
                    } else {
                        j = k + 1;
                        while (j + 1 < nodes.size() && isKind(nodes.get(j), Token.Kind.DOT)
                                && (isKind(nodes.get(j + 1), Token.Kind.WORD) || isKind(nodes.get(j + 1), Token.Kind.QUOTED_IDENTIFIER))) {
                            j += 2;
                        }
                        if (j < nodes.size() && nodes.get(j) instanceof Group call && (call.isParen() || token.isWord("array"))) {
                            j++;
                        }
                    }
                }
                default -> {
                    return -1;
                }
            }
        }
        while (j < nodes.size()) {
            if (nodes.get(j) instanceof Group group && !group.isParen()) {
                j++;
            } else if (nodes.get(j) instanceof Leaf leaf && leaf.token().is(Token.Kind.OPERATOR) && leaf.token().text().equals("::")) {
                TypeSpan type = typeSpan(nodes, j + 1);
                if (type == null) {
                    return j;
                }
                j = type.end();
            } else {
                break;
            }
        }
        return j;
    }

    private int typedLiteralEnd(List<Node> nodes, int k) {
        try {
            TypeSpan type = typeSpan(nodes, k);
            if (type != null && type.end() < nodes.size() && isKind(nodes.get(type.end()), Token.Kind.STRING)) {
                return type.end() + 1;
            }
        } catch (SluiceException e) {
            return -1;
        }
        return -1;
    }

    private record TypeSpan(CastTarget target, int end) {
    }

    /** Reads a type name at {@code k}; null when there is no name there; 42704 when the name is unknown. */
    private TypeSpan typeSpan(List<Node> nodes, int k) {
        int j = k;
        if (j + 1 < nodes.size() && (isWord(nodes.get(j), "pg_catalog") || isWord(nodes.get(j), "public")) && isKind(nodes.get(j + 1), Token.Kind.DOT)) {
            j += 2;
        }
        if (j >= nodes.size() || !(nodes.get(j) instanceof Leaf first)
                || !(first.token().is(Token.Kind.WORD) || first.token().is(Token.Kind.QUOTED_IDENTIFIER))) {
            return null;
        }
        Token name = first.token();
        String typeName = name.is(Token.Kind.QUOTED_IDENTIFIER) ? "\"" + name.text() + "\"" : name.text();
        j++;
        CastTarget target;
        if (typeName.equals("map") && j < nodes.size() && nodes.get(j) instanceof Group bracket && !bracket.isParen()) {
            List<Node> inside = bracket.children();
            TypeSpan key = typeSpan(inside, 0);
            if (key == null || key.end() >= inside.size() || !isOperator(inside.get(key.end()), "=>")) {
                return null;
            }
            TypeSpan value = typeSpan(inside, key.end() + 1);
            if (value == null || value.end() != inside.size()) {
                return null;
            }
            if (key.target().type().kind() != TypeKind.TEXT) {
                throw new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED, "map key type must be text, got " + key.target().type().displayName())
                        .withPosition(name.start() + 1);
            }
            target = CastTarget.of(SqlType.map(value.target().type()));
            j++;
        } else {
            if (typeName.equals("double") && j < nodes.size() && isWord(nodes.get(j), "precision")) {
                typeName = "double precision";
                j++;
            } else if ((typeName.equals("character") || typeName.equals("char")) && j < nodes.size() && isWord(nodes.get(j), "varying")) {
                typeName = "varchar";
                j++;
            }
            List<Integer> parameters = new ArrayList<>();
            if (j < nodes.size() && nodes.get(j) instanceof Group arguments && arguments.isParen() && PgTypeNames.takesParameters(typeName)) {
                for (Node argument : arguments.children()) {
                    if (argument instanceof Leaf leaf && leaf.token().is(Token.Kind.NUMBER) && leaf.token().text().matches("[0-9]+")) {
                        parameters.add(Integer.parseInt(leaf.token().text()));
                    } else if (!isKind(argument, Token.Kind.COMMA)) {
                        return null;
                    }
                }
                j++;
            }
            if ((typeName.equals("timestamp") || typeName.equals("time")) && j + 2 < nodes.size() && isWord(nodes.get(j + 1), "time")
                    && isWord(nodes.get(j + 2), "zone")) {
                if (isWord(nodes.get(j), "with")) {
                    typeName = typeName.equals("timestamp") ? "timestamptz" : "timetz";
                    j += 3;
                } else if (isWord(nodes.get(j), "without")) {
                    j += 3;
                }
            }
            target = PgTypeNames.resolve(typeName, parameters, name.start());
            if (target == null) {
                return null;
            }
        }
        while (j < nodes.size()) {
            if (nodes.get(j) instanceof Group bracket && !bracket.isParen()
                    && (bracket.children().isEmpty() || (bracket.children().size() == 1 && isKind(bracket.children().get(0), Token.Kind.NUMBER)))) {
                if (target.type().kind() != TypeKind.ARRAY) {
                    target = new CastTarget(SqlType.array(target.type()), target.pgName(), false);
                }
                j++;
            } else if (isWord(nodes.get(j), "list")) {
                target = CastTarget.of(SqlType.list(target.type()));
                j++;
            } else {
                break;
            }
        }
        return new TypeSpan(target, j);
    }

    private String castIdentifier(CastTarget target) {
        casts.add(target);
        return "\"" + CAST_PREFIX + (casts.size() - 1) + "\"";
    }

    /** {@code 'name'::regclass} and {@code 'name'::regtype} look the name up as PostgreSQL does; null for other types. */
    private static String objectLookup(String name, String typeName) {
        String schema = null;
        String object = name;
        int dot = name.indexOf('.');
        if (dot >= 0) {
            schema = unquote(name.substring(0, dot));
            object = name.substring(dot + 1);
        }
        object = unquote(object);
        if (typeName.equals("regclass") && (schema == null || schema.equals("pg_catalog")) && CATALOG_RELATION_OIDS.containsKey(object)) {
            return String.valueOf(CATALOG_RELATION_OIDS.get(object));
        }
        if (typeName.equals("regclass")) {
            StringBuilder sql = new StringBuilder("\"$regclass\"((SELECT \"$c\".oid AS regclass FROM pg_catalog.pg_class AS \"$c\"");
            if (schema != null) {
                sql.append(" JOIN pg_catalog.pg_namespace AS \"$n\" ON \"$n\".oid = \"$c\".relnamespace WHERE \"$n\".nspname = ")
                        .append(quote(schema)).append(" AND");
            } else {
                sql.append(" WHERE pg_table_is_visible(\"$c\".oid) AND");
            }
            return sql.append(" \"$c\".relname = ").append(quote(object)).append("), ").append(quote(name)).append(')').toString();
        }
        if (typeName.equals("regproc") || typeName.equals("regprocedure")) {
            // Sluice's catalog keeps function references (pg_type.typinput, …) as their names.
            return quote(object);
        }
        if (typeName.equals("regtype")) {
            return "\"$regtype\"((SELECT \"$t\".oid AS regtype FROM pg_catalog.pg_type AS \"$t\" WHERE \"$t\".typname = "
                    + quote(PgTypeNames.internalTypeName(object)) + "), " + quote(name) + ")";
        }
        return null;
    }

    private static String unquote(String identifier) {
        if (identifier.length() >= 2 && identifier.startsWith("\"") && identifier.endsWith("\"")) {
            return identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"");
        }
        return identifier.toLowerCase(Locale.ROOT);
    }

    static String quote(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    static String quoteIdentifier(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static boolean isFollowedByParen(List<Node> nodes, int i) {
        return i + 1 < nodes.size() && nodes.get(i + 1) instanceof Group group && group.isParen();
    }

    private static boolean isWord(Node node, String word) {
        return node instanceof Leaf leaf && leaf.token().isWord(word);
    }

    private static boolean isKind(Node node, Token.Kind kind) {
        return node instanceof Leaf leaf && leaf.token().is(kind);
    }

    private static boolean isOperator(Node node, String operator) {
        return node instanceof Leaf leaf && leaf.token().is(Token.Kind.OPERATOR) && leaf.token().text().equals(operator);
    }
}
