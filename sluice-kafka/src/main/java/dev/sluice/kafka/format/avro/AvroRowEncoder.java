package dev.sluice.kafka.format.avro;

import dev.sluice.common.type.Column;
import dev.sluice.common.value.Row;
import dev.sluice.kafka.format.RowEncoder;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Encodes a row as a Confluent-framed Avro message (reference §9.3): byte {@code 0x00}, the schema id
 * as 4 bytes big-endian, then the Avro binary datum of the record. Used for keys and for UPSERT values.
 * One encoder per sink thread: it reuses its buffer and is not thread-safe.
 */
public final class AvroRowEncoder implements RowEncoder {
    /** Bytes before the datum: the magic byte and the schema id. Partitioning hashes what follows them. */
    public static final int HEADER_LENGTH = 5;

    private final int schemaId;
    private final AvroDatumWriters.RecordWriter record;
    private final AvroOutput out = new AvroOutput();

    /** {@code schema} is the canonical text stored for the sink; {@code columns} the columns it was generated from. */
    public AvroRowEncoder(int schemaId, String schema, List<Column> columns) {
        this.schemaId = schemaId;
        this.record = new AvroDatumWriters.RecordWriter(new Schema.Parser().parse(schema), columns);
    }

    @Override
    public byte[] encode(Row row) {
        out.reset();
        out.writeHeader(schemaId);
        record.write(row, out);
        return out.toByteArray();
    }
}
