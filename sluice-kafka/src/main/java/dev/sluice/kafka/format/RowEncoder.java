package dev.sluice.kafka.format;

import dev.sluice.common.value.Row;

/** Encodes a row (or the key columns of one) into message bytes; byte-exact, since keys are hashed for partitioning. */
@FunctionalInterface
public interface RowEncoder {
    byte[] encode(Row row);
}
