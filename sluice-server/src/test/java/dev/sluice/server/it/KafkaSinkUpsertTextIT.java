package dev.sluice.server.it;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** ENVELOPE UPSERT, FORMAT TEXT on a one-column table: key and value are the column's text (§9.4). */
class KafkaSinkUpsertTextIT extends KafkaSinkConformanceSuite {
    @Override
    String columns(boolean primaryKey) {
        return primaryKey ? "(k text PRIMARY KEY)" : "(k text)";
    }

    @Override
    String sinkClauses(boolean keyNotEnforced) {
        return keyClause(keyNotEnforced) + " FORMAT TEXT ENVELOPE UPSERT";
    }

    @Override
    String literal(Entry entry) {
        return "('" + text(entry) + "')";
    }

    @Override
    String keyLiteral(Entry entry) {
        return "'" + text(entry) + "'";
    }

    private static String text(Entry entry) {
        return "käse " + entry.k();
    }

    @Override
    byte[] key(Entry entry) {
        return utf8(text(entry));
    }

    @Override
    byte[] value(Optional<Entry> before, Optional<Entry> after) {
        return after.map(row -> utf8(text(row))).orElse(null);
    }

    /** A one-column table cannot update a row and keep its key. */
    @Override
    Set<Scenario> scenarios() {
        return EnumSet.complementOf(EnumSet.of(Scenario.UPDATE_IN_PLACE));
    }
}
