package dev.sluice.server.it;

import java.util.Optional;

/** ENVELOPE DEBEZIUM, FORMAT JSON with KEY (k): {@code {"before":…,"after":…}}, never a tombstone (§8.3, §8.3.1). */
class KafkaSinkDebeziumJsonIT extends KafkaSinkConformanceSuite {
    @Override
    String columns(boolean primaryKey) {
        return primaryKey ? "(k int PRIMARY KEY, v text)" : "(k int, v text)";
    }

    @Override
    String sinkClauses(boolean keyNotEnforced) {
        return "KEY (k)" + (keyNotEnforced ? " NOT ENFORCED" : "") + " FORMAT JSON ENVELOPE DEBEZIUM";
    }

    @Override
    String literal(Entry entry) {
        return "(" + entry.k() + ", '" + entry.v() + "')";
    }

    @Override
    byte[] key(Entry entry) {
        return utf8("{\"k\":" + entry.k() + "}");
    }

    static String row(Optional<Entry> entry) {
        return entry.map(row -> "{\"k\":" + row.k() + ",\"v\":\"" + row.v() + "\"}").orElse("null");
    }

    @Override
    byte[] value(Optional<Entry> before, Optional<Entry> after) {
        return utf8("{\"before\":" + row(before) + ",\"after\":" + row(after) + "}");
    }
}
