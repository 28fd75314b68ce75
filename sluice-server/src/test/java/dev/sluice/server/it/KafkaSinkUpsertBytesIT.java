package dev.sluice.server.it;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** ENVELOPE UPSERT, FORMAT BYTES on a one-column int table: key and value are the 4-byte big-endian PostgreSQL binary int4 (§9.4). */
class KafkaSinkUpsertBytesIT extends KafkaSinkConformanceSuite {
    @Override
    String columns(boolean primaryKey) {
        return primaryKey ? "(k int PRIMARY KEY)" : "(k int)";
    }

    @Override
    String sinkClauses(boolean keyNotEnforced) {
        return keyClause(keyNotEnforced) + " FORMAT BYTES ENVELOPE UPSERT";
    }

    @Override
    String literal(Entry entry) {
        return "(" + entry.k() + ")";
    }

    @Override
    byte[] key(Entry entry) {
        return ByteBuffer.allocate(4).putInt(entry.k()).array();
    }

    @Override
    byte[] value(Optional<Entry> before, Optional<Entry> after) {
        return after.map(this::key).orElse(null);
    }

    /** A one-column table cannot update a row and keep its key. */
    @Override
    Set<Scenario> scenarios() {
        return EnumSet.complementOf(EnumSet.of(Scenario.UPDATE_IN_PLACE));
    }
}
