package dev.sluice.server.ddl;

import dev.sluice.server.catalog.Catalog;
import dev.sluice.server.catalog.CatalogItem;
import dev.sluice.server.catalog.Comment;
import dev.sluice.server.catalog.TableItem;
import dev.sluice.sql.ast.OptionValue;
import dev.sluice.sql.ast.SqlOption;
import dev.sluice.sql.ast.Statement;
import dev.sluice.sql.parser.Lexer;
import dev.sluice.sql.parser.Token;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code COMMENT ON} texts as Avro documentation (reference §2.4.1 item 12): at CREATE SINK, every
 * Avro format clause gets a {@code DOC ON TYPE <relation> = '…'} / {@code DOC ON COLUMN
 * <relation>.<column> = '…'} option for each comment of the sinked relation and its columns, unless
 * the statement already has an unprefixed {@code DOC ON} for that target. The rewritten statement is
 * what the catalog stores ({@code SHOW CREATE SINK} shows it), so the schemas never change when
 * comments change later.
 */
final class SinkComments {
    private SinkComments() {
    }

    /** The statement's text with the comment options added; unchanged when there is nothing to add. */
    static String inject(Catalog catalog, Statement.CreateSink statement) {
        Optional<CatalogItem> from = catalog.lookup(statement.from().parts());
        if (from.isEmpty() || !(from.get() instanceof TableItem table) || catalog.commentsOn(table.id()).isEmpty()) {
            return statement.sql();
        }
        List<Insertion> insertions = new ArrayList<>();
        List<Token> tokens = Lexer.tokenize(statement.sql());
        for (Optional<Statement.Format> format : List.of(statement.format(), statement.keyFormat(), statement.valueFormat())) {
            if (format.isEmpty() || !format.get().name().equals("AVRO")) {
                continue;
            }
            List<String> options = new ArrayList<>();
            List<Comment> comments = catalog.commentsOn(table.id()).stream().sorted(Comparator.comparingInt(c -> c.target().column())).toList();
            for (Comment comment : comments) {
                Optional<String> column = comment.target().onColumn()
                        ? Optional.of(table.desc().column(comment.target().column() - 1).name()) : Optional.empty();
                if (!givenByUser(catalog, format.get(), table.id(), column)) {
                    options.add(option(table, column, comment.text()));
                }
            }
            if (!options.isEmpty()) {
                insertion(tokens, format.get(), String.join(", ", options)).ifPresent(insertions::add);
            }
        }
        StringBuilder sql = new StringBuilder(statement.sql());
        insertions.sort(Comparator.comparingInt(Insertion::offset).reversed());
        for (Insertion insertion : insertions) {
            sql.insert(insertion.offset(), insertion.text());
        }
        return sql.toString();
    }

    private record Insertion(int offset, String text) {
    }

    private static boolean givenByUser(Catalog catalog, Statement.Format format, String objectId, Optional<String> column) {
        for (SqlOption option : format.options()) {
            boolean onColumn = option.name().equals("DOC ON COLUMN");
            if (!onColumn && !option.name().equals("DOC ON TYPE") || !(option.value() instanceof OptionValue.Qualified qualified)) {
                continue;
            }
            List<String> target = qualified.words();
            if (onColumn != column.isPresent() || onColumn && target.size() < 2) {
                continue;
            }
            List<String> objectParts = onColumn ? target.subList(0, target.size() - 1) : target;
            boolean sameObject = catalog.lookup(objectParts).map(item -> item.id().equals(objectId)).orElse(false);
            if (sameObject && (!onColumn || target.get(target.size() - 1).equals(column.get()))) {
                return true;
            }
        }
        return false;
    }

    private static String option(TableItem table, Optional<String> column, String text) {
        String relation = String.join(".", Catalog.quoteIdentifier(Catalog.DATABASE), Catalog.quoteIdentifier(Catalog.SCHEMA),
                Catalog.quoteIdentifier(table.name()));
        String literal = "'" + text.replace("'", "''") + "'";
        return column.map(name -> "DOC ON COLUMN " + relation + "." + Catalog.quoteIdentifier(name) + " = " + literal)
                .orElse("DOC ON TYPE " + relation + " = " + literal);
    }

    /** Where the options go: before the closing parenthesis of the format's option list, or a new list after the connection name. */
    private static Optional<Insertion> insertion(List<Token> tokens, Statement.Format format, String options) {
        int index = 0;
        while (index < tokens.size() && tokens.get(index).start() != format.position() - 1) {
            index++;
        }
        // AVRO USING CONFLUENT SCHEMA REGISTRY CONNECTION <name>[.<name>...]; the parser accepted exactly this shape.
        int name = index + 6;
        if (name >= tokens.size() || !tokens.get(index).isWord("avro")) {
            return Optional.empty();
        }
        int end = name + 1;
        while (tokens.get(end).is(Token.Kind.DOT)) {
            end += 2;
        }
        if (!tokens.get(end).is(Token.Kind.LEFT_PAREN)) {
            return Optional.of(new Insertion(tokens.get(end - 1).end(), " (" + options + ")"));
        }
        int depth = 0;
        int close = end;
        do {
            if (tokens.get(close).is(Token.Kind.LEFT_PAREN)) {
                depth++;
            } else if (tokens.get(close).is(Token.Kind.RIGHT_PAREN)) {
                depth--;
            }
            close++;
        } while (depth > 0);
        close--;
        boolean empty = close == end + 1;
        return Optional.of(new Insertion(tokens.get(close).start(), (empty ? "" : ", ") + options));
    }
}
