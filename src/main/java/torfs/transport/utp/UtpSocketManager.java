package torfs.transport.utp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import torfs.transport.UdpEndpoint;

/**
 * The uTP connections on the client's {@link UdpEndpoint}, keyed by the peer's address and our
 * receive id: routes each uTP datagram to its connection, answers SYNs by making an accepted
 * {@link UtpChannel} (handed to {@code incoming}, which builds its pipeline, then registered),
 * dials, ticks every connection's timers and forgets those that ended. Unknown connections get
 * a RESET; SYNs past the caps on half-open or all connections are refused the same way. All
 * state is confined to the endpoint's loop.
 */
public final class UtpSocketManager implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(UtpSocketManager.class.getName());
    static final long TICK_MILLIS = 50;
    /** An accepted connection whose peer said nothing after its SYN for this long is dropped. */
    static final long HALF_OPEN_LIMIT_MICROS = 10_000_000;

    /** Caps and buffer sizes. */
    public record Settings(int maxConnections, int maxHalfOpen, int receiveBuffer) {
        public static final Settings DEFAULT = new Settings(500, 50, 1 << 20);
    }

    private record Key(InetSocketAddress peer, int recvId) {
    }

    private final UdpEndpoint endpoint;
    private final Settings settings;
    private final Consumer<Channel> incoming;
    private final Map<Key, UtpChannel> byKey = new HashMap<>();
    private final SecureRandom random = new SecureRandom();
    /** Connections whose ack waits for the end of the datagrams read in one go. */
    private final ArrayList<UtpConnection> acksOwed = new ArrayList<>();
    /** Runs only while there are connections: a client at rest wakes for nothing. */
    private ScheduledFuture<?> ticker;
    private long droppedDatagrams;
    private long refusedSyns;
    private volatile boolean closed;

    private UtpSocketManager(UdpEndpoint endpoint, Settings settings, Consumer<Channel> incoming) {
        this.endpoint = endpoint;
        this.settings = settings;
        this.incoming = incoming;
    }

    private void track(Key key, UtpChannel ch) {
        byKey.put(key, ch);
        if (ticker == null) {
            ticker = eventLoop().scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Takes the endpoint's uTP datagrams. {@code incoming} builds the pipeline of each accepted
     * channel (null refuses incoming connections); it runs before the channel is registered.
     */
    public static UtpSocketManager attach(UdpEndpoint endpoint, Settings settings, Consumer<Channel> incoming) {
        UtpSocketManager m = new UtpSocketManager(endpoint, settings, incoming);
        endpoint.onUtp(m::onDatagram);
        endpoint.onReadComplete(m::sendOwedAcks);
        return m;
    }

    /** A channel to hand to {@code Bootstrap.channelFactory}: it dials when connected. */
    public UtpChannel newChannel() {
        return new UtpChannel(this);
    }

    public EventLoop eventLoop() {
        return endpoint.eventLoop();
    }

    InetSocketAddress localAddress() {
        return endpoint.localAddress();
    }

    long now() {
        return System.nanoTime() / 1000;
    }

    /** Live connections (including those closing). Read on the loop. */
    public int connectionCount() {
        return byKey.size();
    }

    /** Datagrams that parsed as no uTP packet, and SYNs refused for the caps. Read on the loop. */
    public long droppedDatagrams() {
        return droppedDatagrams;
    }

    public long refusedSyns() {
        return refusedSyns;
    }

    void send(InetSocketAddress to, Packet p) {
        endpoint.send(to, Unpooled.wrappedBuffer(p.encode()));
    }

    void oweAck(UtpConnection c) {
        acksOwed.add(c);
    }

    /** The socket has no more datagrams for now: one ack per connection for what arrived. */
    private void sendOwedAcks() {
        if (acksOwed.isEmpty()) {
            return;
        }
        long now = now();
        for (UtpConnection c : acksOwed) {
            c.sendOwedAck(now);
        }
        acksOwed.clear();
    }

    /** Called by the channel's connect, on the loop. */
    void dial(UtpChannel ch) {
        InetSocketAddress peer = ch.remoteAddress();
        int id;
        do {
            id = random.nextInt(0x10000);
        } while (byKey.containsKey(new Key(peer, id)) || byKey.containsKey(new Key(peer, Seq.add(id, 1))));
        track(new Key(peer, id), ch);
        UtpConnection c = UtpConnection.dialing(id, now(), settings.receiveBuffer(), ch.events());
        c.deferAcks(true);
        ch.attach(c);
    }

    private void onDatagram(InetSocketAddress from, ByteBuf data) {
        Packet p = Packet.parse(ByteBufUtil.getBytes(data));
        if (p == null || closed) {
            droppedDatagrams++;
            return;
        }
        long now = now();
        if (p.type() == PacketType.SYN) {
            onSyn(from, p, now);
            return;
        }
        UtpChannel ch = byKey.get(new Key(from, p.connectionId()));
        if (ch == null && p.type() == PacketType.RESET) {
            // a RESET may carry either of the connection's ids
            for (int d : new int[] {-1, 1}) {
                UtpChannel c = byKey.get(new Key(from, Seq.add(p.connectionId(), d)));
                if (c != null && c.connection() != null && c.connection().sendId() == p.connectionId()) {
                    ch = c;
                }
            }
        }
        if (ch == null || ch.connection() == null) {
            if (p.type() != PacketType.RESET) {
                send(from, new Packet(PacketType.RESET, p.connectionId(), now & 0xffffffffL, 0, 0,
                        random.nextInt(0x10000), p.seqNr(), null, null));
            }
            return;
        }
        ch.connection().receive(p, now);
    }

    private void onSyn(InetSocketAddress from, Packet syn, long now) {
        Key key = new Key(from, Seq.add(syn.connectionId(), 1));
        UtpChannel existing = byKey.get(key);
        if (existing != null) {
            existing.connection().receive(syn, now); // our answer was lost: it answers again
            return;
        }
        if (incoming == null || byKey.size() >= settings.maxConnections() || halfOpen() >= settings.maxHalfOpen()) {
            refusedSyns++;
            send(from, new Packet(PacketType.RESET, syn.connectionId(), now & 0xffffffffL, 0, 0,
                    random.nextInt(0x10000), syn.seqNr(), null, null));
            return;
        }
        UtpChannel ch = new UtpChannel(this, from);
        UtpConnection c = UtpConnection.accepting(syn, now, settings.receiveBuffer(), ch.events(), random.nextInt(0x10000));
        c.deferAcks(true);
        ch.attach(c);
        track(key, ch);
        try {
            incoming.accept(ch);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "uTP: building an incoming pipeline failed: {0}", e.toString());
            ch.connection().reset(now);
            return;
        }
        eventLoop().register(ch);
    }

    private int halfOpen() {
        int n = 0;
        for (UtpChannel ch : byKey.values()) {
            if (ch.connection() != null && !ch.connection().established()) {
                n++;
            }
        }
        return n;
    }

    private void tick() {
        long now = now();
        for (var it = new ArrayList<>(byKey.entrySet()).iterator(); it.hasNext();) {
            var e = it.next();
            UtpConnection c = e.getValue().connection();
            if (c == null) {
                continue;
            }
            if (!c.established() && !c.isClosed() && now - c.openedAt() > HALF_OPEN_LIMIT_MICROS
                    && !c.isDialing()) {
                c.reset(now);
            }
            c.tick(now);
            if (c.canForget(now)) {
                byKey.remove(e.getKey());
            }
        }
        if (byKey.isEmpty() && ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
    }

    /** Resets every connection and lets go of the endpoint. Call on any thread. */
    @Override
    public void close() {
        closed = true;
        Runnable r = () -> {
            if (ticker != null) {
                ticker.cancel(false);
                ticker = null;
            }
            endpoint.onUtp(null);
            endpoint.onReadComplete(null);
            for (UtpChannel ch : new ArrayList<>(byKey.values())) {
                if (ch.connection() != null) {
                    ch.connection().reset(now());
                }
                ch.close();
            }
            byKey.clear();
        };
        if (eventLoop().inEventLoop()) {
            r.run();
        } else {
            eventLoop().execute(r);
        }
    }
}
