package dev.sluice.server.it;

/** ENVELOPE DEBEZIUM, FORMAT AVRO with KEY (k): {@code before}/{@code after} as {@code ["null", row]} unions, never a tombstone. */
class KafkaSinkDebeziumAvroIT extends AvroKeyValueTableVariant {
    @Override
    String sinkClauses(boolean keyNotEnforced) {
        return keyClause(keyNotEnforced) + " " + avroFormat() + " ENVELOPE DEBEZIUM";
    }

    @Override
    boolean debezium() {
        return true;
    }
}
