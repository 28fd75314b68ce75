package dev.sluice.pgwire;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.pgwire.internal.CancelRegistry;
import dev.sluice.pgwire.internal.PgChannelHandler;
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

/** The PostgreSQL wire protocol (v3) server. */
public final class PgServer implements AutoCloseable {
    private final PgServerConfig config;
    private final PgSessionFactory factory;
    private final CancelRegistry cancelRegistry = new CancelRegistry();
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private Channel serverChannel;

    public PgServer(PgServerConfig config, PgSessionFactory factory) {
        this.config = requireNonNull(config, "config is null");
        this.factory = requireNonNull(factory, "factory is null");
    }

    /** Binds the port; a port in use is a SluiceException naming it. */
    public void start() {
        bossGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workerGroup = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        var decoder = PgChannelHandler.newDecoder();
                        channel.pipeline().addLast(decoder, new PgChannelHandler(factory, cancelRegistry, decoder));
                    }
                });
        try {
            serverChannel = bootstrap.bind(new InetSocketAddress(config.host(), config.port())).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SluiceException.internal(e);
        } catch (RuntimeException e) {
            close();
            throw new SluiceException(ErrorCode.SYSTEM_ERROR, "cannot listen for PostgreSQL clients on " + config.host() + ":" + config.port()
                    + ": " + e.getMessage(), e).withHint("Choose another port with --pgwire-port.");
        }
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public int sessionCount() {
        return cancelRegistry.sessionCount();
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
            serverChannel = null;
        }
        if (bossGroup != null) {
            bossGroup.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
            bossGroup = null;
        }
        if (workerGroup != null) {
            workerGroup.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
            workerGroup = null;
        }
    }
}
