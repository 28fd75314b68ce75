package dev.sluice.sql.query;

import dev.sluice.common.hash.Crc32;
import dev.sluice.common.hash.KafkaMurmur2;
import dev.sluice.common.hash.SeaHash;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.apache.calcite.avatica.util.ByteString;

/** Kafka's hash functions and the bytea encodings in SQL; registered in {@code PgOperators}. Public for generated code. */
public final class SqlFunctions {
    private SqlFunctions() {
    }

    /** {@code crc32(text)}: CRC-32 of the UTF-8 bytes, as a uint4. */
    public static Long crc32Text(String text) {
        return text == null ? null : Crc32.hash(text.getBytes(StandardCharsets.UTF_8));
    }

    public static Long crc32Bytes(ByteString bytes) {
        return bytes == null ? null : Crc32.hash(bytes.getBytes());
    }

    /** {@code kafka_murmur2(text)}: the Kafka default partitioner's hash, never negative. */
    public static Integer kafkaMurmur2Text(String text) {
        return text == null ? null : KafkaMurmur2.hash(text.getBytes(StandardCharsets.UTF_8));
    }

    public static Integer kafkaMurmur2Bytes(ByteString bytes) {
        return bytes == null ? null : KafkaMurmur2.hash(bytes.getBytes());
    }

    /** {@code seahash(text)}: SeaHash as a uint8. */
    public static BigDecimal seahashText(String text) {
        return text == null ? null : new BigDecimal(Long.toUnsignedString(SeaHash.hash(text.getBytes(StandardCharsets.UTF_8))));
    }

    public static BigDecimal seahashBytes(ByteString bytes) {
        return bytes == null ? null : new BigDecimal(Long.toUnsignedString(SeaHash.hash(bytes.getBytes())));
    }

    /** {@code decode(text, 'base64'|'hex'|'escape')}: bytes from their text encoding. */
    public static ByteString decode(String text, String format) {
        if (text == null || format == null) {
            return null;
        }
        return switch (format.toLowerCase(java.util.Locale.ROOT)) {
            case "base64" -> new ByteString(java.util.Base64.getMimeDecoder().decode(text));
            case "hex" -> new ByteString(java.util.HexFormat.of().parseHex(text));
            case "escape" -> new ByteString(text.getBytes(StandardCharsets.UTF_8));
            default -> throw new dev.sluice.common.error.SluiceException(dev.sluice.common.error.ErrorCode.INVALID_PARAMETER_VALUE,
                    "unrecognized encoding: \"" + format + "\"");
        };
    }

    /** {@code encode(bytea, 'base64'|'hex'|'escape')}. */
    public static String encode(ByteString bytes, String format) {
        if (bytes == null || format == null) {
            return null;
        }
        return switch (format.toLowerCase(java.util.Locale.ROOT)) {
            case "base64" -> java.util.Base64.getEncoder().encodeToString(bytes.getBytes());
            case "hex" -> java.util.HexFormat.of().formatHex(bytes.getBytes());
            case "escape" -> new String(bytes.getBytes(), StandardCharsets.UTF_8);
            default -> throw new dev.sluice.common.error.SluiceException(dev.sluice.common.error.ErrorCode.INVALID_PARAMETER_VALUE,
                    "unrecognized encoding: \"" + format + "\"");
        };
    }
}
