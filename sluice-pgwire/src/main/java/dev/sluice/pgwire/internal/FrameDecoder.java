package dev.sluice.pgwire.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import java.util.List;

/**
 * Splits the client's byte stream into {@link Frame}s. Until startup completes the messages are
 * untyped (StartupMessage, SSLRequest, GSSENCRequest, CancelRequest); afterwards each starts with
 * a type byte. The type is checked as soon as it arrives and the length against PostgreSQL's limits
 * (10,000 bytes for the small control messages, 1 GiB otherwise), so garbage fails fast instead of
 * making the server wait for, or buffer, a gigabyte. A violation is a {@link CorruptedFrameException}
 * whose message is PostgreSQL's; after one, all further input is discarded.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    static final int MAX_STARTUP_LENGTH = 10_000;
    static final int SMALL_MESSAGE_LIMIT = 10_000;
    static final int LARGE_MESSAGE_LIMIT = (1 << 30) - 1;

    private boolean startupPhase = true;
    private boolean failed;

    /** Called by the handler (on the event loop) once the StartupMessage has been read. */
    void startupComplete() {
        startupPhase = false;
    }

    @Override
    protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            if (startupPhase) {
                decodeStartup(in, out);
            } else {
                decodeMessage(in, out);
            }
        } catch (CorruptedFrameException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private static void decodeStartup(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 4) {
            return;
        }
        int length = in.getInt(in.readerIndex());
        if (length < 8 || length > MAX_STARTUP_LENGTH) {
            throw new CorruptedFrameException("invalid length of startup packet");
        }
        if (in.readableBytes() < length) {
            return;
        }
        in.skipBytes(4);
        byte[] payload = new byte[length - 4];
        in.readBytes(payload);
        out.add(new Frame(Frame.STARTUP, payload));
    }

    private static void decodeMessage(ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        char type = (char) (in.getByte(in.readerIndex()) & 0xff);
        int limit = limitOf(type);
        if (limit == 0) {
            throw new CorruptedFrameException("invalid frontend message type " + (int) type);
        }
        if (in.readableBytes() < 5) {
            return;
        }
        int length = in.getInt(in.readerIndex() + 1);
        if (length < 4 || length > limit) {
            throw new CorruptedFrameException("invalid message length");
        }
        if (in.readableBytes() < length + 1) {
            return;
        }
        in.skipBytes(5);
        byte[] payload = new byte[length - 4];
        in.readBytes(payload);
        out.add(new Frame(type, payload));
    }

    /** The longest allowed length of a message of this type, or 0 for a type a client may not send. */
    static int limitOf(char type) {
        return switch (type) {
            case 'Q', 'P', 'B', 'F', 'd' -> LARGE_MESSAGE_LIMIT;
            case 'D', 'E', 'C', 'H', 'S', 'X', 'c', 'f' -> SMALL_MESSAGE_LIMIT;
            default -> 0;
        };
    }
}
