package dev.sluice.kafka.format.avro;

import dev.sluice.common.type.Column;
import dev.sluice.common.value.Row;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * Encodes a Debezium diff pair as a Confluent-framed Avro {@code envelope}: {@code before} then
 * {@code after}, each the union {@code ["null", row]} (reference §8.3). Not thread-safe.
 */
public final class AvroDebeziumEncoder {
    private final int schemaId;
    private final AvroDatumWriters.RecordWriter row;
    private final AvroOutput out = new AvroOutput();

    public AvroDebeziumEncoder(int schemaId, String schema, List<Column> columns) {
        this.schemaId = schemaId;
        Schema envelope = new Schema.Parser().parse(schema);
        if (envelope.getType() != Schema.Type.RECORD || envelope.getFields().size() != 2
                || !envelope.getFields().get(0).name().equals("before") || !envelope.getFields().get(1).name().equals("after")) {
            throw new IllegalArgumentException("not a Debezium envelope schema: " + schema);
        }
        Schema before = envelope.getFields().get(0).schema();
        if (before.getType() != Schema.Type.UNION || before.getTypes().size() != 2) {
            throw new IllegalArgumentException("not a Debezium envelope schema: " + schema);
        }
        this.row = new AvroDatumWriters.RecordWriter(before.getTypes().get(1), columns);
    }

    public byte[] encode(Optional<Row> before, Optional<Row> after) {
        out.reset();
        out.writeHeader(schemaId);
        writeSide(before);
        writeSide(after);
        return out.toByteArray();
    }

    private void writeSide(Optional<Row> side) {
        if (side.isEmpty()) {
            out.writeLong(0);
            return;
        }
        out.writeLong(1);
        row.write(side.get(), out);
    }
}
