package torfs.tracker;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** An HTTP server on 127.0.0.1 whose replies a test scripts; it records every request line and Host. */
final class FakeHttpTrackerServer implements AutoCloseable {
    final List<String> uris = new CopyOnWriteArrayList<>();
    final List<String> hosts = new CopyOnWriteArrayList<>();
    /** The address each request came from. */
    final List<InetSocketAddress> senders = new CopyOnWriteArrayList<>();
    /** Maps a request URI to a reply, or to null for no reply at all. */
    volatile Function<String, FullHttpResponse> responder = uri -> null;
    /** Send no Content-Length: the body ends when the connection closes (HTTP/1.0 style). */
    volatile boolean omitContentLength;
    private final Channel channel;

    FakeHttpTrackerServer(EventLoopGroup nioGroup) throws InterruptedException {
        this(nioGroup, "127.0.0.1");
    }

    /** On {@code host}, e.g. "::1". */
    FakeHttpTrackerServer(EventLoopGroup nioGroup, String host) throws InterruptedException {
        channel = new ServerBootstrap().group(nioGroup).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                        uris.add(req.uri());
                                        senders.add((InetSocketAddress) ctx.channel().remoteAddress());
                                        hosts.add(req.headers().get(HttpHeaderNames.HOST));
                                        FullHttpResponse r = responder.apply(req.uri());
                                        if (r != null) {
                                            if (!omitContentLength) {
                                                r.headers().set(HttpHeaderNames.CONTENT_LENGTH,
                                                        r.content().readableBytes());
                                            }
                                            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
                                        }
                                    }
                                });
                    }
                }).bind(host, 0).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    String url(String path) {
        java.net.InetAddress a = ((InetSocketAddress) channel.localAddress()).getAddress();
        String host = a instanceof java.net.Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
        return "http://" + host + ":" + port() + path;
    }

    static FullHttpResponse ok(byte[] body) {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
    }

    static FullHttpResponse status(HttpResponseStatus s, byte[] body) {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, s, Unpooled.wrappedBuffer(body));
    }

    static FullHttpResponse redirect(String location) {
        FullHttpResponse r = status(HttpResponseStatus.FOUND, new byte[0]);
        r.headers().set(HttpHeaderNames.LOCATION, location);
        return r;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
