package dev.sluice.sql.parser;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.SqlType;
import dev.sluice.common.type.TypeKind;
import dev.sluice.sql.ast.OptionValue;
import dev.sluice.sql.ast.QualifiedName;
import dev.sluice.sql.ast.SqlFragment;
import dev.sluice.sql.ast.SqlOption;
import dev.sluice.sql.ast.Statement;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Parses Sluice's statements (Materialize's dialect of PostgreSQL). Queries and expressions are not
 * parsed here: their extent is found and their text kept for Apache Calcite.
 */
public final class StatementParser {
    static final List<String> KAFKA_CONNECTION_OPTIONS = List.of("BROKER", "BROKERS", "AWS PRIVATELINK", "SECURITY PROTOCOL",
            "SASL MECHANISMS", "SASL USERNAME", "SASL PASSWORD", "SSL CERTIFICATE AUTHORITY", "SSL CERTIFICATE", "SSL KEY", "SSH TUNNEL",
            "AWS CONNECTION", "PROGRESS TOPIC REPLICATION FACTOR", "PROGRESS TOPIC");
    static final List<String> CSR_CONNECTION_OPTIONS = List.of("URL", "USERNAME", "PASSWORD", "SSL CERTIFICATE AUTHORITY", "SSL CERTIFICATE",
            "SSL KEY", "AWS PRIVATELINK", "SSH TUNNEL", "PORT");
    static final List<String> SINK_KAFKA_OPTIONS = List.of("TOPIC PARTITION COUNT", "TOPIC REPLICATION FACTOR", "TOPIC CONFIG",
            "TOPIC METADATA REFRESH INTERVAL", "TOPIC", "COMPRESSION TYPE", "TRANSACTIONAL ID PREFIX", "PROGRESS GROUP ID PREFIX",
            "PARTITION BY", "LEGACY IDS");
    static final List<String> CSR_FORMAT_OPTIONS = List.of("AVRO KEY FULLNAME", "AVRO VALUE FULLNAME", "NULL DEFAULTS",
            "KEY DOC ON TYPE", "VALUE DOC ON TYPE", "DOC ON TYPE", "KEY DOC ON COLUMN", "VALUE DOC ON COLUMN", "DOC ON COLUMN",
            "KEY COMPATIBILITY LEVEL", "VALUE COMPATIBILITY LEVEL", "SEED", "KEY STRATEGY", "VALUE STRATEGY");
    static final List<String> SINK_WITH_OPTIONS = List.of("SNAPSHOT", "VERSION", "PARTITION STRATEGY", "COMMIT INTERVAL");
    private static final Set<String> INSERT_STOP = Set.of("returning", "on");

    private final String sql;
    private final List<Token> tokens;
    private int index;

    private StatementParser(String sql) {
        this.sql = sql;
        this.tokens = Lexer.tokenize(sql);
    }

    /** Splits a query string into statement texts at top-level semicolons; empty statements are dropped. */
    public static List<String> splitStatements(String sql) {
        List<String> result = new ArrayList<>();
        int start = 0;
        for (Token token : Lexer.tokenize(sql)) {
            if (token.is(Token.Kind.SEMICOLON) || token.is(Token.Kind.EOF)) {
                String text = sql.substring(start, token.start());
                if (!Lexer.tokenize(text).get(0).is(Token.Kind.EOF)) {
                    result.add(text.strip());
                }
                start = token.end();
            }
        }
        return result;
    }

    /** Parses one statement (a trailing semicolon is allowed). */
    public static Statement parse(String sql) {
        return new StatementParser(sql).statement();
    }

    public static List<Statement> parseAll(String sql) {
        return splitStatements(sql).stream().map(StatementParser::parse).toList();
    }

    // ---------------------------------------------------------------- statements

    private Statement statement() {
        if (peek().is(Token.Kind.EOF)) {
            return new Statement.Empty(sql);
        }
        Statement statement = statementBody();
        if (statement instanceof Statement.Unsupported) {
            // Refused by name; the rest of it is not Sluice's syntax to judge.
            return statement;
        }
        if (peek().is(Token.Kind.SEMICOLON)) {
            index++;
        }
        if (!peek().is(Token.Kind.EOF)) {
            throw expected("end of statement");
        }
        return statement;
    }

    private Statement statementBody() {
        Token first = peek();
        if (first.is(Token.Kind.LEFT_PAREN)) {
            return query();
        }
        if (!first.is(Token.Kind.WORD)) {
            throw expected("a keyword at the beginning of a statement");
        }
        switch (first.text()) {
            case "select", "with", "values", "table":
                return query();
            case "create":
                return create();
            case "drop":
                return drop();
            case "insert":
                return insert();
            case "update":
                return update();
            case "delete":
                return delete();
            case "begin":
                index++;
                acceptAny("work", "transaction");
                skipTransactionModes();
                return new Statement.StartTransaction(sql);
            case "start":
                index++;
                expectWord("transaction");
                skipTransactionModes();
                return new Statement.StartTransaction(sql);
            case "commit", "end":
                index++;
                acceptAny("work", "transaction");
                return new Statement.Commit(sql);
            case "rollback", "abort":
                index++;
                acceptAny("work", "transaction");
                return new Statement.Rollback(sql);
            case "set":
                return set();
            case "reset":
                index++;
                if (acceptWord("all")) {
                    return new Statement.ResetVariable(sql, Optional.empty());
                }
                return new Statement.ResetVariable(sql, Optional.of(variableName()));
            case "show":
                return show();
            case "alter":
                return alter();
            case "comment":
                return comment();
            case "discard":
                index++;
                acceptAny("all", "plans", "sequences", "temp", "temporary");
                return new Statement.Discard(sql);
            case "deallocate":
                index++;
                acceptWord("prepare");
                if (acceptWord("all")) {
                    return new Statement.Deallocate(sql, Optional.empty());
                }
                return new Statement.Deallocate(sql, Optional.of(identifier()));
            case "copy":
                return copy();
            case "explain", "subscribe", "fetch", "declare", "close", "prepare", "execute", "grant", "revoke", "truncate", "listen",
                    "unlisten", "notify", "vacuum", "analyze", "lock", "call", "do", "reindex", "checkpoint", "refresh", "merge", "reassign":
                return new Statement.Unsupported(sql, first.text().toUpperCase(Locale.ROOT));
            default:
                throw expected("a keyword at the beginning of a statement");
        }
    }

