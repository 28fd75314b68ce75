package dev.sluice.sql.ast;

import java.util.List;

/** A possibly qualified object name as written, each part already normalised. */
public record QualifiedName(List<String> parts) {
    public QualifiedName {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("empty name");
        }
    }

    public static QualifiedName of(String... parts) {
        return new QualifiedName(List.of(parts));
    }

    /** The unqualified name. */
    public String last() {
        return parts.get(parts.size() - 1);
    }

    @Override
    public String toString() {
        return String.join(".", parts);
    }
}
