package dev.sluice.kafka.sink;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.time.Update;
import dev.sluice.common.type.Column;
import dev.sluice.common.type.RelationDesc;
import dev.sluice.common.value.Row;
import dev.sluice.kafka.envelope.DiffPairs;
import dev.sluice.kafka.format.RowEncoder;
import dev.sluice.kafka.format.avro.AvroDebeziumEncoder;
import dev.sluice.kafka.format.avro.AvroRowEncoder;
import dev.sluice.kafka.format.json.JsonRowEncoder;
import dev.sluice.kafka.format.text.TextRowEncoder;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The key and value bytes of one sink incarnation's messages, in its formats and envelope, framed with
 * its schema ids. Not thread-safe (the encoders reuse their buffers): the writer has one, and the
 * input's reader thread another, to encode insertions ahead ({@link #insertions}); both make the same
 * bytes for the same rows.
 */
final class MessageEncoder {
    /**
     * The messages of updates that are all insertions at one time, for the UPSERT envelope: per update its
     * key (null without key columns) and value, sent as many times as its multiplicity.
     */
    record Insertions(long time, List<Update> updates, byte[][] keys, byte[][] values) {
        Insertions {
            requireNonNull(updates, "updates is null");
            requireNonNull(keys, "keys is null");
            requireNonNull(values, "values is null");
        }
    }

    private final KafkaSinkDescription description;
    /** The key columns, or null for messages without a key. */
    private final List<Integer> keyIndexes;
    private final RowEncoder keyEncoder;
    private final RowEncoder valueEncoder;
    private final JsonRowEncoder.Reusing jsonValue;
    private final Optional<AvroDebeziumEncoder> avroDebezium;

    MessageEncoder(KafkaSinkDescription description, RelationDesc desc, SchemaIds schemaIds) {
        this.description = requireNonNull(description, "description is null");
        this.keyIndexes = description.keyColumns().orElse(null);
        List<Column> keyColumns = description.keyColumns().map(indexes -> indexes.stream().map(desc::column).toList()).orElse(List.of());
        this.keyEncoder = encoder(description.keyFormat(), keyColumns, description.keyAvro(), schemaIds.key());
        boolean avroDebeziumValue = description.envelope() == KafkaSinkDescription.Envelope.DEBEZIUM && description.valueAvro().isPresent();
        this.valueEncoder = avroDebeziumValue ? row -> {
            throw new IllegalStateException("Debezium values are encoded as pairs");
        } : encoder(description.valueFormat(), desc.columns(), description.valueAvro(), schemaIds.value());
        this.avroDebezium = avroDebeziumValue
                ? Optional.of(new AvroDebeziumEncoder(schemaIds.value().orElseThrow(), description.valueAvro().get().schema(), desc.columns()))
                : Optional.empty();
        this.jsonValue = new JsonRowEncoder(desc.columns()).reusing();
    }

    private static RowEncoder encoder(KafkaSinkDescription.Format format, List<Column> columns, Optional<KafkaSinkDescription.AvroPart> avro,
            OptionalInt schemaId) {
        return switch (format) {
            case JSON -> new JsonRowEncoder(columns).reusing();
            case TEXT -> columns.isEmpty() ? row -> new byte[0] : new TextRowEncoder(columns.get(0).type(), false);
            case BYTES -> columns.isEmpty() ? row -> new byte[0] : new TextRowEncoder(columns.get(0).type(), true);
            case AVRO -> avro.isEmpty() ? row -> new byte[0] : new AvroRowEncoder(schemaId.orElseThrow(), avro.get().schema(), columns);
        };
    }

    /** Whether {@code updates} (not empty) are all insertions at one time into an UPSERT sink: no pairing needed. */
    boolean insertionsOnly(List<Update> updates) {
        if (description.envelope() != KafkaSinkDescription.Envelope.UPSERT || updates.isEmpty()) {
            return false;
        }
        long time = updates.get(0).time();
        for (Update update : updates) {
            if (update.diff() <= 0 || update.time() != time) {
                return false;
            }
        }
        return true;
    }

    /** The messages of updates for which {@link #insertionsOnly} holds. */
    Insertions insertions(List<Update> updates) {
        byte[][] keys = new byte[updates.size()][];
        byte[][] values = new byte[updates.size()][];
        for (int i = 0; i < keys.length; i++) {
            Row row = updates.get(i).row();
            keys[i] = key(row);
            values[i] = valueEncoder.encode(row);
        }
        return new Insertions(updates.get(0).time(), updates, keys, values);
    }

    /** The key of {@code row}'s message, or null when the sink has no key. */
    byte[] key(Row row) {
        return keyIndexes == null ? null : keyEncoder.encode(row.project(keyIndexes));
    }

    /** The value of {@code pair}'s message: in UPSERT the new row (null, a tombstone, for a deletion); in DEBEZIUM both. */
    byte[] value(DiffPairs.Pair pair) {
        return switch (description.envelope()) {
            case UPSERT -> pair.after().map(valueEncoder::encode).orElse(null);
            case DEBEZIUM -> debezium(pair);
        };
    }

    private byte[] debezium(DiffPairs.Pair pair) {
        if (avroDebezium.isPresent()) {
            return avroDebezium.get().encode(pair.before(), pair.after());
        }
        if (description.valueFormat() != KafkaSinkDescription.Format.JSON) {
            byte[] before = pair.before().map(valueEncoder::encode).orElse(new byte[0]);
            byte[] after = pair.after().map(valueEncoder::encode).orElse(new byte[0]);
            byte[] both = new byte[before.length + after.length];
            System.arraycopy(before, 0, both, 0, before.length);
            System.arraycopy(after, 0, both, before.length, after.length);
            return both;
        }
        return jsonValue.encodeDebezium(pair.before(), pair.after());
    }
}
