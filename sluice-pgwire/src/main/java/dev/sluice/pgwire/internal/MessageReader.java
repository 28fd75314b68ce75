package dev.sluice.pgwire.internal;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Reads the fields of one message payload; malformed input is a protocol violation (08P01). */
final class MessageReader {
    private final ByteBuffer buffer;

    MessageReader(byte[] payload) {
        this.buffer = ByteBuffer.wrap(payload);
    }

    String string() {
        int start = buffer.position();
        int end = start;
        while (end < buffer.limit() && buffer.get(end) != 0) {
            end++;
        }
        if (end >= buffer.limit()) {
            throw violation("unterminated string in message");
        }
        String value = new String(buffer.array(), start, end - start, StandardCharsets.UTF_8);
        buffer.position(end + 1);
        return value;
    }

    int int32() {
        need(4);
        return buffer.getInt();
    }

    short int16() {
        need(2);
        return buffer.getShort();
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

    private void need(int count) {
        if (count < 0 || buffer.remaining() < count) {
            throw violation("message too short");
        }
    }

    static SluiceException violation(String message) {
        return new SluiceException(ErrorCode.PROTOCOL_VIOLATION, message);
    }
}
