package dev.sluice.server.catalog;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An immutable snapshot of the catalog: every user object by id and by name. The coordinator
 * replaces its snapshot atomically after each DDL statement commits, so readers (queries over
 * catalog tables, sessions resolving names) always see a consistent catalog without locking.
 *
 * <p>There is one database, {@value #DATABASE}, with one user schema, {@value #SCHEMA}; all
 * object types share one namespace in it, as in PostgreSQL's {@code pg_class}.
 */
public final class Catalog {
    public static final String DATABASE = "materialize";
    public static final String SCHEMA = "public";

    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_$]*");
    private static final Comparator<String> BY_ID_NUMBER = Comparator.comparingLong(Catalog::idNumber);

    private final String environmentId;
    private final long nextId;
    private final Map<String, CatalogItem> byId;
    private final Map<String, CatalogItem> byName;
    private final Map<Comment.Target, Comment> comments;

    private Catalog(String environmentId, long nextId, Map<String, CatalogItem> byId, Map<Comment.Target, Comment> comments) {
        this.environmentId = requireNonNull(environmentId, "environmentId is null");
        this.nextId = nextId;
        this.byId = Collections.unmodifiableMap(byId);
        this.comments = Collections.unmodifiableMap(comments);
        Map<String, CatalogItem> names = new LinkedHashMap<>();
        for (CatalogItem item : byId.values()) {
            names.put(item.name(), item);
        }
        this.byName = Collections.unmodifiableMap(names);
    }

    public static Catalog empty(String environmentId) {
        return new Catalog(environmentId, 1, new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    /** The environment id: the {@code REGION ID} of default Kafka names. */
    public String environmentId() {
        return environmentId;
    }

    /** The id the next created object gets. */
    public String peekNextId() {
        return "u" + nextId;
    }

    public long nextIdNumber() {
        return nextId;
    }

    /** A catalog with {@code item} added or replaced (same id); ids below {@code nextId} are taken. */
    public Catalog with(CatalogItem item) {
        Map<String, CatalogItem> items = new LinkedHashMap<>(byId);
        items.put(item.id(), item);
        return new Catalog(environmentId, Math.max(nextId, idNumber(item.id()) + 1), sorted(items), new LinkedHashMap<>(comments));
    }

    /** A catalog without {@code id} and without the comments on it. */
    public Catalog without(String id) {
        Map<String, CatalogItem> items = new LinkedHashMap<>(byId);
        items.remove(id);
        Map<Comment.Target, Comment> remaining = new LinkedHashMap<>(comments);
        remaining.keySet().removeIf(target -> target.objectId().equals(id));
        return new Catalog(environmentId, nextId, items, remaining);
    }

    /** A catalog with {@code comment} set, replacing an earlier one on the same target. */
    public Catalog withComment(Comment comment) {
        Map<Comment.Target, Comment> updated = new LinkedHashMap<>(comments);
        updated.put(comment.target(), comment);
        return new Catalog(environmentId, nextId, new LinkedHashMap<>(byId), updated);
    }

    /** A catalog without a comment on {@code target} ({@code COMMENT ON … IS NULL}). */
    public Catalog withoutComment(Comment.Target target) {
        Map<Comment.Target, Comment> updated = new LinkedHashMap<>(comments);
        updated.remove(target);
        return new Catalog(environmentId, nextId, new LinkedHashMap<>(byId), updated);
    }

    public Optional<Comment> comment(Comment.Target target) {
        return Optional.ofNullable(comments.get(target));
    }

    /** Every comment, in the order they were set. */
    public List<Comment> comments() {
        return List.copyOf(comments.values());
    }

    /** Comments on {@code objectId} itself and on its columns. */
    public List<Comment> commentsOn(String objectId) {
        return comments.values().stream().filter(comment -> comment.target().objectId().equals(objectId)).toList();
    }

    public Catalog withNextId(long newNextId) {
        return new Catalog(environmentId, Math.max(nextId, newNextId), new LinkedHashMap<>(byId), new LinkedHashMap<>(comments));
    }

    public Optional<CatalogItem> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Optional<CatalogItem> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** All items in id order. */
    public List<CatalogItem> items() {
        return List.copyOf(byId.values());
    }

    public <T extends CatalogItem> List<T> items(Class<T> type) {
        List<T> result = new ArrayList<>();
        for (CatalogItem item : byId.values()) {
            if (type.isInstance(item)) {
                result.add(type.cast(item));
            }
        }
        return result;
    }

    /** Items that depend on {@code id}, in id order. */
    public List<CatalogItem> dependents(String id) {
        return byId.values().stream().filter(item -> item.dependencies().contains(id)).toList();
    }

    /**
     * Resolves a name as written ({@code t}, {@code public.t}, {@code materialize.public.t}) to an item
     * of the expected type; 42P01/42704 with PostgreSQL's wording when absent, 42809 when the name is
     * taken by an object of another type.
     */
    public <T extends CatalogItem> T resolve(List<String> parts, Class<T> type, ObjectType objectType) {
        Optional<CatalogItem> item = lookup(parts);
        String written = String.join(".", parts);
        if (item.isEmpty()) {
            if (objectType == ObjectType.TABLE) {
                throw SluiceException.of(ErrorCode.UNDEFINED_TABLE, "unknown catalog item '%s'", written);
            }
            throw SluiceException.of(ErrorCode.UNDEFINED_OBJECT, "unknown catalog item '%s'", written);
        }
        if (!type.isInstance(item.get())) {
            throw SluiceException.of(ErrorCode.WRONG_OBJECT_TYPE, "%s is a %s, not a %s",
                    item.get().qualifiedName(), item.get().type().word(), objectType.word());
        }
        return type.cast(item.get());
    }

    /** Looks a name up without type checks; empty for unknown databases/schemas too. */
    public Optional<CatalogItem> lookup(List<String> parts) {
        if (parts.isEmpty() || parts.size() > 3) {
            return Optional.empty();
        }
        if (parts.size() == 3 && !parts.get(0).equals(DATABASE)) {
            return Optional.empty();
        }
        if (parts.size() >= 2 && !parts.get(parts.size() - 2).equals(SCHEMA)) {
            return Optional.empty();
        }
        return byName(parts.get(parts.size() - 1));
    }

    /** Quotes an identifier only when PostgreSQL would need it. */
    public static String quoteIdentifier(String identifier) {
        if (PLAIN_IDENTIFIER.matcher(identifier).matches() && !SqlKeywords.isReserved(identifier)) {
            return identifier;
        }
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static long idNumber(String id) {
        if (!id.startsWith("u")) {
            throw new IllegalArgumentException("not a user id: " + id);
        }
        return Long.parseLong(id.substring(1));
    }

    private static Map<String, CatalogItem> sorted(Map<String, CatalogItem> items) {
        Map<String, CatalogItem> result = new LinkedHashMap<>();
        items.keySet().stream().sorted(BY_ID_NUMBER).forEach(id -> result.put(id, items.get(id)));
        return result;
    }
}
