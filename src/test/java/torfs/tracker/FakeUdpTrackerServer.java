package torfs.tracker;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A BEP 15 tracker on 127.0.0.1 for tests: a real swarm per info-hash, connection ids it
 * checks, transaction ids it records, and knobs to drop, misaddress or refuse packets.
 */
final class FakeUdpTrackerServer implements AutoCloseable {
    final AtomicInteger dropFirst = new AtomicInteger();
    volatile String errorMessage;
    volatile boolean wrongTransactionId;
    volatile int interval = 1200;
    final AtomicInteger connects = new AtomicInteger();
    final AtomicInteger announces = new AtomicInteger();
    final AtomicInteger packets = new AtomicInteger();
    final List<Integer> transactionIds = new ArrayList<>();
    final List<Integer> events = new ArrayList<>();
    /** The address each packet came from. */
    final List<InetSocketAddress> senders = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Set<Long> connectionIds = new HashSet<>();
    private final Map<String, Map<String, InetSocketAddress>> swarms = new LinkedHashMap<>();
    private final Channel channel;

    FakeUdpTrackerServer(EventLoopGroup nioGroup) throws InterruptedException {
        this(nioGroup, "127.0.0.1");
    }

    /** On {@code host} ("::1": BEP 15 over IPv6, whose replies list 18-byte peers). */
    FakeUdpTrackerServer(EventLoopGroup nioGroup, String host) throws InterruptedException {
        channel = new Bootstrap().group(nioGroup).channel(NioDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                        handle(ctx, ByteBufUtil.getBytes(msg.content()), msg.sender());
                    }
                }).bind(host, 0).sync().channel();
    }

    String url() {
        InetSocketAddress a = (InetSocketAddress) channel.localAddress();
        String host = a.getAddress() instanceof java.net.Inet6Address ? "[" + a.getAddress().getHostAddress() + "]"
                : a.getAddress().getHostAddress();
        return "udp://" + host + ":" + a.getPort() + "/announce";
    }

    private synchronized void handle(ChannelHandlerContext ctx, byte[] in, InetSocketAddress from) {
        packets.incrementAndGet();
        senders.add(from);
        if (dropFirst.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(in);
        long connId = b.getLong();
        int action = b.getInt();
        int txid = b.getInt();
        transactionIds.add(txid);
        int replyTxid = wrongTransactionId ? txid ^ 1 : txid;
        if (action == 0 && in.length >= 16 && connId == UdpTracker.PROTOCOL_ID) {
            connects.incrementAndGet();
            long id = ThreadLocalRandom.current().nextLong();
            connectionIds.add(id);
            send(ctx, from, ByteBuffer.allocate(16).putInt(0).putInt(replyTxid).putLong(id).array());
            return;
        }
        if (action != 1 || in.length < 98 || !connectionIds.contains(connId)) {
            error(ctx, from, txid, "bad request");
            return;
        }
        announces.incrementAndGet();
        if (errorMessage != null) {
            error(ctx, from, txid, errorMessage);
            return;
        }
        byte[] hash = new byte[20];
        byte[] peerId = new byte[20];
        b.get(hash).get(peerId);
        b.getLong();
        long left = b.getLong();
        b.getLong();
        int event = b.getInt();
        events.add(event);
        b.getInt();
        b.getInt();
        b.getInt();
        int port = b.getShort() & 0xffff;
        Map<String, InetSocketAddress> swarm = swarms.computeIfAbsent(new String(hash, StandardCharsets.ISO_8859_1),
                k -> new LinkedHashMap<>());
        String me = new String(peerId, StandardCharsets.ISO_8859_1);
        if (event == 3) {
            swarm.remove(me);
        } else {
            swarm.put(me, new InetSocketAddress(from.getAddress(), port));
        }
        ByteBuffer out = ByteBuffer.allocate(20 + 18 * swarm.size());
        out.putInt(1).putInt(replyTxid).putInt(interval).putInt(swarm.size()).putInt(left == 0 ? 1 : 0);
        for (Map.Entry<String, InetSocketAddress> p : swarm.entrySet()) {
            if (!p.getKey().equals(me)) {
                out.put(p.getValue().getAddress().getAddress()).putShort((short) p.getValue().getPort());
            }
        }
        send(ctx, from, java.util.Arrays.copyOf(out.array(), out.position()));
    }

    private void error(ChannelHandlerContext ctx, InetSocketAddress to, int txid, String message) {
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        send(ctx, to, ByteBuffer.allocate(8 + m.length).putInt(3).putInt(txid).put(m).array());
    }

    private static void send(ChannelHandlerContext ctx, InetSocketAddress to, byte[] data) {
        ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(data), to));
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
