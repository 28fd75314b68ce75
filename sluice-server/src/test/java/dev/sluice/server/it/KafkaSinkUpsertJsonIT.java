package dev.sluice.server.it;

import java.util.Optional;

/**
 * ENVELOPE UPSERT, FORMAT JSON: key {@code {"k":…}}, value the whole row, tombstones for deletes (§8.2, §8.3.1).
 */
class KafkaSinkUpsertJsonIT extends KeyValueTableVariant {
    @Override
    String sinkClauses(boolean keyNotEnforced) {
        return keyClause(keyNotEnforced) + " FORMAT JSON ENVELOPE UPSERT";
    }

    @Override
    byte[] key(Entry entry) {
        return utf8("{\"k\":" + entry.k() + "}");
    }

    @Override
    byte[] value(Optional<Entry> before, Optional<Entry> after) {
        return upsertValue(after);
    }
}
