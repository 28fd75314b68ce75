package dev.sluice.common.type;

import static java.util.Objects.requireNonNull;

/** A named, typed column of a relation. */
public record Column(String name, SqlType type, boolean nullable) {
    public Column {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }
}
