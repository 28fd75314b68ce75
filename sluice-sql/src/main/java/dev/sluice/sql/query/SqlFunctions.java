package dev.sluice.sql.query;

import dev.sluice.common.hash.Crc32;
import dev.sluice.common.hash.KafkaMurmur2;
import dev.sluice.common.hash.SeaHash;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.apache.calcite.avatica.util.ByteString;

/** Implementations of Sluice's SQL functions, registered with Calcite by name. Public for generated code. */
public final class SqlFunctions {
    private SqlFunctions() {
    }

    /** {@code crc32(text)}: CRC-32 of the UTF-8 bytes, as a uint4. */
    public static Long crc32(String text) {
        return text == null ? null : Crc32.hash(text.getBytes(StandardCharsets.UTF_8));
    }

    public static Long crc32(ByteString bytes) {
        return bytes == null ? null : Crc32.hash(bytes.getBytes());
    }

    /** {@code kafka_murmur2(text)}: the Kafka default partitioner's hash, never negative. */
    public static Integer kafkaMurmur2(String text) {
        return text == null ? null : KafkaMurmur2.hash(text.getBytes(StandardCharsets.UTF_8));
    }

    public static Integer kafkaMurmur2(ByteString bytes) {
        return bytes == null ? null : KafkaMurmur2.hash(bytes.getBytes());
    }

    /** {@code seahash(text)}: SeaHash as a uint8. */
    public static BigDecimal seahash(String text) {
        return text == null ? null : new BigDecimal(Long.toUnsignedString(SeaHash.hash(text.getBytes(StandardCharsets.UTF_8))));
    }

    public static BigDecimal seahash(ByteString bytes) {
        return bytes == null ? null : new BigDecimal(Long.toUnsignedString(SeaHash.hash(bytes.getBytes())));
    }

    public static String version() {
        return "PostgreSQL 9.5.0 on x86_64-pc-linux-gnu (Sluice 0.1.0)";
    }

    public static String mzVersion() {
        return "v0.1.0 (Sluice)";
    }

    public static String currentDatabase() {
        return "materialize";
    }

    public static String currentSchema() {
        return "public";
    }

    public static Integer pgBackendPid() {
        return (int) ProcessHandle.current().pid();
    }

    public static Boolean pgTableIsVisible(Integer oid) {
        return true;
    }

    public static String pgGetUserbyid(Integer oid) {
        return "materialize";
    }

    public static Boolean hasTablePrivilege(String table, String privilege) {
        return true;
    }

    public static String pgEncodingToChar(Integer encoding) {
        return "UTF8";
    }

    public static String objDescription(Integer oid, String catalog) {
        return null;
    }

    public static String colDescription(Integer oid, Integer column) {
        return null;
    }

    public static String formatType(Integer oid, Integer modifier) {
        return dev.sluice.common.type.PgTypes.nameOf(oid == null ? 0 : oid);
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
