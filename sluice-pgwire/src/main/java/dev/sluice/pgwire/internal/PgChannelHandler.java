package dev.sluice.pgwire.internal;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.pgwire.PgSession;
import dev.sluice.pgwire.PgSessionFactory;
import dev.sluice.pgwire.StartupInfo;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty side of one connection. On the event loop it answers SSLRequest and GSSENCRequest
 * ('N': no encryption), forwards CancelRequest, and turns framing errors into a FATAL 08P01; every
 * other message goes to the connection's {@link SerialExecutor}, so session work never blocks an
 * event loop. Connection lifecycle: startup (untyped messages) → ready (a {@link PgConnection}
 * handles typed messages) → closed (the session is closed on its executor after the messages before).
 */
public final class PgChannelHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(PgChannelHandler.class);
    /** A client that has not completed startup by then is disconnected, as with PostgreSQL's authentication_timeout. */
    private static final long STARTUP_TIMEOUT_SECONDS = 60;
    /** Messages queued for the session before the server stops reading from the socket. */
    private static final int HIGH_BACKLOG = 128;
    private static final int PROTOCOL_3_0 = 3 << 16;

    private final PgSessionFactory factory;
    private final SessionRegistry registry;
    private final Executor pool;
    private final FrameDecoder decoder;
    private final int processId;
    private final int secretKey;
    private SerialExecutor serial;
    private Output output;
    private ScheduledFuture<?> startupTimeout;
    private boolean startupReceived;
    /** Set and read on the serial executor, except for the cancel on disconnect. */
    private volatile PgConnection connection;
    private boolean holdsConnectionSlot;

    public PgChannelHandler(PgSessionFactory factory, SessionRegistry registry, Executor pool, FrameDecoder decoder) {
        this.factory = requireNonNull(factory, "factory is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.pool = requireNonNull(pool, "pool is null");
        this.decoder = requireNonNull(decoder, "decoder is null");
        this.processId = registry.nextProcessId();
        this.secretKey = registry.newSecretKey();
    }

    /** The decoder to put before this handler in the pipeline. */
    public static FrameDecoder newDecoder() {
        return new FrameDecoder();
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        Channel channel = context.channel();
        output = new Output(channel);
        serial = new SerialExecutor(pool, HIGH_BACKLOG, high -> channel.config().setAutoRead(!high));
        startupTimeout = context.executor().schedule(() -> {
            if (connection == null) {
                LOG.debug("closing a connection that did not complete startup in time");
                context.close();
            }
        }, STARTUP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        context.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
        Frame frame = (Frame) message;
        if (frame.type() == Frame.STARTUP) {
            startupPhase(context, frame);
            return;
        }
        submit(() -> {
            PgConnection current = connection;
            if (current == null || !context.channel().isActive()) {
                return;
            }
            boolean keepOpen;
            try {
                keepOpen = current.handle(frame);
            } catch (RuntimeException e) {
                fatal(PgConnection.toSluiceException(e));
                return;
            }
            if (!keepOpen) {
                output.flush();
                context.close();
            }
        });
    }

    private void startupPhase(ChannelHandlerContext context, Frame frame) {
        int code = ByteBuffer.wrap(frame.payload()).getInt();
        if ((code == StartupMessage.SSL_REQUEST || code == StartupMessage.GSSENC_REQUEST) && frame.payload().length == 4 && !startupReceived) {
            // No TLS or GSSAPI encryption: 'N' tells the client to go on in plain text (sslmode=prefer does).
            ByteBuf refusal = context.alloc().buffer(1);
            refusal.writeByte('N');
            context.writeAndFlush(refusal);
            return;
        }
        if (code == StartupMessage.CANCEL_REQUEST && frame.payload().length == 12 && !startupReceived) {
            ByteBuffer buffer = ByteBuffer.wrap(frame.payload(), 4, 8);
            registry.cancel(buffer.getInt(), buffer.getInt());
            context.close();
            return;
        }
        startupReceived = true;
        decoder.startupComplete();
        submit(() -> startup(context.channel(), frame.payload()));
    }

    /** Runs on the serial executor: opens the session and sends the startup responses. */
    private void startup(Channel channel, byte[] payload) {
        if (!channel.isActive()) {
            return;
        }
        StartupMessage startup;
        try {
            startup = StartupMessage.parse(payload);
        } catch (SluiceException e) {
            fatal(e);
            return;
        }
        if (startup.majorVersion() != 3) {
            fatal(SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED, "unsupported frontend protocol %d.%d: server supports 3.0 to 3.0",
                    startup.majorVersion(), startup.minorVersion()));
            return;
        }
        String user = startup.parameters().getOrDefault("user", "");
        if (user.isEmpty()) {
            fatal(SluiceException.of(ErrorCode.INVALID_AUTHORIZATION_SPECIFICATION, "no PostgreSQL user name specified in startup packet"));
            return;
        }
        String database = startup.parameters().getOrDefault("database", "");
        if (!registry.tryAcquireConnection()) {
            // PostgreSQL's 53300 too_many_connections is not in ErrorCode; 08000 is the nearest class.
            fatal(SluiceException.of(ErrorCode.CONNECTION_EXCEPTION, "sorry, too many clients already"));
            return;
        }
        holdsConnectionSlot = true;
        PgSession session;
        try {
            session = requireNonNull(factory.open(new StartupInfo(user, database.isEmpty() ? user : database, startup.parameters())),
                    "session factory returned no session");
        } catch (RuntimeException e) {
            fatal(PgConnection.toSluiceException(e));
            return;
        }
        PgConnection opened = new PgConnection(session, output);
        connection = opened;
        registry.register(processId, secretKey, session);
        try {
            Map<String, String> statuses = session.parameterStatuses();
            char status = PgConnection.indicator(session.transactionStatus());
            output.send(out -> {
                if (startup.minorVersion() > 0 || !startup.protocolOptions().isEmpty()) {
                    MessageWriter.negotiateProtocolVersion(out, PROTOCOL_3_0, startup.protocolOptions());
                }
                MessageWriter.authenticationOk(out);
                MessageWriter.parameterStatuses(out, statuses);
                MessageWriter.backendKeyData(out, processId, secretKey);
                MessageWriter.readyForQuery(out, status);
            });
            output.flush();
        } catch (RuntimeException e) {
            fatal(PgConnection.toSluiceException(e));
        }
    }

    /** Sends a FATAL error and closes the connection once it is written. */
    private void fatal(SluiceException error) {
        output.send(out -> MessageWriter.errorResponse(out, error, "FATAL"));
        output.flushAndClose();
    }

    private void submit(Runnable task) {
        try {
            serial.execute(task);
        } catch (RejectedExecutionException closed) {
            // The connection is closing (or the server is): the message is moot.
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        output.writabilityChanged();
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        if (startupTimeout != null) {
            startupTimeout.cancel(false);
        }
        output.writabilityChanged();
        PgConnection current = connection;
        if (current != null) {
            // A statement still running for a client that is gone would only waste work.
            try {
                pool.execute(() -> cancelQuietly(current.session()));
            } catch (RejectedExecutionException shuttingDown) {
                // The server is closing; the session is closed below anyway.
            }
        }
        submit(() -> {
            PgConnection closing = connection;
            if (closing != null) {
                registry.unregister(processId);
                closing.close();
            }
            output.discard();
            if (holdsConnectionSlot) {
                holdsConnectionSlot = false;
                registry.releaseConnection();
            }
        });
        serial.shutdown();
        context.fireChannelInactive();
    }

    private static void cancelQuietly(PgSession session) {
        try {
            session.cancel();
        } catch (RuntimeException e) {
            LOG.warn("cancelling the session of a closed connection failed", e);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (cause instanceof CorruptedFrameException) {
            // Framing is lost: answer on the event loop, ahead of anything the session may still send.
            ByteBuf error = context.alloc().buffer();
            MessageWriter.errorResponse(error, MessageReader.violation(cause.getMessage()), "FATAL");
            context.writeAndFlush(error).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (cause instanceof IOException) {
            LOG.debug("pgwire connection failed", cause);
        } else {
            LOG.warn("pgwire connection failed", cause);
        }
        context.close();
    }
}
