package dev.sluice.pgwire.internal;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.util.function.Consumer;

/**
 * Messages from a session thread to the socket. Messages collect in one buffer that goes to the
 * channel when it reaches {@value #BATCH_BYTES} bytes or on {@link #flush()}, so streaming a large
 * result costs one event-loop task per batch rather than per row. {@link #awaitWritable()} blocks the
 * session thread, never an event loop, while the channel is above its high-water mark: a slow client
 * slows the producer instead of filling memory. Thread-safe (notices may come from another thread).
 */
final class Output {
    static final int BATCH_BYTES = 64 * 1024;
    private static final long WRITABILITY_POLL_MILLIS = 100;

    private final Channel channel;
    private final Object writability = new Object();
    private ByteBuf pending;

    Output(Channel channel) {
        this.channel = requireNonNull(channel, "channel is null");
    }

    /** Appends one message written by {@code message}. */
    synchronized void send(Consumer<ByteBuf> message) {
        if (pending == null) {
            pending = channel.alloc().buffer(256);
        }
        message.accept(pending);
        if (pending.readableBytes() >= BATCH_BYTES) {
            channel.write(pending, channel.voidPromise());
            pending = null;
        }
    }

    /** Hands everything sent so far to the socket. */
    synchronized void flush() {
        if (pending != null) {
            channel.write(pending, channel.voidPromise());
            pending = null;
        }
        channel.flush();
    }

    /** Hands everything sent so far to the socket and closes the connection once it is written. */
    synchronized void flushAndClose() {
        ByteBuf last = pending != null ? pending : Unpooled.EMPTY_BUFFER;
        pending = null;
        channel.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
    }

    /** Drops what was not flushed (the connection is closing). */
    synchronized void discard() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    /** Blocks while the channel's outbound buffer is above its high-water mark; 08006 when the client is gone. */
    void awaitWritable() {
        if (channel.isWritable()) {
            return;
        }
        flush();
        synchronized (writability) {
            while (!channel.isWritable() && channel.isActive()) {
                try {
                    // The poll guards against a missed wake-up; writabilityChanged normally ends the wait.
                    writability.wait(WRITABILITY_POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw SluiceException.of(ErrorCode.QUERY_CANCELED, "canceling statement due to user request");
                }
            }
        }
        if (!channel.isActive()) {
            throw SluiceException.of(ErrorCode.CONNECTION_FAILURE, "connection to client lost");
        }
    }

    /** Called from the event loop when the channel's writability changes. */
    void writabilityChanged() {
        synchronized (writability) {
            writability.notifyAll();
        }
    }
}
