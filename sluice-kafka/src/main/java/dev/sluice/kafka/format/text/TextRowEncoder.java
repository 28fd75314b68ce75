package dev.sluice.kafka.format.text;

import dev.sluice.common.type.SqlType;
import dev.sluice.common.value.Row;
import dev.sluice.common.value.codec.PgBinary;
import dev.sluice.common.value.codec.PgText;
import dev.sluice.kafka.format.RowEncoder;
import java.nio.charset.StandardCharsets;

/** TEXT and BYTES (§9.4): the one column's PostgreSQL text or binary form; NULL is an empty byte string. */
public final class TextRowEncoder implements RowEncoder {
    private final SqlType type;
    private final boolean binary;

    public TextRowEncoder(SqlType type, boolean binary) {
        this.type = type;
        this.binary = binary;
    }

    @Override
    public byte[] encode(Row row) {
        Object value = row.get(0);
        if (value == null) {
            return new byte[0];
        }
        return binary ? PgBinary.encode(type, value) : PgText.format(type, value).getBytes(StandardCharsets.UTF_8);
    }
}
