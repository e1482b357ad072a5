package torfs.transport.utp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import torfs.tracker.Transports;
import torfs.transport.UdpEndpoint;

/** Two managers on 127.0.0.1 endpoints: uTP channels carry a pipeline's bytes as TCP channels do. */
class UtpChannelTest {
    private static final UtpSocketManager.Settings SMALL = new UtpSocketManager.Settings(100, 3, 256 * 1024);
    private final EventLoopGroup group = Transports.newEventLoopGroup(1);
    private final UdpEndpoint serverUdp = UdpEndpoint.bind(group, new InetSocketAddress("127.0.0.1", 0));
    private final UdpEndpoint clientUdp = UdpEndpoint.bind(group, new InetSocketAddress("127.0.0.1", 0));
    private UtpSocketManager server;
    private UtpSocketManager client;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
        if (client != null) {
            client.close();
        }
        serverUdp.close();
        clientUdp.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Echoes every byte back. */
    @ChannelHandler.Sharable
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }

    /** Collects what arrives. */
    static final class Collect extends ChannelInboundHandlerAdapter {
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        final CompletableFuture<Void> inactive = new CompletableFuture<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            synchronized (got) {
                got.writeBytes(ByteBufUtil.getBytes(b));
            }
            b.release();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inactive.complete(null);
        }

        int size() {
            synchronized (got) {
                return got.size();
            }
        }
    }

    private ChannelFuture dial(ChannelHandler handler) {
        client = UtpSocketManager.attach(clientUdp, SMALL, null);
        return new Bootstrap().group(client.eventLoop()).channelFactory(client::newChannel)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 << 10, 256 << 10))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(handler);
                    }
                })
                .connect(serverUdp.localAddress());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not reached").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> c) {
        try {
            return group.submit(c).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(1).nextBytes(b);
        return b;
    }

    @Test
    void aMegabyteIsEchoedIntact() throws Exception {
        server = UtpSocketManager.attach(serverUdp, SMALL, ch -> ch.pipeline().addLast(new Echo()));
        Collect collect = new Collect();
        Channel ch = dial(collect).sync().channel();
        assertThat(ch.isActive()).isTrue();
        assertThat(ch.remoteAddress()).isEqualTo(serverUdp.localAddress());
        byte[] data = randomBytes(1 << 20);
        for (int i = 0; i < data.length; i += 16 * 1024) {
            ch.writeAndFlush(Unpooled.wrappedBuffer(data, i, 16 * 1024));
        }
        await(() -> collect.size() == data.length);
        assertThat(collect.got.toByteArray()).isEqualTo(data);
        ch.close().sync();
        // both ends forget the connection once the FINs are acked and the linger ran out
        await(() -> onLoop(() -> server.connectionCount() + client.connectionCount()) == 0);
    }

    /** A sender whose bytes back up at a receiver that accepted with autoRead off. */
    private record Backlog(Channel sender, Channel receiver, Collect collected, byte[] data) {
    }

    private Backlog backlogOf(int bytes) throws Exception {
        BlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
        Collect collect = new Collect();
        server = UtpSocketManager.attach(serverUdp, SMALL, ch -> {
            ch.config().setAutoRead(false);
            ch.pipeline().addLast(collect);
            accepted.add(ch);
        });
        Channel ch = dial(new ChannelInboundHandlerAdapter()).sync().channel();
        byte[] data = randomBytes(bytes);
        for (int i = 0; i < data.length; i += 16 * 1024) {
            ch.write(Unpooled.wrappedBuffer(data, i, 16 * 1024));
        }
        ch.flush();
        Channel peer = accepted.poll(10, TimeUnit.SECONDS);
        await(() -> !ch.isWritable());
        return new Backlog(ch, peer, collect, data);
    }

    @Test
    void aReceiverWithAutoReadOffStopsTheSenderAndResumesIt() throws Exception {
        Backlog b = backlogOf(4 << 20);
        Thread.sleep(500); // whatever the window lets through has arrived by now
        UtpChannel utpPeer = (UtpChannel) b.receiver();
        long held = group.submit(() -> utpPeer.connection().receivedBytesHeld()).get();
        assertThat(held).isLessThanOrEqualTo(SMALL.receiveBuffer());
        assertThat(b.collected().size()).isZero();
        b.receiver().config().setAutoRead(true);
        await(() -> b.collected().size() == b.data().length);
        assertThat(b.collected().got.toByteArray()).isEqualTo(b.data());
        await(b.sender()::isWritable);
    }

    /**
     * Disk threads turn a peer's autoRead off and on from two threads; the off's clearing of the
     * read request can land after the on's read(). Modelled here by clearing the request right
     * after autoRead is turned on: the channel must still deliver, as Netty's NIO channels do.
     */
    @Test
    void aReadRequestClearedLateDoesNotStopAnAutoReadingChannel() throws Exception {
        Backlog b = backlogOf(2 << 20);
        Channel peer = b.receiver();
        java.lang.reflect.Field readPending = UtpChannel.class.getDeclaredField("readPending");
        readPending.setAccessible(true);
        peer.eventLoop().submit(() -> {
            peer.config().setAutoRead(true);
            readPending.setBoolean(peer, false); // the other thread's clear, landing late
            return null;
        }).get();
        await(() -> b.collected().size() == b.data().length);
        assertThat(b.collected().got.toByteArray()).isEqualTo(b.data());
    }

    @Test
    void closingOneEndEndsTheOtherAfterItsBytes() throws Exception {
        Collect collect = new Collect();
        server = UtpSocketManager.attach(serverUdp, SMALL, ch -> ch.pipeline().addLast(collect));
        Channel ch = dial(new ChannelInboundHandlerAdapter()).sync().channel();
        ch.writeAndFlush(Unpooled.wrappedBuffer("last words".getBytes()));
        ch.close();
        collect.inactive.get(30, TimeUnit.SECONDS);
        assertThat(collect.got.toString()).isEqualTo("last words");
    }

    @Test
    void dialingNobodyFailsTheConnect() throws Exception {
        UdpEndpoint silent = UdpEndpoint.bind(group, new InetSocketAddress("127.0.0.1", 0)); // drops uTP
        try {
            client = UtpSocketManager.attach(clientUdp, SMALL, null);
            ChannelFuture f = new Bootstrap().group(client.eventLoop()).channelFactory(client::newChannel)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 300)
                    .handler(new ChannelInboundHandlerAdapter()).connect(silent.localAddress());
            assertThat(f.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(f.isSuccess()).isFalse();
            assertThat(f.channel().closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            silent.close();
        }
    }

    @Test
    void aRefusingManagerResets() throws Exception {
        server = UtpSocketManager.attach(serverUdp, SMALL, null); // accepts nothing
        ChannelFuture f = dial(new ChannelInboundHandlerAdapter());
        assertThat(f.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(f.isSuccess()).isFalse();
        assertThat(f.cause()).hasMessageContaining("reset");
    }

    @Test
    void strayPacketsAreResetAndSynFloodsCapped() throws Exception {
        Consumer<Channel> ignore = ch -> { };
        server = UtpSocketManager.attach(serverUdp, SMALL, ignore);
        BlockingQueue<Packet> answers = new LinkedBlockingQueue<>();
        clientUdp.onUtp((from, buf) -> answers.add(Packet.parse(ByteBufUtil.getBytes(buf))));
        clientUdp.send(serverUdp.localAddress(), Unpooled.wrappedBuffer(
                new Packet(PacketType.DATA, 4242, 0, 0, 1000, 7, 3, null, new byte[10]).encode()));
        Packet reset = answers.poll(5, TimeUnit.SECONDS);
        assertThat(reset.type()).isEqualTo(PacketType.RESET);
        assertThat(reset.connectionId()).isEqualTo(4242);
        for (int i = 0; i < 10; i++) {
            clientUdp.send(serverUdp.localAddress(), Unpooled.wrappedBuffer(
                    new Packet(PacketType.SYN, 100 + 2 * i, 0, 0, 1000, 1, 0, null, null).encode()));
        }
        int states = 0;
        int resets = 0;
        for (int i = 0; i < 10; i++) {
            Packet p = answers.poll(5, TimeUnit.SECONDS);
            if (p.type() == PacketType.STATE) {
                states++;
            } else if (p.type() == PacketType.RESET) {
                resets++;
            }
        }
        assertThat(states).as("half-open connections allowed").isEqualTo(SMALL.maxHalfOpen());
        assertThat(resets).isEqualTo(10 - SMALL.maxHalfOpen());
        assertThat(group.submit(server::refusedSyns).get()).isEqualTo(7);
    }
}
