package dev.sluice.common.value.codec;

import dev.sluice.common.type.SqlType;

/** PostgreSQL's binary wire format for the types that have one (used by pgwire and FORMAT BYTES). */
public final class PgBinary {
    private PgBinary() {
    }

    /** Whether {@code type} has a binary encoding (list, map and types containing them do not). */
    public static boolean isEncodable(SqlType type) {
        throw new UnsupportedOperationException("PgBinary.isEncodable: being written");
    }

    /** The binary encoding of a non-null value. */
    public static byte[] encode(SqlType type, Object value) {
        throw new UnsupportedOperationException("PgBinary.encode: being written");
    }

    /** Decodes a binary parameter value; 22P03 on malformed input. */
    public static Object decode(SqlType type, byte[] bytes) {
        throw new UnsupportedOperationException("PgBinary.decode: being written");
    }
}
