package torfs.control;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import torfs.tracker.Transports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The API over HTTP/1.1 on a unix socket, through Netty's HTTP codec: one request per
 * connection (the answer closes it), bodies up to 4 MiB, the socket readable and writable by
 * its owner only (the kernel's own check of who may talk to the mount). Requests are served in
 * order on one worker thread, off the event loop, since adding a torrent may block briefly.
 */
public final class ControlServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ControlServer.class.getName());
    static final int MAX_BODY = 4 << 20;
    private final EventLoopGroup group;
    private final Channel channel;
    private final ExecutorService worker;
    private final Path socket;

    private ControlServer(EventLoopGroup group, Channel channel, ExecutorService worker, Path socket) {
        this.group = group;
        this.channel = channel;
        this.worker = worker;
        this.socket = socket;
    }

    /** Listens on {@code socket} (a stale socket file there is replaced). */
    public static ControlServer start(Path socket, ControlApi api) throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("the control socket needs Netty's epoll transport: "
                    + Epoll.unavailabilityCause().getMessage());
        }
        Files.deleteIfExists(socket);
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "torfs-control");
            t.setDaemon(true);
            return t;
        });
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, r -> {
            Thread t = new Thread(r, "torfs-control-io");
            t.setDaemon(true);
            return t;
        }, EpollIoHandler.newFactory());
        try {
            Channel ch = new ServerBootstrap().group(group)
                    .channel(EpollServerDomainSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel c) {
                            c.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY),
                                    new ControlHandler(api, worker, null, false));
                        }
                    })
                    .bind(new DomainSocketAddress(socket.toFile())).sync().channel();
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            return new ControlServer(group, ch, worker, socket);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            worker.shutdownNow();
            throw new IOException("interrupted while binding " + socket);
        } catch (RuntimeException | IOException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            worker.shutdownNow();
            throw new IOException("cannot listen on " + socket + ": " + e.getMessage(), e);
        }
    }

    /**
     * The web status page and the API over TCP at {@code bind}: assets from the jar, live updates
     * as server-sent events. Every request must carry {@code token} (as {@code ?token=} or
     * {@code Authorization: Bearer}) unless it is null, which the caller allows on loopback only.
     */
    public static ControlServer startWeb(InetSocketAddress bind, ControlApi api, String token) throws IOException {
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "torfs-web");
            t.setDaemon(true);
            return t;
        });
        EventLoopGroup group = Transports.newEventLoopGroup(1);
        try {
            Channel ch = new ServerBootstrap().group(group)
                    .channel(Transports.serverSocketChannel(group))
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel c) {
                            c.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY),
                                    new ControlHandler(api, worker, token, true));
                        }
                    })
                    .bind(bind).sync().channel();
            return new ControlServer(group, ch, worker, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            worker.shutdownNow();
            throw new IOException("interrupted while binding " + bind);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            worker.shutdownNow();
            throw new IOException("cannot listen on " + bind + ": " + e.getMessage(), e);
        }
    }

    /** The port the web page listens on (0 for a unix socket). */
    public int port() {
        return channel.localAddress() instanceof InetSocketAddress a ? a.getPort() : 0;
    }

    public Path socket() {
        return socket;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        worker.shutdownNow();
        try {
            if (socket != null) {
                Files.deleteIfExists(socket);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "removing " + socket, e);
        }
    }
}
