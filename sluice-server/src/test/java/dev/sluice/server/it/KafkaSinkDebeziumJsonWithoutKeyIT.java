package dev.sluice.server.it;

import java.util.Optional;

/**
 * ENVELOPE DEBEZIUM, FORMAT JSON, no KEY: keyless messages, all in partition 0; an update still
 * pairs into one message by the table's primary key (§6.1, §8.1).
 */
class KafkaSinkDebeziumJsonWithoutKeyIT extends KafkaSinkConformanceSuite {
    @Override
    String columns(boolean primaryKey) {
        return primaryKey ? "(k int PRIMARY KEY, v text)" : "(k int, v text)";
    }

    @Override
    String sinkClauses(boolean keyNotEnforced) {
        return "FORMAT JSON ENVELOPE DEBEZIUM";
    }

    @Override
    String literal(Entry entry) {
        return "(" + entry.k() + ", '" + entry.v() + "')";
    }

    @Override
    byte[] key(Entry entry) {
        return null;
    }

    @Override
    byte[] value(Optional<Entry> before, Optional<Entry> after) {
        return utf8("{\"before\":" + KafkaSinkDebeziumJsonIT.row(before) + ",\"after\":" + KafkaSinkDebeziumJsonIT.row(after) + "}");
    }
}
