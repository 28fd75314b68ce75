package dev.sluice.kafka.progress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.common.time.Frontier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A progress record (§4.3): key {@code mz-sink-{id}}, value {@code {"frontier":[T],"version":V}}:
 * every update of the sink before {@code T} is committed to the data topic.
 */
public record ProgressRecord(Frontier frontier, long version) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static byte[] key(String sinkId) {
        return ("mz-sink-" + sinkId).getBytes(StandardCharsets.UTF_8);
    }

    public byte[] encode() {
        String frontierText = frontier.isEmpty() ? "[]" : "[" + Long.toUnsignedString(frontier.get()) + "]";
        return ("{\"frontier\":" + frontierText + ",\"version\":" + version + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a record value with every compatibility rule of §4.3. */
    public static ProgressRecord parse(byte[] value) {
        JsonNode node;
        try {
            node = MAPPER.readTree(value);
        } catch (IOException e) {
            throw new SluiceException(ErrorCode.DATA_EXCEPTION, "invalid progress record bytes: " + new String(value, StandardCharsets.UTF_8));
        }
        String text = new String(value, StandardCharsets.UTF_8);
        if (node == null || !node.isObject()) {
            throw new SluiceException(ErrorCode.DATA_EXCEPTION, "invalid progress record: " + text);
        }
        if (node.has("frontier")) {
            JsonNode frontier = node.get("frontier");
            if (!frontier.isArray() || frontier.size() > 1) {
                throw new SluiceException(ErrorCode.DATA_EXCEPTION, "invalid progress record: " + text);
            }
            JsonNode version = node.has("version") ? node.get("version") : null;
            if (version != null && !isUnsigned64(version)) {
                throw new SluiceException(ErrorCode.DATA_EXCEPTION, "invalid progress record: " + text);
            }
            long versionValue = version == null ? 0 : version.bigIntegerValue().longValue();
            if (frontier.isEmpty()) {
                return new ProgressRecord(Frontier.EMPTY, versionValue);
            }
            if (!isUnsigned64(frontier.get(0))) {
                throw new SluiceException(ErrorCode.DATA_EXCEPTION, "invalid progress record: " + text);
            }
            return new ProgressRecord(Frontier.at(frontier.get(0).bigIntegerValue().longValue()), versionValue);
        }
        if (node.has("timestamp")) {
            JsonNode timestamp = node.get("timestamp");
            if (timestamp.isNull()) {
                return new ProgressRecord(Frontier.EMPTY, 0);
            }
            if (!isUnsigned64(timestamp)) {
                throw new SluiceException(ErrorCode.DATA_EXCEPTION, "invalid progress record: " + text);
            }
            return new ProgressRecord(Frontier.at(timestamp.bigIntegerValue().longValue() + 1), 0);
        }
        throw new SluiceException(ErrorCode.DATA_EXCEPTION, "invalid progress record: " + text);
    }

    /** A JSON integer in u64 range (held in a long as its unsigned bits). */
    private static boolean isUnsigned64(JsonNode node) {
        return node.isIntegralNumber() && node.bigIntegerValue().signum() >= 0 && node.bigIntegerValue().bitLength() <= 64;
    }
}
