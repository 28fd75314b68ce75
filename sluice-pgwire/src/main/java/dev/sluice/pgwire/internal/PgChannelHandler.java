package dev.sluice.pgwire.internal;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.pgwire.PgSessionFactory;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Netty side of one connection: answers SSL/GSS requests and cancel requests on the event loop,
 * and hands every other message to the connection's own worker thread so that session work never
 * blocks an event loop.
 */
public final class PgChannelHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(PgChannelHandler.class);
    private static final int SSL_REQUEST = 80_877_103;
    private static final int GSSENC_REQUEST = 80_877_104;
    private static final int CANCEL_REQUEST = 80_877_102;

    private final PgSessionFactory factory;
    private final CancelRegistry cancelRegistry;
    private final FrameDecoder decoder;
    private final ExecutorService worker;
    private final int processId;
    private final int secretKey;
    private volatile PgConnection connection;

    public PgChannelHandler(PgSessionFactory factory, CancelRegistry cancelRegistry, FrameDecoder decoder) {
        this.factory = factory;
        this.cancelRegistry = cancelRegistry;
        this.decoder = decoder;
        this.processId = cancelRegistry.nextProcessId();
        this.secretKey = cancelRegistry.newSecretKey();
        this.worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pgwire-session-" + processId);
            thread.setDaemon(true);
            return thread;
        });
    }

    public static FrameDecoder newDecoder() {
        return new FrameDecoder();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
        Frame frame = (Frame) message;
        if (frame.type() == 0) {
            startupPhase(context, frame);
            return;
        }
        submit(context, () -> {
            PgConnection current = connection;
            if (current != null && !current.handle(frame)) {
                context.channel().close();
            }
        });
    }

    private void startupPhase(ChannelHandlerContext context, Frame frame) {
        int code = ByteBuffer.wrap(frame.payload()).getInt();
        if (code == SSL_REQUEST || code == GSSENC_REQUEST) {
            context.writeAndFlush(PgConnection.sslRefusal(context.channel()));
            return;
        }
        if (code == CANCEL_REQUEST) {
            ByteBuffer buffer = ByteBuffer.wrap(frame.payload());
            buffer.getInt();
            int targetProcess = buffer.getInt();
            int targetSecret = buffer.getInt();
            cancelRegistry.cancel(targetProcess, targetSecret);
            context.close();
            return;
        }
        decoder.startupComplete();
        submit(context, () -> {
            connection = PgConnection.start(context.channel(), frame.payload(), factory, processId, secretKey);
            if (connection != null) {
                cancelRegistry.register(processId, secretKey, connection.session());
            }
        });
    }

    private void submit(ChannelHandlerContext context, Runnable task) {
        try {
            worker.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("connection failed", e);
                    context.close();
                }
            });
        } catch (RejectedExecutionException closed) {
            // The connection is closing; drop the message.
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        PgConnection current = connection;
        if (current != null) {
            current.writabilityChanged();
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        cancelRegistry.unregister(processId);
        PgConnection current = connection;
        if (current != null) {
            current.session().cancel();
        }
        submit(context, () -> {
            PgConnection closing = connection;
            if (closing != null) {
                closing.closeAll();
            }
        });
        worker.shutdown();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (cause instanceof DecoderException) {
            SluiceException error = new SluiceException(ErrorCode.PROTOCOL_VIOLATION, "invalid message: " + cause.getMessage());
            context.writeAndFlush(MessageWriter.error(context.alloc(), error, "FATAL")).addListener(future -> context.close());
            return;
        }
        LOG.debug("connection error", cause);
        context.close();
    }
}
