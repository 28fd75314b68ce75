package dev.sluice.server.it;

import java.util.Optional;

/**
 * ENVELOPE DEBEZIUM, FORMAT JSON with KEY (k): {@code {"before":…,"after":…}}, never a tombstone (§8.3, §8.3.1).
 */
class KafkaSinkDebeziumJsonIT extends KeyValueTableVariant {
    @Override
    String sinkClauses(boolean keyNotEnforced) {
        return keyClause(keyNotEnforced) + " FORMAT JSON ENVELOPE DEBEZIUM";
    }

    @Override
    byte[] key(Entry entry) {
        return utf8("{\"k\":" + entry.k() + "}");
    }

    @Override
    byte[] value(Optional<Entry> before, Optional<Entry> after) {
        return debeziumValue(before, after);
    }
}
