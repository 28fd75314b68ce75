package dev.sluice.server.it;

import java.util.Optional;

/**
 * ENVELOPE DEBEZIUM, FORMAT JSON, no KEY: keyless messages, all in partition 0; an update still
 * pairs into one message by the table's primary key (§6.1, §8.1).
 */
class KafkaSinkDebeziumJsonWithoutKeyIT extends KeyValueTableVariant {
    @Override
    String sinkClauses(boolean keyNotEnforced) {
        return "FORMAT JSON ENVELOPE DEBEZIUM";
    }

    @Override
    byte[] key(Entry entry) {
        return null;
    }

    @Override
    byte[] value(Optional<Entry> before, Optional<Entry> after) {
        return debeziumValue(before, after);
    }
}
