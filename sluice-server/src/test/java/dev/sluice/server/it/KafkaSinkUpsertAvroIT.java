package dev.sluice.server.it;

/** ENVELOPE UPSERT, FORMAT AVRO with KEY (k): key record {@code row}, value record {@code envelope}, tombstones for deletes. */
class KafkaSinkUpsertAvroIT extends AvroKeyValueTableVariant {
    @Override
    String sinkClauses(boolean keyNotEnforced) {
        return keyClause(keyNotEnforced) + " " + avroFormat() + " ENVELOPE UPSERT";
    }

    @Override
    boolean debezium() {
        return false;
    }
}
