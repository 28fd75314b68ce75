package dev.sluice.server.it;

import java.util.Optional;

/** Variants over the table {@code (k int, v text)}, the reference's §8.3.1 example, whose value format is JSON. */
abstract class KeyValueTableVariant extends KafkaSinkConformanceSuite {
    @Override
    String columns(boolean primaryKey) {
        return primaryKey ? "(k int PRIMARY KEY, v text)" : "(k int, v text)";
    }

    @Override
    String literal(Entry entry) {
        return "(" + entry.k() + ", '" + entry.v() + "')";
    }

    /** The JSON of the row, or {@code null} when absent. */
    static String json(Optional<Entry> entry) {
        return entry.map(row -> "{\"k\":" + row.k() + ",\"v\":\"" + row.v() + "\"}").orElse("null");
    }

    /** The upsert value: the row's JSON, or a tombstone. */
    static byte[] upsertValue(Optional<Entry> after) {
        return after.map(row -> utf8(json(after))).orElse(null);
    }

    /** The Debezium value: {@code {"before":…,"after":…}}. */
    static byte[] debeziumValue(Optional<Entry> before, Optional<Entry> after) {
        return utf8("{\"before\":" + json(before) + ",\"after\":" + json(after) + "}");
    }
}
