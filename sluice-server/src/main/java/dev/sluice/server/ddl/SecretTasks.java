package dev.sluice.server.ddl;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.type.TypeKind;
import dev.sluice.common.value.ByteString;
import dev.sluice.common.value.Row;
import dev.sluice.server.catalog.Catalog;
import dev.sluice.server.catalog.CatalogItem;
import dev.sluice.server.catalog.ObjectType;
import dev.sluice.server.catalog.SecretItem;
import dev.sluice.server.catalog.StoredItem;
import dev.sluice.server.coordinator.Coordinator;
import dev.sluice.sql.ast.Statement;
import dev.sluice.sql.parser.Lexer;
import dev.sluice.sql.parser.Token;
import dev.sluice.sql.query.QueryContext;
import dev.sluice.sql.query.QueryEngine;
import dev.sluice.storage.WriteBatch;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code CREATE SECRET} and {@code ALTER SECRET}: the value is evaluated once, stored, and never shown again. */
public final class SecretTasks {
    private SecretTasks() {
    }

    public static Coordinator.DdlResult create(Catalog catalog, Statement.CreateSecret statement, DdlContext context) {
        Names.checkSchema(statement.name());
        String name = statement.name().last();
        Optional<CatalogItem> existing = catalog.byName(name);
        if (existing.isPresent()) {
            if (statement.ifNotExists()) {
                return Coordinator.DdlResult.noop(catalog, "secret \"" + name + "\" already exists, skipping");
            }
            throw SluiceException.of(ErrorCode.DUPLICATE_OBJECT, "secret \"%s\" already exists", existing.get().qualifiedName());
        }
        SecretItem secret = new SecretItem(catalog.peekNextId(), name, evaluate(statement.value().text(), context));
        WriteBatch batch = new WriteBatch().add(StoredItem.COLLECTION_ID, stored(secret).toRow(), 1);
        return new Coordinator.DdlResult(catalog.with(secret), batch, List.of(), Optional.empty());
    }

    public static Coordinator.DdlResult alter(Catalog catalog, Statement.AlterSecret statement, DdlContext context) {
        Optional<CatalogItem> existing = catalog.lookup(statement.name().parts());
        if (existing.isEmpty() && statement.ifExists()) {
            return Coordinator.DdlResult.noop(catalog, "secret \"" + statement.name() + "\" does not exist, skipping");
        }
        SecretItem secret = catalog.resolve(statement.name().parts(), SecretItem.class, ObjectType.SECRET);
        SecretItem updated = secret.withValue(evaluate(statement.value().text(), context));
        WriteBatch batch = new WriteBatch()
                .add(StoredItem.COLLECTION_ID, stored(secret).toRow(), -1)
                .add(StoredItem.COLLECTION_ID, stored(updated).toRow(), 1);
        return new Coordinator.DdlResult(catalog.with(updated), batch, List.of(), Optional.empty());
    }

    static StoredItem stored(SecretItem secret) {
        var body = StoredItem.newBody();
        body.put("name", secret.name());
        body.put("value", Base64.getEncoder().encodeToString(secret.value().toByteArray()));
        return new StoredItem(secret.id(), "secret", body);
    }

    static SecretItem load(StoredItem item) {
        return new SecretItem(item.id(), item.text("name"), ByteString.wrap(Base64.getDecoder().decode(item.text("value"))));
    }

    /**
     * The secret's bytes (reference §2.1: an expression that references no relation and is implicitly castable to
     * {@code bytea}): a {@code bytea} result as is, a string literal or text as its UTF-8 bytes; anything else is an
     * error. Errors never echo the expression, since it is the secret.
     */
    private static ByteString evaluate(String expression, DdlContext context) {
        for (Token token : Lexer.tokenize(expression)) {
            if (token.isWord("select") || token.isWord("from")) {
                throw new SluiceException(ErrorCode.FEATURE_NOT_SUPPORTED, "CREATE SECRET ... AS must not reference relations or contain subqueries")
                        .withHint("Write the value as a string literal, or as an expression such as decode('c2VjcmV0Cg==', 'base64').");
            }
        }
        QueryEngine.CompiledExpression compiled;
        Object value;
        try {
            compiled = context.engine().compileExpression(expression, List.of(), Optional.empty());
            value = compiled.evaluate(Row.EMPTY, List.of(), new QueryContext(0, Map.of()));
        } catch (SluiceException e) {
            // The underlying message may quote parts of the expression, which are the secret: keep only its SQLSTATE.
            throw new SluiceException(e.code(), "invalid secret value: the expression could not be evaluated (SQLSTATE " + e.code().sqlState() + ")")
                    .withHint("Write the value as a string literal, or as an expression such as decode('c2VjcmV0Cg==', 'base64').");
        }
        TypeKind kind = compiled.type().kind();
        if (kind != TypeKind.BYTEA && kind != TypeKind.TEXT && kind != TypeKind.VARCHAR && kind != TypeKind.CHAR) {
            throw SluiceException.of(ErrorCode.DATATYPE_MISMATCH, "CREATE SECRET ... AS must have type bytea, not type %s", compiled.type().displayName())
                    .withHint("Quote the value as a string literal.");
        }
        if (value == null) {
            throw new SluiceException(ErrorCode.NULL_VALUE_NOT_ALLOWED, "secret value must not be NULL");
        }
        if (value instanceof ByteString bytes) {
            return bytes;
        }
        return ByteString.wrap(value.toString().getBytes(StandardCharsets.UTF_8));
    }
}
