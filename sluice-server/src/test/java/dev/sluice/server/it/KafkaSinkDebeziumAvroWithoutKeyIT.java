package dev.sluice.server.it;

/** ENVELOPE DEBEZIUM, FORMAT AVRO without KEY: no message key (partition 0), no key subject. */
class KafkaSinkDebeziumAvroWithoutKeyIT extends AvroKeyValueTableVariant {
    @Override
    String sinkClauses(boolean keyNotEnforced) {
        return avroFormat() + " ENVELOPE DEBEZIUM";
    }

    @Override
    boolean debezium() {
        return true;
    }
}
