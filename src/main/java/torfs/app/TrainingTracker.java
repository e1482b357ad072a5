package torfs.app;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import torfs.bencode.BDict;
import torfs.bencode.BInt;
import torfs.bencode.BString;
import torfs.bencode.BValue;
import torfs.bencode.BencodeEncoder;
import torfs.tracker.Transports;

/**
 * The class-data training's HTTP tracker ({@link CdsTraining}): on 127.0.0.1, every announce
 * gets one peer, the training's seeder, so the training's clients take the path a user's do
 * (announce over HTTP, then dial), and that path's classes land in the archive.
 */
final class TrainingTracker implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel channel;
    /** The peer every answer names; none before it is set. */
    private final AtomicReference<InetSocketAddress> seeder;

    private TrainingTracker(EventLoopGroup group, Channel channel, AtomicReference<InetSocketAddress> seeder) {
        this.group = group;
        this.channel = channel;
        this.seeder = seeder;
    }

    static TrainingTracker start() throws IOException {
        EventLoopGroup group = Transports.newEventLoopGroup(1);
        AtomicReference<InetSocketAddress> seeder = new AtomicReference<>();
        try {
            Channel ch = new ServerBootstrap().group(group).channel(Transports.serverSocketChannel(group))
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel c) {
                            c.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(16384),
                                    new SimpleChannelInboundHandler<FullHttpRequest>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest r) {
                                            ctx.writeAndFlush(answer(seeder.get()))
                                                    .addListener(ChannelFutureListener.CLOSE);
                                        }
                                    });
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0))
                    .sync().channel();
            return new TrainingTracker(group, ch, seeder);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("interrupted while binding the training's tracker");
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    String announceUrl() {
        InetSocketAddress a = (InetSocketAddress) channel.localAddress();
        return "http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/announce";
    }

    /** The peer every answer names from now on. */
    void seeder(InetSocketAddress peer) {
        seeder.set(peer);
    }

    /** {@code interval} and a compact {@code peers} list of {@code peer} (empty when null). */
    private static FullHttpResponse answer(InetSocketAddress peer) {
        Map<String, BValue> body = new LinkedHashMap<>(); // keys in bencode's order
        body.put("interval", new BInt(1800));
        byte[] peers = peer == null ? new byte[0] // BEP 23: 4 address bytes and the port, big-endian
                : ByteBuffer.allocate(6).put(peer.getAddress().getAddress()).putShort((short) peer.getPort()).array();
        body.put("peers", new BString(peers));
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(BencodeEncoder.encode(new BDict(body))));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return res;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