    /** PostgreSQL's COPY options, and the legacy spellings (without parentheses) psql still sends for {@code \\copy … csv header}. */
    static final List<String> COPY_OPTIONS = List.of("FORMAT", "DELIMITER", "NULL", "HEADER", "QUOTE", "ESCAPE", "ENCODING", "FORCE_QUOTE",
            "FORCE_NOT_NULL", "FORCE_NULL", "FREEZE", "DEFAULT", "ON_ERROR", "LOG_VERBOSITY");

    /**
     * {@code COPY t [(c, …)] FROM STDIN …}, {@code COPY t [(c, …)] TO STDOUT …} and {@code COPY (query) TO STDOUT …}, with
     * {@code [WITH] (option …)} or the legacy options {@code [BINARY] [CSV [HEADER] [QUOTE [AS] 'q'] [ESCAPE [AS] 'e']]
     * [DELIMITER [AS] 'd'] [NULL [AS] 'n']}. A COPY from or to a file or program on the server is refused by name.
     */
    private Statement copy() {
        expectWord("copy");
        Optional<SqlFragment> query = Optional.empty();
        Optional<QualifiedName> table = Optional.empty();
        List<String> columns = List.of();
        if (accept(Token.Kind.LEFT_PAREN)) {
            query = Optional.of(fragment(token -> false));
            expect(Token.Kind.RIGHT_PAREN, "right parenthesis");
            if (!peek().isWord("to")) {
                throw expected("TO");
            }
        } else {
            table = Optional.of(qualifiedName());
            columns = peek().is(Token.Kind.LEFT_PAREN) ? identifierList() : List.of();
        }
        boolean to = acceptWord("to");
        if (!to) {
            expectWord("from");
        }
        if (!acceptWord(to ? "stdout" : "stdin")) {
            return new Statement.Unsupported(sql, to ? "COPY TO a file or program" : "COPY FROM a file or program");
        }
        List<SqlOption> options = copyOptions();
        return to ? new Statement.CopyTo(sql, table, columns, query, options)
                : new Statement.CopyFrom(sql, table.orElseThrow(), columns, options);
    }

    private List<SqlOption> copyOptions() {
        boolean with = acceptWord("with");
        List<SqlOption> options = new ArrayList<>();
        if (accept(Token.Kind.LEFT_PAREN)) {
            options = optionList(COPY_OPTIONS, false);
            expect(Token.Kind.RIGHT_PAREN, "right parenthesis");
        } else {
            while (peek().is(Token.Kind.WORD)) {
                Token word = next();
                int position = word.start() + 1;
                switch (word.text()) {
                    case "binary" -> options.add(new SqlOption("FORMAT", new OptionValue.Name(new QualifiedName(List.of("binary"))), position));
                    case "csv" -> options.add(new SqlOption("FORMAT", new OptionValue.Name(new QualifiedName(List.of("csv"))), position));
                    case "header" -> options.add(new SqlOption("HEADER", new OptionValue.Bool(true), position));
                    case "delimiter", "null", "quote", "escape", "encoding" -> {
                        acceptWord("as");
                        options.add(new SqlOption(word.text().toUpperCase(Locale.ROOT), optionValue(), position));
                    }
                    default -> {
                        index--;
                        throw expected(with ? "one of FORMAT, DELIMITER, NULL, HEADER, QUOTE, ESCAPE or a left parenthesis" : "end of statement");
                    }
                }
            }
        }
        return options;
    }

    private void skipTransactionModes() {
        while (peek().is(Token.Kind.WORD) || peek().is(Token.Kind.COMMA)) {
            index++;
        }
    }

    private Statement query() {
        return new Statement.Query(sql, fragment(token -> token.is(Token.Kind.SEMICOLON)));
    }

    private Statement create() {
        expectWord("create");
        if (acceptWord("table")) {
            return createTable();
        }
        if (acceptWord("secret")) {
            boolean ifNotExists = ifNotExists();
            QualifiedName name = qualifiedName();
            expectWord("as");
            return new Statement.CreateSecret(sql, ifNotExists, name, fragment(token -> token.is(Token.Kind.SEMICOLON)));
        }
        if (acceptWord("connection")) {
            return createConnection();
        }
        if (acceptWord("sink")) {
            return createSink();
        }
        if (peek().is(Token.Kind.WORD)) {
            String what = peek().text();
            if (Set.of("materialized", "view", "source", "index", "unique", "schema", "database", "cluster", "type", "role", "user", "temp",
                    "temporary", "unlogged", "default", "sequence", "function", "trigger", "extension", "network").contains(what)) {
                String feature = "CREATE " + switch (what) {
                    case "materialized" -> "MATERIALIZED VIEW";
                    case "unique" -> "UNIQUE INDEX";
                    case "temp", "temporary" -> "TEMPORARY TABLE";
                    case "unlogged" -> "UNLOGGED TABLE";
                    default -> what.toUpperCase(Locale.ROOT);
                };
                return new Statement.Unsupported(sql, feature);
            }
            if (what.equals("or") && peekAt(1).isWord("replace")) {
                return new Statement.Unsupported(sql, "CREATE OR REPLACE");
            }
        }
        throw expected("one of TABLE or SECRET or CONNECTION or SINK");
    }

