package torfs.dht;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import torfs.metainfo.InfoHash;
import torfs.transport.UdpEndpoint;

/**
 * A mainline DHT node (BEP 5, BEP 42 ids) on the client's shared {@link UdpEndpoint}.
 *
 * <p>Public API, callable from any thread:
 * <ul>
 * <li>{@link #start(DhtSettings, UdpEndpoint)}: takes the endpoint's KRPC datagrams, loads the
 *     state file, pings its saved nodes and the bootstrap list, then looks up its own id and
 *     refreshes the far buckets that lookup left thin.</li>
 * <li>{@link #addNode(InetSocketAddress)}: a node to ping and, if it answers, keep; for the
 *     BitTorrent PORT message (a non-loopback address in loopback-only mode is dropped, counted).</li>
 * <li>{@link #lookup(InfoHash, int, Consumer)}: get_peers for a torrent, peers to the callback
 *     (on the loop: hand them off, do not block) as they arrive, then announce_peer unless the
 *     port is -1. A lookup asked for before any node answered waits for one (30 s at most).
 *     The caller repeats it per torrent every 15 minutes; this class does not schedule it.</li>
 * <li>{@link #routingTableSize()}, {@link #stats()}, {@link #close()} (saves the state file).</li>
 * </ul>
 * All state is confined to the endpoint's event loop: no locks.
 */
