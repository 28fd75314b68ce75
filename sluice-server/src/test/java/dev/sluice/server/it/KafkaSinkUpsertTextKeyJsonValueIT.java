package dev.sluice.server.it;

import java.util.Optional;

/** ENVELOPE UPSERT, KEY FORMAT TEXT VALUE FORMAT JSON: the key is the PostgreSQL text of k. */
class KafkaSinkUpsertTextKeyJsonValueIT extends KafkaSinkConformanceSuite {
    @Override
    String columns(boolean primaryKey) {
        return primaryKey ? "(k int PRIMARY KEY, v text)" : "(k int, v text)";
    }

    @Override
    String sinkClauses(boolean keyNotEnforced) {
        return "KEY (k)" + (keyNotEnforced ? " NOT ENFORCED" : "") + " KEY FORMAT TEXT VALUE FORMAT JSON ENVELOPE UPSERT";
    }

    @Override
    String literal(Entry entry) {
        return "(" + entry.k() + ", '" + entry.v() + "')";
    }

    @Override
    byte[] key(Entry entry) {
        return utf8(Integer.toString(entry.k()));
    }

    @Override
    byte[] value(Optional<Entry> before, Optional<Entry> after) {
        return after.map(row -> utf8("{\"k\":" + row.k() + ",\"v\":\"" + row.v() + "\"}")).orElse(null);
    }
}
