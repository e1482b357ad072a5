package torfs.control;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
    private static final int MAX_BODY = 4 << 20;
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
                                    new Handler(api, worker));
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

    public Path socket() {
        return socket;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        worker.shutdownNow();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "removing " + socket, e);
        }
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final ControlApi api;
        private final ExecutorService worker;

        Handler(ControlApi api, ExecutorService worker) {
            this.api = api;
            this.worker = worker;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            if (!req.decoderResult().isSuccess()) {
                send(ctx, ControlApi.error(400, "bad request"));
                return;
            }
            String method = req.method().name();
            String uri = req.uri();
            String body = req.content().toString(StandardCharsets.UTF_8);
            worker.execute(() -> {
                ControlApi.Response r;
                try {
                    r = api.handle(method, uri, body);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, method + " " + uri + " failed: " + e);
                    r = ControlApi.error(500, String.valueOf(e.getMessage()));
                }
                ControlApi.Response answer = r;
                ctx.executor().execute(() -> send(ctx, answer));
            });
        }

        private static void send(ChannelHandlerContext ctx, ControlApi.Response r) {
            byte[] body = (r.json() + "\n").getBytes(StandardCharsets.UTF_8);
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(r.status()), Unpooled.wrappedBuffer(body));
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.log(System.Logger.Level.DEBUG, "control connection", cause);
            ctx.close();
        }
    }
}
