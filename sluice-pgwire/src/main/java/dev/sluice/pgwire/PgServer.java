package dev.sluice.pgwire;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.pgwire.internal.PgChannelHandler;
import dev.sluice.pgwire.internal.SessionRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL wire protocol (v3) server: no TLS (SSLRequest is answered 'N'), no password
 * (AuthenticationOk for any user), simple and extended query, cancel requests.
 *
 * <p>Netty event loops only move bytes; each connection's session calls run one at a time on a
 * shared pool of session threads (a thread is busy only while its connection has work). Lifecycle:
 * new → {@link #start()} → started → {@link #close()} → closed; {@code close} is idempotent. Results
 * stream to the client with back-pressure: a session thread producing rows waits while the
 * client's socket buffer is full.
 */
public final class PgServer implements AutoCloseable {
    /** Outbound bytes queued per connection before the session thread waits for the client to read. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    private final PgServerConfig config;
    private final PgSessionFactory factory;
    private final ExecutorService sessionPool;
    private final SessionRegistry registry;
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private Channel serverChannel;

    public PgServer(PgServerConfig config, PgSessionFactory factory) {
        this.config = requireNonNull(config, "config is null");
        this.factory = requireNonNull(factory, "factory is null");
        AtomicInteger threadNumber = new AtomicInteger();
        this.sessionPool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "pgwire-session-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.registry = new SessionRegistry(config.maxConnections(), sessionPool);
    }

    /** Binds the port; a port in use is a SluiceException naming it. */
    public synchronized void start() {
        if (serverChannel != null) {
            throw new IllegalStateException("pgwire server already started");
        }
        bossGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workerGroup = new MultiThreadIoEventLoopGroup(config.workerThreads(), NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        var decoder = PgChannelHandler.newDecoder();
                        channel.pipeline().addLast(decoder, new PgChannelHandler(factory, registry, sessionPool, decoder));
                    }
                });
        try {
            serverChannel = bootstrap.bind(new InetSocketAddress(config.host(), config.port())).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw SluiceException.internal(e);
        } catch (RuntimeException e) {
            close();
            throw new SluiceException(ErrorCode.SYSTEM_ERROR, "cannot listen for PostgreSQL clients on " + config.host() + ":" + config.port()
                    + ": " + e.getMessage(), e).withHint("Choose another port with --pgwire-port.");
        }
    }

    /** The port actually bound (useful when configured as 0). */
    public synchronized int port() {
        if (serverChannel == null) {
            throw new IllegalStateException("pgwire server is not started");
        }
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Sessions that completed startup and are still connected. */
    public int sessionCount() {
        return registry.sessionCount();
    }

    /** Stops listening, closes every connection (each session is closed on its own thread) and waits briefly for them. */
    @Override
    public synchronized void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
            serverChannel = null;
        }
        if (bossGroup != null) {
            bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            bossGroup = null;
        }
        if (workerGroup != null) {
            workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            workerGroup = null;
        }
        sessionPool.shutdown();
        try {
            sessionPool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
