package dev.sluice.storage;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.value.Row;

/** A row of a consolidated snapshot and how many copies of it there are (always positive). */
public record RowCount(Row row, long count) {
    public RowCount {
        requireNonNull(row, "row is null");
    }
}
