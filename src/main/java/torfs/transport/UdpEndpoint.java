package torfs.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.BiConsumer;
import torfs.tracker.Transports;
import torfs.transport.utp.Packet;

/**
 * The client's one UDP socket, shared by the DHT, uTP and (later) UDP trackers. Incoming
 * datagrams are told apart by their first byte, as libtorrent does: a bencoded dictionary
 * ({@code 'd'}) is KRPC and goes to {@link #onKrpc}; a uTP header goes to {@link #onUtp};
 * anything else goes to {@link #onOther},
 * or is dropped while nobody registered there.
 *
 * <p>Handlers run on {@link #eventLoop()} and get a buffer that is released after they return:
 * they must copy what they keep. {@link #send} may be called from any thread.
 */
public final class UdpEndpoint implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(UdpEndpoint.class.getName());
    /** KRPC fits an Ethernet frame; uTP packets are under 1500 bytes too. Bigger datagrams are cut and dropped. */
    static final int RECEIVE_BUFFER = 2048;
    static final int SOCKET_BUFFER = 2 << 20;

    private final Channel channel;
    private volatile BiConsumer<InetSocketAddress, ByteBuf> krpc;
    private volatile BiConsumer<InetSocketAddress, ByteBuf> other;
    private volatile BiConsumer<InetSocketAddress, ByteBuf> utp;
    private volatile Runnable readComplete;
    private long truncated;
    private long handlerFailures;

    private UdpEndpoint(Channel channel) {
        this.channel = channel;
    }

    /** Binds a datagram channel to {@code local} (port 0: any free port) on one loop of {@code group}. */
    public static UdpEndpoint bind(EventLoopGroup group, InetSocketAddress local) {
        UdpEndpoint[] self = new UdpEndpoint[1];
        Receiver receiver = new Receiver(self);
        Bootstrap b = new Bootstrap().group(group).channel(Transports.datagramChannel(group))
                // room for a burst of uTP while the loop is busy elsewhere: a datagram the kernel
                // drops is a loss that halves the sender's window (capped by net.core.rmem_max)
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                // one byte more than we accept, so a datagram that was cut is seen as too long;
                // datagrams never fill the buffer, so "maybe more data" must not end a read batch
                // after the first one (uTP acks once per batch)
                .option(ChannelOption.RCVBUF_ALLOCATOR,
                        new FixedRecvByteBufAllocator(RECEIVE_BUFFER + 1).respectMaybeMoreData(false))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(receiver);
                    }
                });
        var f = b.bind(local).syncUninterruptibly();
        if (!f.isSuccess()) {
            throw new UncheckedIOException(new IOException("cannot bind UDP " + local + ": " + f.cause(), f.cause()));
        }
        self[0] = new UdpEndpoint(f.channel());
        return self[0];
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** The loop every handler runs on; the DHT confines its state to it. */
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    /** Sends one datagram; takes ownership of {@code data}. Failures are silent (UDP is lossy anyway). */
    public void send(InetSocketAddress to, ByteBuf data) {
        if (!channel.isActive()) {
            data.release();
            return;
        }
        channel.writeAndFlush(new DatagramPacket(data, to), channel.voidPromise());
    }

    /** Where bencoded datagrams (first byte 'd') go. */
    public void onKrpc(BiConsumer<InetSocketAddress, ByteBuf> handler) {
        this.krpc = handler;
    }

    /**
     * Where uTP datagrams go: at least a uTP header long, version 1 in the low nibble of the first
     * byte and a type 0-4 in the high one (libtorrent's test). Null leaves them to {@link #onOther}.
     */
    public void onUtp(BiConsumer<InetSocketAddress, ByteBuf> handler) {
        this.utp = handler;
    }

    /** Runs after each batch of datagrams read from the socket (uTP sends its deferred acks). */
    public void onReadComplete(Runnable handler) {
        this.readComplete = handler;
    }

    /** Where all other datagrams go (uTP, UDP tracker replies); null drops them. */
    public void onOther(BiConsumer<InetSocketAddress, ByteBuf> handler) {
        this.other = handler;
    }

    /** Datagrams dropped for being longer than the receive buffer. Read on the loop. */
    public long truncatedDrops() {
        return truncated;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    private void dispatch(DatagramPacket p) {
        ByteBuf content = p.content();
        if (content.readableBytes() > RECEIVE_BUFFER) {
            truncated++;
            return;
        }
        if (!content.isReadable()) {
            return;
        }
        int first = content.getByte(content.readerIndex()) & 0xff;
        BiConsumer<InetSocketAddress, ByteBuf> u = utp;
        BiConsumer<InetSocketAddress, ByteBuf> h = first == 'd' ? krpc
                : u != null && content.readableBytes() >= Packet.HEADER_SIZE && Packet.looksLikeUtp(first) ? u
                : other;
        if (h != null) {
            h.accept(p.sender(), content);
        }
    }

    private static final class Receiver extends SimpleChannelInboundHandler<DatagramPacket> {
        private final UdpEndpoint[] owner;

        Receiver(UdpEndpoint[] owner) {
            this.owner = owner;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
            UdpEndpoint e = owner[0];
            if (e == null) {
                return; // arrived while bind() was returning: nobody listens yet
            }
            try {
                e.dispatch(msg);
            } catch (RuntimeException ex) {
                // a handler bug must not close the socket every other user shares; log it once
                if (e.handlerFailures++ == 0) {
                    LOG.log(System.Logger.Level.WARNING, "UDP handler failed: {0}", ex.toString());
                }
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            UdpEndpoint e = owner[0];
            Runnable r = e == null ? null : e.readComplete;
            if (r != null) {
                try {
                    r.run();
                } catch (RuntimeException ex) {
                    if (e.handlerFailures++ == 0) {
                        LOG.log(System.Logger.Level.WARNING, "UDP handler failed: {0}", ex.toString());
                    }
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP port unreachable and the like: the sender's timeouts deal with it
            LOG.log(System.Logger.Level.DEBUG, "UDP socket error: {0}", cause.toString());
        }

        @Override
        public boolean isSharable() {
            return true;
        }
    }
}
