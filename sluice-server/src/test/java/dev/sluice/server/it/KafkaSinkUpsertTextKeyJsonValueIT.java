package dev.sluice.server.it;

import java.util.Optional;

/**
 * ENVELOPE UPSERT, KEY FORMAT TEXT VALUE FORMAT JSON: the key is the PostgreSQL text of k.
 */
class KafkaSinkUpsertTextKeyJsonValueIT extends KeyValueTableVariant {
    @Override
    String sinkClauses(boolean keyNotEnforced) {
        return keyClause(keyNotEnforced) + " KEY FORMAT TEXT VALUE FORMAT JSON ENVELOPE UPSERT";
    }

    @Override
    byte[] key(Entry entry) {
        return utf8(Integer.toString(entry.k()));
    }

    @Override
    byte[] value(Optional<Entry> before, Optional<Entry> after) {
        return upsertValue(after);
    }
}
