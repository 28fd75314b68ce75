package dev.sluice.server.it;

import java.util.Optional;

/** ENVELOPE UPSERT, FORMAT JSON: key {@code {"k":…}}, value the whole row, tombstones for deletes (§8.2, §8.3.1). */
class KafkaSinkUpsertJsonIT extends KafkaSinkConformanceSuite {
    @Override
    String columns(boolean primaryKey) {
        return primaryKey ? "(k int PRIMARY KEY, v text)" : "(k int, v text)";
    }

    @Override
    String sinkClauses(boolean keyNotEnforced) {
        return "KEY (k)" + (keyNotEnforced ? " NOT ENFORCED" : "") + " FORMAT JSON ENVELOPE UPSERT";
    }

    @Override
    String literal(Entry entry) {
        return "(" + entry.k() + ", '" + entry.v() + "')";
    }

    @Override
    byte[] key(Entry entry) {
        return utf8("{\"k\":" + entry.k() + "}");
    }

    @Override
    byte[] value(Optional<Entry> before, Optional<Entry> after) {
        return after.map(row -> utf8("{\"k\":" + row.k() + ",\"v\":\"" + row.v() + "\"}")).orElse(null);
    }
}
