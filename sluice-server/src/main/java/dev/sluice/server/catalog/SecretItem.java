package dev.sluice.server.catalog;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.value.ByteString;
import java.util.Set;

/**
 * A secret. Its value is only ever read by the code that builds client configurations; it is
 * never part of {@link #createSql()}, {@link #toString()}, catalog tables, errors or logs.
 */
public final class SecretItem implements CatalogItem {
    private final String id;
    private final String name;
    private final ByteString value;

    public SecretItem(String id, String name, ByteString value) {
        this.id = requireNonNull(id, "id is null");
        this.name = requireNonNull(name, "name is null");
        this.value = requireNonNull(value, "value is null");
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ObjectType type() {
        return ObjectType.SECRET;
    }

    @Override
    public String createSql() {
        return "CREATE SECRET " + Catalog.quoteIdentifier(Catalog.DATABASE) + "." + Catalog.quoteIdentifier(Catalog.SCHEMA) + "."
                + Catalog.quoteIdentifier(name) + " AS '********'";
    }

    @Override
    public Set<String> dependencies() {
        return Set.of();
    }

    /** The secret's value, for client configuration only. */
    public ByteString value() {
        return value;
    }

    public SecretItem withValue(ByteString newValue) {
        return new SecretItem(id, name, newValue);
    }

    @Override
    public String toString() {
        return "SecretItem[id=" + id + ", name=" + name + ", value=<redacted>]";
    }
}
