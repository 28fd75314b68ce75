package dev.sluice.pgwire.internal;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads the fields of one message payload. Malformed content is an ERROR 08P01 with PostgreSQL's
 * wording ("insufficient data left in message", "invalid message format"); the framing is intact,
 * so the connection goes on.
 */
final class MessageReader {
    private final ByteBuffer buffer;

    MessageReader(byte[] payload) {
        this.buffer = ByteBuffer.wrap(payload);
    }

    /** A NUL-terminated UTF-8 string. */
    String string() {
        int start = buffer.position();
        int end = start;
        while (end < buffer.limit() && buffer.get(end) != 0) {
            end++;
        }
        if (end >= buffer.limit()) {
            throw violation("invalid string in message");
        }
        String value = new String(buffer.array(), start, end - start, StandardCharsets.UTF_8);
        buffer.position(end + 1);
        return value;
    }

    byte int8() {
        need(1);
        return buffer.get();
    }

    short int16() {
        need(2);
        return buffer.getShort();
    }

    /** An Int16 count, which the protocol treats as unsigned. */
    int uint16() {
        return Short.toUnsignedInt(int16());
    }

    int int32() {
        need(4);
        return buffer.getInt();
    }

    byte[] bytes(int length) {
        need(length);
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return bytes;
    }

    boolean hasRemaining() {
        return buffer.hasRemaining();
    }

    /** Checks that the whole message was consumed. */
    void end() {
        if (buffer.hasRemaining()) {
            throw violation("invalid message format");
        }
    }

    private void need(int count) {
        if (count < 0 || buffer.remaining() < count) {
            throw violation("insufficient data left in message");
        }
    }

    static SluiceException violation(String message) {
        return new SluiceException(ErrorCode.PROTOCOL_VIOLATION, message);
    }
}