    private Statement createTable() {
        boolean ifNotExists = ifNotExists();
        QualifiedName name = qualifiedName();
        expect(Token.Kind.LEFT_PAREN, "left parenthesis");
        List<Statement.ColumnDefinition> columns = new ArrayList<>();
        List<String> primaryKey = new ArrayList<>();
        do {
            if (peek().isWord("primary") || peek().isWord("constraint") || peek().isWord("unique") || peek().isWord("foreign")
                    || peek().isWord("check")) {
                if (acceptWord("constraint")) {
                    identifier();
                }
                Token constraint = peek();
                if (acceptWord("primary")) {
                    expectWord("key");
                    if (!primaryKey.isEmpty()) {
                        throw error(ErrorCode.INVALID_OBJECT_DEFINITION, "multiple primary keys for table \"" + name.last() + "\" are not allowed",
                                constraint);
                    }
                    primaryKey.addAll(identifierList());
                } else {
                    throw new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED, constraint.text().toUpperCase(Locale.ROOT)
                            + " constraints are not supported").withPosition(constraint.start() + 1)
                            .withHint("Sluice enforces NOT NULL and PRIMARY KEY.");
                }
                continue;
            }
            Token columnToken = peek();
            String column = identifier();
            SqlType type = type();
            boolean notNull = false;
            boolean columnPrimaryKey = false;
            Optional<SqlFragment> defaultValue = Optional.empty();
            while (true) {
                if (acceptWord("not")) {
                    expectWord("null");
                    notNull = true;
                } else if (acceptWord("null")) {
                    notNull = false;
                } else if (acceptWord("default")) {
                    defaultValue = Optional.of(fragment(token -> token.is(Token.Kind.COMMA) || token.is(Token.Kind.RIGHT_PAREN)
                            || token.isWord("not") || token.isWord("null") || token.isWord("primary") || token.isWord("constraint")));
                } else if (acceptWord("primary")) {
                    expectWord("key");
                    columnPrimaryKey = true;
                    notNull = true;
                } else if (peek().isWord("unique") || peek().isWord("references") || peek().isWord("check")
                        || peek().isWord("generated") || peek().isWord("collate")) {
                    Token unsupported = peek();
                    throw new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED, "column option " + unsupported.text().toUpperCase(Locale.ROOT)
                            + " is not supported").withPosition(unsupported.start() + 1);
                } else {
                    break;
                }
            }
            columns.add(new Statement.ColumnDefinition(column, type, notNull, defaultValue, columnPrimaryKey, columnToken.start() + 1));
        } while (accept(Token.Kind.COMMA));
        expect(Token.Kind.RIGHT_PAREN, "right parenthesis");
        for (Statement.ColumnDefinition column : columns) {
            if (column.primaryKey()) {
                if (!primaryKey.isEmpty()) {
                    throw new SluiceException(ErrorCode.INVALID_OBJECT_DEFINITION, "multiple primary keys for table \"" + name.last()
                            + "\" are not allowed");
                }
                primaryKey.add(column.name());
            }
        }
        return new Statement.CreateTable(sql, ifNotExists, name, columns, primaryKey);
    }

    private Statement createConnection() {
        boolean ifNotExists = ifNotExists();
        QualifiedName name = qualifiedName();
        if (!acceptWord("to") && !acceptWord("for")) {
            throw expected("one of TO or FOR");
        }
        StringBuilder type = new StringBuilder();
        while (peek().is(Token.Kind.WORD) && !peek().isWord("with")) {
            if (type.length() > 0) {
                type.append(' ');
            }
            type.append(next().text().toUpperCase(Locale.ROOT));
            String sofar = type.toString();
            if (sofar.equals("KAFKA") || sofar.equals("CONFLUENT SCHEMA REGISTRY") || sofar.equals("SSH TUNNEL") || sofar.equals("AWS PRIVATELINK")
                    || sofar.equals("POSTGRES") || sofar.equals("MYSQL") || sofar.equals("AWS") || sofar.equals("SQL SERVER")
                    || sofar.equals("ICEBERG CATALOG")) {
                break;
            }
        }
        String connectionType = type.toString();
        List<String> known = connectionType.equals("KAFKA") ? KAFKA_CONNECTION_OPTIONS
                : connectionType.equals("CONFLUENT SCHEMA REGISTRY") ? CSR_CONNECTION_OPTIONS : List.of();
        List<SqlOption> options = new ArrayList<>();
        if (known.isEmpty()) {
            // Out-of-scope connection types: skip their options, the planner refuses them by name.
            skipBalanced();
        } else if (accept(Token.Kind.LEFT_PAREN)) {
            options = optionList(known, false);
            expect(Token.Kind.RIGHT_PAREN, "right parenthesis");
        } else if (connectionType.equals("KAFKA") && !peek().isWord("with") && !peek().is(Token.Kind.EOF)) {
            options = optionList(known, false);
        } else if (!peek().isWord("with")) {
            throw expected("left parenthesis");
        }
        List<SqlOption> with = List.of();
        if (acceptWord("with")) {
            expect(Token.Kind.LEFT_PAREN, "left parenthesis");
            with = optionList(List.of("VALIDATE"), false);
            expect(Token.Kind.RIGHT_PAREN, "right parenthesis");
        }
        return new Statement.CreateConnection(sql, ifNotExists, name, connectionType, options, with);
    }

    private void skipBalanced() {
        if (accept(Token.Kind.LEFT_PAREN)) {
            int depth = 1;
            while (depth > 0 && !peek().is(Token.Kind.EOF)) {
                Token token = next();
                if (token.is(Token.Kind.LEFT_PAREN)) {
                    depth++;
                } else if (token.is(Token.Kind.RIGHT_PAREN)) {
                    depth--;
                }
            }
        }
    }

    private Statement createSink() {
        boolean ifNotExists = ifNotExists();
        Optional<QualifiedName> name = Optional.empty();
        if (!peek().isWord("from") && !peek().isWord("in")) {
            name = Optional.of(qualifiedName());
        }
        Optional<String> cluster = Optional.empty();
        if (acceptWord("in")) {
            expectWord("cluster");
            cluster = Optional.of(identifier());
        }
        expectWord("from");
        QualifiedName from = qualifiedName();
        expectWord("into");
        if (!peek().isWord("kafka")) {
            throw expected("KAFKA");
        }
        index++;
        expectWord("connection");
        QualifiedName connection = qualifiedName();
        List<SqlOption> kafkaOptions = List.of();
        if (accept(Token.Kind.LEFT_PAREN)) {
            kafkaOptions = optionList(SINK_KAFKA_OPTIONS, false);
            expect(Token.Kind.RIGHT_PAREN, "right parenthesis");
        }
        Optional<Statement.SinkKey> key = Optional.empty();
        if (peek().isWord("key") && peekAt(1).is(Token.Kind.LEFT_PAREN)) {
            Token keyToken = next();
            List<String> columns = identifierList();
            boolean notEnforced = false;
            if (acceptWord("not")) {
                expectWord("enforced");
                notEnforced = true;
            }
            key = Optional.of(new Statement.SinkKey(columns, notEnforced, keyToken.start() + 1));
        } else if (peek().isWord("key") && !peekAt(1).isWord("format")) {
            index++;
            throw expected("left parenthesis");
        }
        Optional<String> headers = Optional.empty();
        if (acceptWord("headers")) {
            headers = Optional.of(identifier());
        }
        Optional<Statement.Format> format = Optional.empty();
        Optional<Statement.Format> keyFormat = Optional.empty();
        Optional<Statement.Format> valueFormat = Optional.empty();
        if (acceptWord("format")) {
            format = Optional.of(format());
        } else if (peek().isWord("key") && peekAt(1).isWord("format")) {
            index += 2;
            keyFormat = Optional.of(format());
            expectWord("value");
            expectWord("format");
            valueFormat = Optional.of(format());
        }
        Optional<String> envelope = Optional.empty();
        if (acceptWord("envelope")) {
            Token envelopeToken = next();
            if (!envelopeToken.is(Token.Kind.WORD)) {
                index--;
                throw expected("one of UPSERT or DEBEZIUM");
            }
            envelope = Optional.of(envelopeToken.text().toUpperCase(Locale.ROOT));
        }
        Optional<String> mode = Optional.empty();
        if (acceptWord("mode")) {
            mode = Optional.of(identifier().toUpperCase(Locale.ROOT));
        }
        List<SqlOption> with = List.of();
        if (acceptWord("with")) {
            expect(Token.Kind.LEFT_PAREN, "left parenthesis");
            with = optionList(SINK_WITH_OPTIONS, true);
            expect(Token.Kind.RIGHT_PAREN, "right parenthesis");
        }
        if (!peek().is(Token.Kind.EOF) && !peek().is(Token.Kind.SEMICOLON)) {
            throw expected("end of statement");
        }
        return new Statement.CreateSink(sql, ifNotExists, name, cluster, from, connection, kafkaOptions, key, headers, format, keyFormat,
                valueFormat, envelope, mode, with);
    }

    private Statement.Format format() {
        Token start = peek();
        if (!start.is(Token.Kind.WORD)) {
            throw expected("one of AVRO or JSON or TEXT or BYTES");
        }
        String name = next().text().toUpperCase(Locale.ROOT);
        switch (name) {
            case "JSON":
                if (acceptWord("array")) {
                    return new Statement.Format("JSON ARRAY", Optional.empty(), List.of(), start.start() + 1);
                }
                return new Statement.Format(name, Optional.empty(), List.of(), start.start() + 1);
            case "TEXT", "BYTES":
                return new Statement.Format(name, Optional.empty(), List.of(), start.start() + 1);
            case "AVRO":
                expectWord("using");
                if (acceptWord("schema")) {
                    next();
                    return new Statement.Format("AVRO USING SCHEMA", Optional.empty(), List.of(), start.start() + 1);
                }
                expectWord("confluent");
                expectWord("schema");
                expectWord("registry");
                expectWord("connection");
                QualifiedName connection = qualifiedName();
                List<SqlOption> options = List.of();
                if (accept(Token.Kind.LEFT_PAREN)) {
                    options = optionList(CSR_FORMAT_OPTIONS, false);
                    expect(Token.Kind.RIGHT_PAREN, "right parenthesis");
                }
                return new Statement.Format(name, Optional.of(connection), options, start.start() + 1);
            case "PROTOBUF", "CSV", "REGEX":
                while (!peek().is(Token.Kind.EOF) && !peek().isWord("envelope") && !peek().isWord("with") && !peek().isWord("value")
                        && !peek().is(Token.Kind.SEMICOLON)) {
                    if (peek().is(Token.Kind.LEFT_PAREN)) {
                        skipBalanced();
                    } else {
                        next();
                    }
                }
                return new Statement.Format(name, Optional.empty(), List.of(), start.start() + 1);
            default:
                index--;
                throw expected("one of AVRO or JSON or TEXT or BYTES");
        }
    }

    private Statement drop() {
        expectWord("drop");
        Statement.ObjectKind kind = objectKind();
        boolean ifExists = false;
        if (acceptWord("if")) {
            expectWord("exists");
            ifExists = true;
        }
        List<QualifiedName> names = new ArrayList<>();
        do {
            names.add(qualifiedName());
        } while (accept(Token.Kind.COMMA));
        boolean cascade = false;
        if (acceptWord("cascade")) {
            cascade = true;
        } else {
            acceptWord("restrict");
        }
        return new Statement.Drop(sql, kind, ifExists, names, cascade);
    }

    private Statement.ObjectKind objectKind() {
        Token token = peek();
        if (!token.is(Token.Kind.WORD)) {
            throw expected("an object type");
        }
        index++;
        return switch (token.text()) {
            case "table" -> Statement.ObjectKind.TABLE;
            case "secret" -> Statement.ObjectKind.SECRET;
            case "connection" -> Statement.ObjectKind.CONNECTION;
            case "sink" -> Statement.ObjectKind.SINK;
            case "view" -> Statement.ObjectKind.VIEW;
            case "materialized" -> {
                expectWord("view");
                yield Statement.ObjectKind.MATERIALIZED_VIEW;
            }
            case "source" -> Statement.ObjectKind.SOURCE;
            case "index" -> Statement.ObjectKind.INDEX;
            case "schema" -> Statement.ObjectKind.SCHEMA;
            case "database" -> Statement.ObjectKind.DATABASE;
            case "cluster" -> Statement.ObjectKind.CLUSTER;
            case "type" -> Statement.ObjectKind.TYPE;
            case "role" -> Statement.ObjectKind.ROLE;
            case "column" -> Statement.ObjectKind.COLUMN;
            default -> {
                index--;
                throw expected("an object type");
            }
        };
    }

    private Statement insert() {
        expectWord("insert");
        expectWord("into");
        QualifiedName table = qualifiedName();
        if (acceptWord("as")) {
            identifier();
        }
        List<String> columns = List.of();
        if (peek().is(Token.Kind.LEFT_PAREN) && !isQueryStart(peekAt(1))) {
            columns = identifierList();
        }
        Optional<Statement.InsertValues> values = Optional.empty();
        Optional<SqlFragment> query = Optional.empty();
        if (acceptWord("default")) {
            expectWord("values");
        } else if (peek().isWord("values") && peekAt(1).is(Token.Kind.LEFT_PAREN) && isSimpleValues()) {
            index++;
            List<List<Optional<SqlFragment>>> rows = new ArrayList<>();
            do {
                expect(Token.Kind.LEFT_PAREN, "left parenthesis");
                List<Optional<SqlFragment>> row = new ArrayList<>();
                do {
                    if (peek().isWord("default") && (peekAt(1).is(Token.Kind.COMMA) || peekAt(1).is(Token.Kind.RIGHT_PAREN))) {
                        index++;
                        row.add(Optional.empty());
                    } else {
                        row.add(Optional.of(fragment(token -> token.is(Token.Kind.COMMA) || token.is(Token.Kind.RIGHT_PAREN))));
                    }
                } while (accept(Token.Kind.COMMA));
                expect(Token.Kind.RIGHT_PAREN, "right parenthesis");
                rows.add(row);
            } while (accept(Token.Kind.COMMA));
            values = Optional.of(new Statement.InsertValues(rows));
        } else if (isQueryStart(peek())) {
            query = Optional.of(fragment(token -> token.is(Token.Kind.SEMICOLON) || (token.is(Token.Kind.WORD) && INSERT_STOP.contains(token.text()))));
        } else {
            throw expected("one of VALUES or SELECT or DEFAULT");
        }
        Optional<SqlFragment> returning = Optional.empty();
        if (acceptWord("returning")) {
            returning = Optional.of(fragment(token -> token.is(Token.Kind.SEMICOLON)));
        }
        if (peek().isWord("on")) {
            throw new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED, "INSERT ... ON CONFLICT is not supported").withPosition(peek().start() + 1);
        }
        return new Statement.Insert(sql, table, columns, values, query, returning);
    }

    /** VALUES rows that are followed only by RETURNING or the end (not ORDER BY/UNION …): the planner fills defaults per cell. */
    private boolean isSimpleValues() {
        int depth = 0;
        for (int i = index + 1; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.is(Token.Kind.LEFT_PAREN)) {
                depth++;
            } else if (token.is(Token.Kind.RIGHT_PAREN)) {
                depth--;
            } else if (depth == 0 && !token.is(Token.Kind.COMMA)) {
                return token.is(Token.Kind.EOF) || token.is(Token.Kind.SEMICOLON) || token.isWord("returning") || token.isWord("on");
            }
        }
        return true;
    }

    private static boolean isQueryStart(Token token) {
        return token.isWord("select") || token.isWord("with") || token.isWord("values") || token.isWord("table")
                || token.is(Token.Kind.LEFT_PAREN);
    }

    private Statement update() {
        expectWord("update");
        QualifiedName table = qualifiedName();
        Optional<String> alias = Optional.empty();
        if (acceptWord("as")) {
            alias = Optional.of(identifier());
        } else if (peek().is(Token.Kind.WORD) && !peek().isWord("set") || peek().is(Token.Kind.QUOTED_IDENTIFIER)) {
            alias = Optional.of(identifier());
        }
        expectWord("set");
        List<Statement.Assignment> assignments = new ArrayList<>();
        do {
            String column = identifier();
            if (!peek().is(Token.Kind.OPERATOR) || !peek().text().equals("=")) {
                throw expected("equals sign");
            }
            index++;
            assignments.add(new Statement.Assignment(column, fragment(token -> token.is(Token.Kind.COMMA) || token.isWord("where")
                    || token.is(Token.Kind.SEMICOLON) || token.isWord("returning"))));
        } while (accept(Token.Kind.COMMA));
        Optional<SqlFragment> where = Optional.empty();
        if (acceptWord("where")) {
            where = Optional.of(fragment(token -> token.is(Token.Kind.SEMICOLON) || token.isWord("returning")));
        }
        rejectReturning();
        return new Statement.Update(sql, table, alias, assignments, where);
    }

    private Statement delete() {
        expectWord("delete");
        expectWord("from");
        QualifiedName table = qualifiedName();
        Optional<String> alias = Optional.empty();
        if (acceptWord("as")) {
            alias = Optional.of(identifier());
        } else if (peek().is(Token.Kind.WORD) && !peek().isWord("where") && !peek().isWord("using") && !peek().isWord("returning")
                || peek().is(Token.Kind.QUOTED_IDENTIFIER)) {
            alias = Optional.of(identifier());
        }
        if (peek().isWord("using")) {
            throw new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED, "DELETE ... USING is not supported").withPosition(peek().start() + 1)
                    .withHint("Use a subquery in WHERE instead.");
        }
        Optional<SqlFragment> where = Optional.empty();
        if (acceptWord("where")) {
            where = Optional.of(fragment(token -> token.is(Token.Kind.SEMICOLON) || token.isWord("returning")));
        }
        rejectReturning();
        return new Statement.Delete(sql, table, alias, where);
    }

    private void rejectReturning() {
        if (peek().isWord("returning")) {
            throw new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED, "RETURNING is not supported").withPosition(peek().start() + 1);
        }
    }

    private Statement set() {
        expectWord("set");
        boolean local = false;
        if (acceptWord("local")) {
            local = true;
        } else {
            acceptWord("session");
        }
        if (acceptWord("time")) {
            expectWord("zone");
            return new Statement.SetVariable(sql, "timezone", local, List.of(valueWord()));
        }
        if (acceptWord("names")) {
            return new Statement.SetVariable(sql, "client_encoding", local, List.of(valueWord()));
        }
        if (peek().isWord("transaction") || peek().isWord("session") && peekAt(1).isWord("characteristics")) {
            while (!peek().is(Token.Kind.EOF) && !peek().is(Token.Kind.SEMICOLON)) {
                index++;
            }
            return new Statement.SetVariable(sql, "transaction_isolation", local, List.of());
        }
        String name = variableName();
        if (!acceptWord("to") && !(peek().is(Token.Kind.OPERATOR) && peek().text().equals("="))) {
            throw expected("equals sign or TO");
        }
        if (peek().is(Token.Kind.OPERATOR)) {
            index++;
        }
        if (acceptWord("default")) {
            return new Statement.SetVariable(sql, name, local, List.of());
        }
        List<String> values = new ArrayList<>();
        do {
            values.add(valueWord());
        } while (accept(Token.Kind.COMMA));
        return new Statement.SetVariable(sql, name, local, values);
    }

    private String valueWord() {
        Token token = next();
        if (token.is(Token.Kind.OPERATOR) && token.text().equals("-") && peek().is(Token.Kind.NUMBER)) {
            return "-" + next().text();
        }
        if (token.is(Token.Kind.WORD) || token.is(Token.Kind.QUOTED_IDENTIFIER) || token.is(Token.Kind.STRING) || token.is(Token.Kind.NUMBER)) {
            return token.text();
        }
        index--;
        throw expected("a value");
    }

    private String variableName() {
        StringBuilder name = new StringBuilder(identifier());
        while (accept(Token.Kind.DOT)) {
            name.append('.').append(identifier());
        }
        return name.toString();
    }

    private Statement show() {
        expectWord("show");
        if (acceptWord("create")) {
            Statement.ObjectKind kind = objectKind();
            return new Statement.ShowCreate(sql, kind, qualifiedName());
        }
        Token what = peek();
        Optional<Statement.ShowKind> kind = Optional.empty();
        if (what.is(Token.Kind.WORD)) {
            kind = switch (what.text()) {
                case "tables" -> Optional.of(Statement.ShowKind.TABLES);
                case "secrets" -> Optional.of(Statement.ShowKind.SECRETS);
                case "connections" -> Optional.of(Statement.ShowKind.CONNECTIONS);
                case "sinks" -> Optional.of(Statement.ShowKind.SINKS);
                case "schemas" -> Optional.of(Statement.ShowKind.SCHEMAS);
                case "databases" -> Optional.of(Statement.ShowKind.DATABASES);
                case "clusters" -> Optional.of(Statement.ShowKind.CLUSTERS);
                case "columns" -> Optional.of(Statement.ShowKind.COLUMNS);
                case "sources" -> Optional.of(Statement.ShowKind.SOURCES);
                case "views" -> Optional.of(Statement.ShowKind.VIEWS);
                case "indexes" -> Optional.of(Statement.ShowKind.INDEXES);
                case "materialized" -> peekAt(1).isWord("views") ? Optional.of(Statement.ShowKind.MATERIALIZED_VIEWS) : Optional.empty();
                default -> Optional.empty();
            };
        }
        if (kind.isEmpty()) {
            if (acceptWord("time")) {
                expectWord("zone");
                return new Statement.ShowVariable(sql, "timezone");
            }
            if (peek().isWord("transaction") && peekAt(1).isWord("isolation")) {
                index += 2;
                expectWord("level");
                return new Statement.ShowVariable(sql, "transaction_isolation");
            }
            return new Statement.ShowVariable(sql, variableName());
        }
        index += kind.get() == Statement.ShowKind.MATERIALIZED_VIEWS ? 2 : 1;
        Optional<QualifiedName> from = Optional.empty();
        if (acceptWord("from") || acceptWord("in") || acceptWord("on")) {
            from = Optional.of(qualifiedName());
        }
        Optional<String> like = Optional.empty();
        Optional<SqlFragment> where = Optional.empty();
        if (acceptWord("like")) {
            Token pattern = next();
            if (!pattern.is(Token.Kind.STRING)) {
                index--;
                throw expected("string literal");
            }
            like = Optional.of(pattern.text());
        } else if (acceptWord("where")) {
            where = Optional.of(fragment(token -> token.is(Token.Kind.SEMICOLON)));
        }
        return new Statement.Show(sql, kind.get(), from, like, where);
    }

    private Statement alter() {
        expectWord("alter");
        if (acceptWord("secret")) {
            boolean ifExists = false;
            if (acceptWord("if")) {
                expectWord("exists");
                ifExists = true;
            }
            QualifiedName name = qualifiedName();
            expectWord("as");
            return new Statement.AlterSecret(sql, ifExists, name, fragment(token -> token.is(Token.Kind.SEMICOLON)));
        }
        return new Statement.Unsupported(sql, "ALTER " + (peek().is(Token.Kind.WORD) ? peek().text().toUpperCase(Locale.ROOT) : ""));
    }

    private Statement comment() {
        expectWord("comment");
        expectWord("on");
        Statement.ObjectKind kind = objectKind();
        QualifiedName target = qualifiedName();
        expectWord("is");
        if (acceptWord("null")) {
            return new Statement.CommentOn(sql, kind, target, Optional.empty());
        }
        Token text = next();
        if (!text.is(Token.Kind.STRING)) {
            index--;
            throw expected("string literal");
        }
        return new Statement.CommentOn(sql, kind, target, Optional.of(text.text()));
    }

    // ---------------------------------------------------------------- options

    /**
     * {@code NAME [=] value [, …]} where NAME is the longest of {@code known} matching the next words.
     * {@code withStyle} selects the WITH-clause error text of CREATE SINK.
     */
    private List<SqlOption> optionList(List<String> known, boolean withStyle) {
        List<SqlOption> options = new ArrayList<>();
        if (peek().is(Token.Kind.RIGHT_PAREN)) {
            return options;
        }
        do {
            Token start = peek();
            String name = optionName(known, withStyle);
            boolean docOn = name.endsWith("DOC ON TYPE") || name.endsWith("DOC ON COLUMN");
            if (!docOn && peek().is(Token.Kind.OPERATOR) && peek().text().equals("=")) {
                index++;
            }
            OptionValue value;
            if (name.equals("PARTITION BY")) {
                value = new OptionValue.Expression(fragment(token -> token.is(Token.Kind.COMMA) || token.is(Token.Kind.RIGHT_PAREN)));
            } else if (docOn) {
                QualifiedName target = qualifiedName();
                OptionValue text = new OptionValue.Absent();
                if (peek().is(Token.Kind.OPERATOR) && peek().text().equals("=")) {
                    index++;
                    text = optionValue();
                } else if (!peek().is(Token.Kind.COMMA) && !peek().is(Token.Kind.RIGHT_PAREN)) {
                    throw expected("equals sign");
                }
                // The target's parts are the words; planning rejects a missing text ("cannot be empty").
                value = new OptionValue.Qualified(text, target.parts());
            } else if (peek().is(Token.Kind.COMMA) || peek().is(Token.Kind.RIGHT_PAREN) || peek().is(Token.Kind.EOF)) {
                value = new OptionValue.Absent();
            } else {
                value = optionValue();
            }
            options.add(new SqlOption(name, value, start.start() + 1));
        } while (accept(Token.Kind.COMMA));
        return options;
    }

    private String optionName(List<String> known, boolean withStyle) {
        String best = null;
        for (String candidate : known) {
            String[] words = candidate.split(" ");
            boolean matches = true;
            for (int i = 0; i < words.length; i++) {
                Token token = peekAt(i);
                if (!token.is(Token.Kind.WORD) || !token.text().equals(words[i].toLowerCase(Locale.ROOT))) {
                    matches = false;
                    break;
                }
            }
            if (matches && (best == null || candidate.split(" ").length > best.split(" ").length)) {
                best = candidate;
            }
        }
        if (best == null) {
            if (withStyle) {
                throw expected("one of PARTITION or SNAPSHOT or VERSION or COMMIT");
            }
            List<String> firstWords = known.stream().map(option -> option.split(" ")[0]).distinct().sorted().toList();
            throw expected("one of " + String.join(" or ", firstWords));
        }
        index += best.split(" ").length;
        return best;
    }

    private OptionValue optionValue() {
        OptionValue value = optionValueCore();
        List<String> words = new ArrayList<>();
        while (peek().isWord("using") || !words.isEmpty() && peek().is(Token.Kind.WORD)) {
            words.add(next().text().toUpperCase(Locale.ROOT));
            if (peek().is(Token.Kind.LEFT_PAREN)) {
                skipBalanced();
            }
        }
        return words.isEmpty() ? value : new OptionValue.Qualified(value, words);
    }

    private OptionValue optionValueCore() {
        Token token = peek();
        switch (token.kind()) {
            case STRING -> {
                index++;
                return new OptionValue.Text(token.text());
            }
            case NUMBER -> {
                index++;
                return new OptionValue.Number(token.text());
            }
            case OPERATOR -> {
                if (token.text().equals("-") && peekAt(1).is(Token.Kind.NUMBER)) {
                    index += 2;
                    return new OptionValue.Number("-" + peekAt(-1).text());
                }
                throw expected("option value");
            }
            case LEFT_PAREN -> {
                index++;
                List<OptionValue> values = new ArrayList<>();
                if (!peek().is(Token.Kind.RIGHT_PAREN)) {
                    do {
                        values.add(optionValue());
                    } while (accept(Token.Kind.COMMA));
                }
                expect(Token.Kind.RIGHT_PAREN, "right parenthesis");
                return new OptionValue.Sequence(values);
            }
            case WORD, QUOTED_IDENTIFIER -> {
                if (token.isWord("true") || token.isWord("false")) {
                    index++;
                    return new OptionValue.Bool(token.isWord("true"));
                }
                if (token.isWord("secret") && (peekAt(1).is(Token.Kind.WORD) || peekAt(1).is(Token.Kind.QUOTED_IDENTIFIER))) {
                    index++;
                    return new OptionValue.Secret(qualifiedName());
                }
                if (token.isWord("map") && peekAt(1).is(Token.Kind.LEFT_BRACKET)) {
                    index += 2;
                    List<Map.Entry<String, OptionValue>> entries = new ArrayList<>();
                    if (!peek().is(Token.Kind.RIGHT_BRACKET)) {
                        do {
                            Token key = next();
                            if (!key.is(Token.Kind.STRING)) {
                                index--;
                                throw expected("string");
                            }
                            if (!(peek().is(Token.Kind.OPERATOR) && peek().text().equals("=>"))) {
                                throw expected("arrow");
                            }
                            index++;
                            entries.add(new AbstractMap.SimpleImmutableEntry<>(key.text(), optionValueCore()));
                        } while (accept(Token.Kind.COMMA));
                    }
                    expect(Token.Kind.RIGHT_BRACKET, "right square bracket");
                    return new OptionValue.MapValue(entries);
                }
                return new OptionValue.Name(qualifiedName());
            }
            default -> throw expected("option value");
        }
    }

    // ---------------------------------------------------------------- types

    /** A SQL type: names as PostgreSQL spells them, Materialize's uint, map and list types, arrays. */
    private SqlType type() {
        Token start = peek();
        if (!start.is(Token.Kind.WORD) && !start.is(Token.Kind.QUOTED_IDENTIFIER)) {
            throw expected("a data type name");
        }
        SqlType type;
        if (start.isWord("map") && peekAt(1).is(Token.Kind.LEFT_BRACKET)) {
            index += 2;
            SqlType key = type();
            if (key.kind() != TypeKind.TEXT) {
                throw new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED, "map key type must be text, got " + key.displayName())
                        .withPosition(start.start() + 1);
            }
            if (!(peek().is(Token.Kind.OPERATOR) && peek().text().equals("=>"))) {
                throw expected("arrow");
            }
            index++;
            SqlType value = type();
            expect(Token.Kind.RIGHT_BRACKET, "right square bracket");
            type = SqlType.map(value);
        } else {
            index++;
            String name = start.text();
            if (name.equals("double") && acceptWord("precision")) {
                name = "double precision";
            } else if ((name.equals("character") || name.equals("char")) && acceptWord("varying")) {
                name = "varchar";
            }
            int[] parameters = typeParameters();
            if ((name.equals("timestamp") || name.equals("time")) && peek().isWord("with") && peekAt(1).isWord("time")) {
                index += 3;
                expectAfter("zone");
                name = name.equals("timestamp") ? "timestamptz" : "timetz";
            } else if ((name.equals("timestamp") || name.equals("time")) && peek().isWord("without") && peekAt(1).isWord("time")) {
                index += 3;
                expectAfter("zone");
            }
            type = baseType(name, parameters, start);
        }
        while (true) {
            if (acceptWord("list")) {
                type = SqlType.list(type);
            } else if (peek().is(Token.Kind.LEFT_BRACKET) && peekAt(1).is(Token.Kind.RIGHT_BRACKET)) {
                index += 2;
                type = type.kind() == TypeKind.ARRAY ? type : SqlType.array(type);
            } else {
                return type;
            }
        }
    }

    private void expectAfter(String word) {
        if (!peekAt(-1).isWord(word)) {
            index--;
            throw expected(word.toUpperCase(Locale.ROOT));
        }
    }

    private int[] typeParameters() {
        if (!accept(Token.Kind.LEFT_PAREN)) {
            return new int[0];
        }
        List<Integer> values = new ArrayList<>();
        do {
            Token number = next();
            if (!number.is(Token.Kind.NUMBER)) {
                index--;
                throw expected("literal integer");
            }
            values.add(Integer.parseInt(number.text()));
        } while (accept(Token.Kind.COMMA));
        expect(Token.Kind.RIGHT_PAREN, "right parenthesis");
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    private SqlType baseType(String name, int[] parameters, Token at) {
        int first = parameters.length > 0 ? parameters[0] : -1;
        SqlType type = switch (name) {
            case "boolean", "bool" -> SqlType.BOOLEAN;
            case "smallint", "int2" -> SqlType.SMALLINT;
            case "integer", "int", "int4" -> SqlType.INTEGER;
            case "bigint", "int8" -> SqlType.BIGINT;
            case "real", "float4" -> SqlType.REAL;
            case "double precision", "float8" -> SqlType.DOUBLE;
            case "float" -> first >= 1 && first <= 24 ? SqlType.REAL : SqlType.DOUBLE;
            case "numeric", "decimal" -> {
                if (first == 0 || first > 39) {
                    throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "precision for type numeric must be between 1 and 39")
                            .withPosition(at.start() + 1);
                }
                int scale = parameters.length > 1 ? parameters[1] : (parameters.length == 1 ? 0 : -1);
                if (scale > first && first > 0) {
                    throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "numeric scale " + scale + " must be between 0 and precision "
                            + first).withPosition(at.start() + 1);
                }
                yield SqlType.numeric(first, scale);
            }
            case "text", "string" -> SqlType.TEXT;
            case "varchar" -> SqlType.varchar(first);
            case "char", "character", "bpchar" -> SqlType.character(first < 0 ? 1 : first);
            case "bytea" -> SqlType.BYTEA;
            case "date" -> SqlType.DATE;
            case "time" -> SqlType.withPrecision(TypeKind.TIME, first);
            case "timestamp" -> SqlType.withPrecision(TypeKind.TIMESTAMP, first);
            case "timestamptz" -> SqlType.withPrecision(TypeKind.TIMESTAMPTZ, first);
            case "interval" -> SqlType.INTERVAL;
            case "jsonb", "json" -> SqlType.JSONB;
            case "uuid" -> SqlType.UUID;
            case "uint2" -> SqlType.UINT2;
            case "uint4" -> SqlType.UINT4;
            case "uint8" -> SqlType.UINT8;
            default -> throw new SluiceException(ErrorCode.UNDEFINED_OBJECT, "type \"" + name + "\" does not exist").withPosition(at.start() + 1);
        };
        if ((type.kind() == TypeKind.TIME || type.kind() == TypeKind.TIMESTAMP || type.kind() == TypeKind.TIMESTAMPTZ) && first > 6) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "precision for type " + name + " must be between 0 and 6")
                    .withPosition(at.start() + 1);
        }
        if ((type.kind() == TypeKind.VARCHAR || type.kind() == TypeKind.CHAR) && first == 0) {
            throw new SluiceException(ErrorCode.INVALID_PARAMETER_VALUE, "length for type " + name + " must be at least 1")
                    .withPosition(at.start() + 1);
        }
        return type;
    }

    /** Parses a type name on its own (e.g. for casts in the planner). */
    public static SqlType parseType(String text) {
        StatementParser parser = new StatementParser(text);
        SqlType type = parser.type();
        if (!parser.peek().is(Token.Kind.EOF)) {
            throw parser.expected("end of type name");
        }
        return type;
    }

    // ---------------------------------------------------------------- helpers

    private SqlFragment fragment(Predicate<Token> stopAtDepthZero) {
        int depth = 0;
        int startIndex = index;
        while (true) {
            Token token = peek();
            if (token.is(Token.Kind.EOF)) {
                break;
            }
            if (depth == 0 && stopAtDepthZero.test(token)) {
                break;
            }
            if (token.is(Token.Kind.LEFT_PAREN) || token.is(Token.Kind.LEFT_BRACKET)) {
                depth++;
            } else if (token.is(Token.Kind.RIGHT_PAREN) || token.is(Token.Kind.RIGHT_BRACKET)) {
                if (depth == 0) {
                    break;
                }
                depth--;
            }
            index++;
        }
        if (index == startIndex) {
            throw expected("an expression");
        }
        int start = tokens.get(startIndex).start();
        int end = tokens.get(index - 1).end();
        return new SqlFragment(sql.substring(start, end), start);
    }

    private boolean ifNotExists() {
        if (peek().isWord("if") && peekAt(1).isWord("not")) {
            index += 2;
            expectWord("exists");
            return true;
        }
        return false;
    }

    private QualifiedName qualifiedName() {
        List<String> parts = new ArrayList<>();
        parts.add(identifier());
        while (accept(Token.Kind.DOT)) {
            parts.add(identifier());
        }
        return new QualifiedName(parts);
    }

    private List<String> identifierList() {
        expect(Token.Kind.LEFT_PAREN, "left parenthesis");
        List<String> names = new ArrayList<>();
        do {
            names.add(identifier());
        } while (accept(Token.Kind.COMMA));
        expect(Token.Kind.RIGHT_PAREN, "right parenthesis");
        return names;
    }

    private String identifier() {
        Token token = peek();
        if (token.is(Token.Kind.WORD) || token.is(Token.Kind.QUOTED_IDENTIFIER)) {
            index++;
            return token.text();
        }
        throw expected("identifier");
    }

    private Token peek() {
        return tokens.get(Math.min(index, tokens.size() - 1));
    }

    private Token peekAt(int offset) {
        return tokens.get(Math.max(0, Math.min(index + offset, tokens.size() - 1)));
    }

    private Token next() {
        Token token = peek();
        if (!token.is(Token.Kind.EOF)) {
            index++;
        }
        return token;
    }

    private boolean accept(Token.Kind kind) {
        if (peek().is(kind)) {
            index++;
            return true;
        }
        return false;
    }

    private boolean acceptWord(String word) {
        if (peek().isWord(word)) {
            index++;
            return true;
        }
        return false;
    }

    private void acceptAny(String... words) {
        for (String word : words) {
            if (acceptWord(word)) {
                return;
            }
        }
    }

    private void expectWord(String word) {
        if (!acceptWord(word)) {
            throw expected(word.toUpperCase(Locale.ROOT));
        }
    }

    private void expect(Token.Kind kind, String description) {
        if (!accept(kind)) {
            throw expected(description);
        }
    }

    private SluiceException expected(String what) {
        Token found = peek();
        return new SluiceException(ErrorCode.SYNTAX_ERROR, "Expected " + what + ", found " + found.describe()).withPosition(found.start() + 1);
    }

    private static SluiceException error(ErrorCode code, String message, Token at) {
        return new SluiceException(code, message).withPosition(at.start() + 1);
    }
}
