package torfs.tracker;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The UDP socket shared by all UDP trackers of a client: one per local address sent from, so
 * two when the client is bound to an address of one family and a tracker is of the other (see
 * {@link LocalBind}); without a bind address the one wildcard socket is dual-stack. A request
 * is matched to its reply by transaction id and sender address; anything else that arrives is
 * dropped. State is confined to one event loop, which every socket shares.
 */
final class UdpSocket implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(UdpSocket.class.getName());

    /** Marks a request that got no reply in time; the caller retransmits. */
    static final class Timeout extends Exception {
        Timeout() {
            super("no reply", null, false, false);
        }
    }

    private record Pending(InetSocketAddress from, CompletableFuture<byte[]> reply) {
    }

    private final EventLoopGroup group;
    private final EventLoop loop;
    private final InetAddress local;
    private final Map<Integer, Pending> pending = new HashMap<>();
    /** By the address bound to; the wildcard under null. */
    private final Map<InetAddress, CompletableFuture<Channel>> channels = new HashMap<>();
    private boolean closed;

    /** {@code local}: the address to send from (null: any). */
    UdpSocket(EventLoopGroup group, InetAddress local) {
        this.group = group;
        this.loop = group.next(); // the pending map is shared by the sockets: one loop for all
        this.local = local;
    }

    /**
     * Sends the packet built for a fresh transaction id and completes with the reply, or
     * fails with {@link Timeout} after {@code timeoutMillis}.
     */
    CompletableFuture<byte[]> exchange(InetSocketAddress to, long timeoutMillis, IntFunction<byte[]> packet) {
        return channel(LocalBind.forRemote(local, to.getAddress())).thenCompose(ch -> {
            CompletableFuture<byte[]> reply = new CompletableFuture<>();
            ch.eventLoop().execute(() -> {
                int txid;
                do {
                    txid = ThreadLocalRandom.current().nextInt();
                } while (pending.containsKey(txid));
                int id = txid;
                pending.put(id, new Pending(to, reply));
                var timer = ch.eventLoop().schedule(() -> {
                    pending.remove(id);
                    reply.completeExceptionally(new Timeout());
                }, timeoutMillis, TimeUnit.MILLISECONDS);
                reply.whenComplete((r, e) -> timer.cancel(false));
                ch.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(packet.apply(id)), to))
                        .addListener(f -> {
                            if (!f.isSuccess()) {
                                LOG.log(System.Logger.Level.DEBUG, "UDP send to {0} failed: {1}", to, f.cause());
                            }
                        });
            });
            return reply;
        });
    }

    private synchronized CompletableFuture<Channel> channel(InetAddress from) {
        if (closed) {
            return CompletableFuture.failedFuture(new TrackerException("tracker client is closed"));
        }
        CompletableFuture<Channel> channel = channels.get(from);
        if (channel == null) {
            CompletableFuture<Channel> c = new CompletableFuture<>();
            channel = c;
            channels.put(from, c);
            Bootstrap b = new Bootstrap().group(loop).channel(Transports.datagramChannel(group))
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new Receiver());
                        }
                    });
            b.bind(new InetSocketAddress(from, 0)).addListener((ChannelFuture f) -> {
                if (f.isSuccess()) {
                    c.complete(f.channel());
                } else {
                    c.completeExceptionally(new TrackerException("cannot open a UDP socket: "
                            + HttpGet.oneLine(f.cause())));
                }
            });
        }
        return channel;
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (CompletableFuture<Channel> channel : channels.values()) {
            // fail what is in flight at once: its timers would die with the channel
            channel.thenAccept(ch -> ch.eventLoop().execute(() -> {
                for (Pending p : pending.values()) {
                    p.reply().completeExceptionally(new TrackerException("tracker client is closed"));
                }
                pending.clear();
                ch.close();
            }));
        }
    }

    private final class Receiver extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
            byte[] data = ByteBufUtil.getBytes(msg.content());
            if (data.length < 8) {
                return;
            }
            int txid = ((data[4] & 0xff) << 24) | ((data[5] & 0xff) << 16) | ((data[6] & 0xff) << 8) | (data[7] & 0xff);
            Pending p = pending.get(txid);
            if (p == null || !p.from().equals(msg.sender())) {
                LOG.log(System.Logger.Level.DEBUG, "dropped UDP packet from {0}: unknown transaction", msg.sender());
                return;
            }
            pending.remove(txid);
            p.reply().complete(data);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP unreachable and the like: the request times out and is retransmitted
            LOG.log(System.Logger.Level.DEBUG, "UDP socket error: {0}", cause.toString());
        }
    }
}
