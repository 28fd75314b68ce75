package dev.sluice.pgwire.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import java.util.List;

/** Splits the byte stream into {@link Frame}s; the first frame(s) are untyped until startup completes. */
final class FrameDecoder extends ByteToMessageDecoder {
    static final int MAX_MESSAGE_LENGTH = 1 << 30;
    private static final int MAX_STARTUP_LENGTH = 10_000;

    private volatile boolean startupPhase = true;

    void startupComplete() {
        startupPhase = false;
    }

    @Override
    protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out) {
        if (startupPhase) {
            if (in.readableBytes() < 4) {
                return;
            }
            int length = in.getInt(in.readerIndex());
            if (length < 8 || length > MAX_STARTUP_LENGTH) {
                throw new CorruptedFrameException("invalid startup packet length " + length);
            }
            if (in.readableBytes() < length) {
                return;
            }
            in.skipBytes(4);
            byte[] payload = new byte[length - 4];
            in.readBytes(payload);
            out.add(new Frame((char) 0, payload));
            return;
        }
        if (in.readableBytes() < 5) {
            return;
        }
        int length = in.getInt(in.readerIndex() + 1);
        if (length < 4 || length > MAX_MESSAGE_LENGTH) {
            throw new CorruptedFrameException("invalid message length " + length);
        }
        if (in.readableBytes() < length + 1) {
            return;
        }
        char type = (char) in.readByte();
        in.skipBytes(4);
        byte[] payload = new byte[length - 4];
        in.readBytes(payload);
        out.add(new Frame(type, payload));
    }
}
