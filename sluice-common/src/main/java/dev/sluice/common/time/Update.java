package dev.sluice.common.time;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.value.Row;

/**
 * One change of a collection: {@code diff} copies of {@code row} were added (positive) or removed
 * (negative) at logical time {@code time} (epoch milliseconds from the timestamp oracle).
 */
public record Update(Row row, long time, long diff) {
    public Update {
        requireNonNull(row, "row is null");
    }
}