public final class DhtNode implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DhtNode.class.getName());
    static final int ALPHA = 3;
    /** Saved nodes pinged at start; the rest would only repeat what these tell. */
    private static final int PING_SAVED = 200;
    private static final int PINGS_PER_ROUND = 4;
    /** Far buckets refreshed once the self-lookup ends: the widest ones, where a join knows fewest. */
    private static final int JOIN_REFRESHES = 16;
    private static final long BOOTSTRAP_WAIT_MS = 30_000;
    /** Our queries in flight at most; beyond it a query fails at once (transaction ids are 16 bits). */
    static final int MAX_PENDING = 4096;

    private final DhtSettings settings;
    private final UdpEndpoint endpoint;
    private final EventLoop loop;
    private final LongSupplier clock;
    private final Random random = new SecureRandom();
    private final RoutingTable table;
    private final Responder responder;
    private final Map<Integer, Pending> pending = new HashMap<>();
    private final Set<Lookup> lookups = new HashSet<>();
    private final List<Runnable> afterBootstrap = new ArrayList<>();
    private final List<InetSocketAddress> bootstrapNodes = new ArrayList<>();
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private Lookup selfLookup;
    /** The far buckets were refreshed after a self-lookup: once a process (a small network re-runs self-lookups). */
    private boolean joinRefreshed;
    /** Written on the loop; volatile for {@link #isBootstrapped()}. */
    private volatile boolean bootstrapped;
    private boolean closed;
    private long lastSave;
    private volatile int tableSize;
    private long packetsIn, packetsOut, bytesIn, bytesOut, answered, malformed, rateLimited, nonLoopback,
            unmatched, timeouts;

    private record Pending(InetSocketAddress to, Rpc.Reply reply, ScheduledFuture<?> timer) {
    }

    private DhtNode(DhtSettings settings, UdpEndpoint endpoint, NodeId id, LongSupplier clock) {
        this.settings = settings;
        this.endpoint = endpoint;
        this.loop = endpoint.eventLoop();
        this.clock = clock;
        long now = clock.getAsLong();
        this.table = new RoutingTable(id, now);
        this.responder = new Responder(table, settings, random, now);
        this.lastSave = now;
    }

    /** Starts a node on {@code endpoint}; see the class comment. */
    public static DhtNode start(DhtSettings settings, UdpEndpoint endpoint) {
        return start(settings, endpoint, () -> System.nanoTime() / 1_000_000);
    }

    static DhtNode start(DhtSettings settings, UdpEndpoint endpoint, LongSupplier clock) {
        DhtState saved = DhtState.load(settings.stateFile());
        InetAddress ip = settings.externalIp() != null ? settings.externalIp() : endpoint.localAddress().getAddress();
        NodeId id = saved != null && saved.id().isSecureFor(ip) ? saved.id() : NodeId.secure(ip, new SecureRandom());
        DhtNode node = new DhtNode(settings, endpoint, id, clock);
        node.loop.execute(() -> node.begin(saved));
        node.resolveBootstrap();
        return node;
    }

    private void begin(DhtState saved) {
        endpoint.onKrpc(this::receive);
        long every = settings.maintenance().toMillis();
        timers.add(loop.scheduleAtFixedRate(this::maintain, every, every, TimeUnit.MILLISECONDS));
        timers.add(loop.schedule(this::releaseWaitingLookups, BOOTSTRAP_WAIT_MS, TimeUnit.MILLISECONDS));
        if (saved != null && !saved.nodes().isEmpty()) {
            saved.nodes().stream().limit(PING_SAVED).forEach(n -> ping(n.address()));
        } else if (settings.bootstrap().isEmpty()) {
            bootstrapped = true; // nobody to join through: lookups run on whoever contacts us
        }
    }

    /** Literal entries go straight to the loop; names resolve on a thread of their own, never on the loop. */
    private void resolveBootstrap() {
        for (String entry : settings.bootstrap()) {
            DhtSettings.HostPort hp = DhtSettings.HostPort.parse(entry);
            if (hp == null) {
                LOG.log(System.Logger.Level.WARNING, "DHT bootstrap entry {0} is not host:port", entry);
                continue;
            }
            InetSocketAddress literal = DhtSettings.parseLiteral(entry);
            if (literal != null) {
                loop.execute(() -> addBootstrap(literal));
                continue;
            }
            CompletableFuture.supplyAsync(() -> new InetSocketAddress(hp.host(), hp.port()), r -> {
                Thread t = new Thread(r, "dht-resolve");
                t.setDaemon(true);
                t.start();
            }).thenAccept(a -> {
                if (a.isUnresolved()) {
                    LOG.log(System.Logger.Level.INFO, "DHT bootstrap node {0} did not resolve", entry);
                } else {
                    loop.execute(() -> addBootstrap(a));
                }
            });
        }
    }

    private void addBootstrap(InetSocketAddress a) {
        if (!closed) {
            bootstrapNodes.add(a);
            ping(a);
        }
    }

    /** A node to ping and keep if it answers: a bootstrap node, or a peer's PORT message. */
    public void addNode(InetSocketAddress address) {
        loop.execute(() -> {
            if (!closed) {
                ping(address);
            }
        });
    }

    /**
     * Looks up peers of {@code infoHash}; {@code announcePort} -1 for no announce, 0 to announce
     * with implied_port (our UDP port, for uTP), else our TCP listen port. Completes when the
     * lookup (and announce) ended, or at {@link #close()}.
     */
    public CompletableFuture<LookupResult> lookup(InfoHash infoHash, int announcePort,
                                                  Consumer<List<InetSocketAddress>> peersFound) {
        if (announcePort < -1 || announcePort > 65535) {
            throw new IllegalArgumentException("announce port " + announcePort);
        }
        NodeId target = NodeId.of(infoHash.bytes());
        CompletableFuture<LookupResult> result = new CompletableFuture<>();
        loop.execute(() -> {
            Runnable run = () -> startLookup(Lookup.Kind.GET_PEERS, target, announcePort, peersFound)
                    .whenComplete((r, e) -> result.complete(r != null ? r : new LookupResult(0, 0, 0, 0)));
            if (closed) {
                result.complete(new LookupResult(0, 0, 0, 0));
            } else if (bootstrapped) {
                run.run();
            } else {
                afterBootstrap.add(run);
            }
        });
        return result;
    }

    /** True once the node joined (its own-id lookup ended, or it had nobody to join through). Any thread. */
    public boolean isBootstrapped() {
        return bootstrapped;
    }

    /** Live nodes in the routing table, as of the last packet handled. */
    public int routingTableSize() {
        return tableSize;
    }

    public CompletableFuture<DhtStats> stats() {
        CompletableFuture<DhtStats> f = new CompletableFuture<>();
        loop.execute(() -> f.complete(new DhtStats(packetsIn, packetsOut, bytesIn, bytesOut, answered, malformed,
                rateLimited, nonLoopback, unmatched, timeouts, table.size(), responder.storedPeers())));
        return f;
    }

    /** Our node id, hex. */
    public String nodeId() {
        return table.ownId().hex();
    }

    /** Stops answering, ends lookups with what they found, and saves the state file. */
    @Override
    public void close() {
        if (loop.isShuttingDown()) {
            LOG.log(System.Logger.Level.DEBUG, "DHT closed after its event loop: state not saved");
            return;
        }
        CompletableFuture<DhtState> snapshot = new CompletableFuture<>();
        loop.execute(() -> {
            if (closed) {
                snapshot.complete(null);
                return;
            }
            closed = true;
            endpoint.onKrpc(null);
            timers.forEach(t -> t.cancel(false));
            for (Pending p : pending.values()) {
                p.timer().cancel(false);
            }
            pending.clear();
            new ArrayList<>(lookups).forEach(Lookup::abort);
            releaseWaitingLookups();
            snapshot.complete(new DhtState(table.ownId(), table.goodNodes(clock.getAsLong())));
        });
        DhtState state = snapshot.join();
        if (state != null) {
            save(state);
        }
    }

    private void save(DhtState state) {
        if (settings.stateFile() == null) {
            return;
        }
        try {
            state.save(settings.stateFile());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot save DHT state {0}: {1}", settings.stateFile(), e.toString());
        }
    }

    // ---- everything below runs on the loop

    private CompletableFuture<LookupResult> startLookup(Lookup.Kind kind, NodeId target, int announcePort,
                                                        Consumer<List<InetSocketAddress>> peersFound) {
        Lookup l = new Lookup(rpc, kind, target, ALPHA, announcePort, peersFound);
        lookups.add(l);
        l.future().whenComplete((r, e) -> lookups.remove(l));
        return l.start(table.closest(target, RoutingTable.K * 2));
    }

    /** Looks up our own id: fills the buckets near us, and ends the bootstrap. */
    private void lookUpSelf() {
        if (selfLookup != null || closed) {
            return;
        }
        selfLookup = new Lookup(rpc, Lookup.Kind.FIND_NODE, table.ownId(), ALPHA, -1, p -> { });
        lookups.add(selfLookup);
        selfLookup.start(table.closest(table.ownId(), RoutingTable.K * 2)).whenComplete((r, e) -> {
            lookups.remove(selfLookup);
            selfLookup = null;
            if (table.size() > 0) {
                releaseWaitingLookups();
                if (!joinRefreshed) {
                    joinRefreshed = true;
                    refreshInTurn(new ArrayDeque<>(table.joinRefreshTargets(clock.getAsLong(), JOIN_REFRESHES, random)));
                }
            }
        });
    }

    /**
     * One refresh lookup at a time, the next when one ends: a burst of them would compete with
     * the torrents' first get_peers lookups, and nodes limit the queries they take from one IP.
     */
    private void refreshInTurn(Deque<NodeId> targets) {
        NodeId next = targets.poll();
        if (next != null && !closed) {
            startLookup(Lookup.Kind.FIND_NODE, next, -1, p -> { })
                    .whenComplete((r, e) -> loop.execute(() -> refreshInTurn(targets)));
        }
    }

    private void releaseWaitingLookups() {
        bootstrapped = true;
        List<Runnable> waiting = new ArrayList<>(afterBootstrap);
        afterBootstrap.clear();
        waiting.forEach(Runnable::run);
    }

    private void ping(InetSocketAddress to) {
        rpc.query(to, tid -> KrpcMessage.Query.ping(tid, table.ownId()), new Rpc.Reply() {
            @Override
            public void answered(KrpcMessage.Response r) {
                if (!bootstrapped || table.size() < RoutingTable.K) {
                    lookUpSelf();
                }
                // a lookup iterates towards its target from any node that answers: waiting
                // for the self-lookup to end would make a magnet wait out its slowest node
                if (!bootstrapped && table.size() > 0) {
                    releaseWaitingLookups();
                }
            }

            @Override
            public void failed() {
            }
        });
    }

    private void maintain() {
        long now = clock.getAsLong();
        responder.maintain(now);
        for (NodeContact q : table.questionable(now, PINGS_PER_ROUND)) {
            ping(q.address());
        }
        if (table.size() < RoutingTable.K) {
            bootstrapNodes.forEach(this::ping); // still alone: knock again
        } else {
            table.refreshTargets(now, random).stream().limit(2)
                    .forEach(t -> startLookup(Lookup.Kind.FIND_NODE, t, -1, p -> { }));
        }
        if (settings.stateFile() != null && now - lastSave >= settings.saveEvery().toMillis()) {
            lastSave = now;
            DhtState state = new DhtState(table.ownId(), table.goodNodes(now));
            CompletableFuture.runAsync(() -> save(state)); // a few KB, but still not on the loop
        }
        tableSize = table.size();
    }

    private final Rpc rpc = new Rpc() {
        @Override
        public void query(InetSocketAddress to, Function<byte[], KrpcMessage.Query> query, Rpc.Reply reply) {
            if (closed || pending.size() >= MAX_PENDING || !send(to, null)) {
                loop.execute(reply::failed);
                return;
            }
            int key;
            do {
                key = random.nextInt(1 << 16);
            } while (pending.containsKey(key));
            int k = key;
            byte[] tid = {(byte) (k >> 8), (byte) k};
            ScheduledFuture<?> timer = loop.schedule(() -> {
                if (pending.remove(k) != null) {
                    timeouts++;
                    table.failed(to);
                    tableSize = table.size();
                    reply.failed();
                }
            }, settings.queryTimeout().toMillis(), TimeUnit.MILLISECONDS);
            pending.put(k, new Pending(to, reply, timer));
            send(to, query.apply(tid));
        }

        @Override
        public boolean allowed(InetSocketAddress a) {
            return a.getAddress() != null && a.getPort() > 0 && (!settings.loopbackOnly() || DhtSettings.isLoopback(a));
        }

        @Override
        public NodeId ownId() {
            return table.ownId();
        }
    };

    /** Sends {@code m} if {@code to} is allowed; with m null only checks (and counts a refusal). */
    private boolean send(InetSocketAddress to, KrpcMessage m) {
        if (!rpc.allowed(to)) {
            nonLoopback++;
            return false;
        }
        if (m != null) {
            byte[] bytes = KrpcCodec.encode(m);
            packetsOut++;
            bytesOut += bytes.length;
            endpoint.send(to, Unpooled.wrappedBuffer(bytes));
        }
        return true;
    }

    private void receive(InetSocketAddress from, ByteBuf buf) {
        if (closed) {
            return;
        }
        packetsIn++;
        bytesIn += buf.readableBytes();
        KrpcMessage m;
        try {
            m = KrpcCodec.decode(ByteBufUtil.getBytes(buf));
        } catch (KrpcException e) {
            malformed++;
            return;
        }
        if (!rpc.allowed(from)) {
            nonLoopback++;
            return;
        }
        long now = clock.getAsLong();
        if (m instanceof KrpcMessage.Query q) {
            KrpcMessage answer = responder.answer(from, q, now);
            if (answer == null) {
                rateLimited++;
                return;
            }
            if (!q.readOnly()) {
                table.heardFrom(q.sender(), from, now);
            }
            answered++;
            send(from, answer);
        } else {
            Pending p = m.tid().length == 2 ? pending.get(((m.tid()[0] & 0xff) << 8) | (m.tid()[1] & 0xff)) : null;
            if (p == null || !p.to().equals(from)) {
                unmatched++;
                return;
            }
            pending.remove(((m.tid()[0] & 0xff) << 8) | (m.tid()[1] & 0xff));
            p.timer().cancel(false);
            if (m instanceof KrpcMessage.Response r) {
                table.heardFrom(r.sender(), from, now);
                p.reply().answered(r);
            } else {
                p.reply().failed();
            }
        }
        tableSize = table.size();
    }
}
