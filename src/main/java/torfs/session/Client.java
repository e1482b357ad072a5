package torfs.session;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import torfs.dht.DhtNode;
import java.util.function.Consumer;
import torfs.log.StartTrace;
import torfs.metainfo.InfoHash;
import torfs.metainfo.Torrent;
import torfs.peer.PeerId;
import torfs.peer.PeerSettings;
import torfs.storage.DataLayout;
import torfs.storage.DataLock;
import torfs.storage.PieceChecker;
import torfs.storage.PieceStore;
import torfs.storage.ResumeStore;
import torfs.tracker.Announcer;
import torfs.tracker.NettyDefaults;
import torfs.tracker.NettyTrackerFactory;
import torfs.tracker.TrackerSettings;
import torfs.tracker.Transports;
import torfs.transport.TransportMode;
import torfs.transport.UdpEndpoint;
import torfs.transport.utp.UtpChannel;
import torfs.transport.utp.UtpSocketManager;
import torfs.transport.mse.Encryption;
import torfs.transport.mse.IncomingDetector;
import torfs.transport.mse.MseInitiator;
import torfs.wire.WireDecoder;
import torfs.wire.WireEncoder;

/**
 * One BitTorrent client per process: one listening port shared by every torrent (incoming
 * handshakes are routed by info-hash), one peer id, connection caps, the disk pool and the ban
 * list. Every torrent's state lives on the client's single I/O event loop, which on two cores
 * outruns the disk and hashing threads anyway; epoll is used when available.
 *
 * <pre>
 * try (Client c = Client.start(ClientSettings.defaults().withPort(0))) {
 *     TorrentSession s = c.add(torrent, dataDir);
 *     s.addPeers(List.of(new InetSocketAddress("127.0.0.2", 6881)));
 *     s.whenComplete().get();
 * }
 * </pre>
 */
public final class Client implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Client.class.getName());

    static {
        NettyDefaults.apply(); // before this class's first use of Netty
    }

    /**
     * Peer channels read into pooled buffers. Netty 4.2's default adaptive allocator zeroes a
     * fresh chunk whenever held blocks keep the old ones alive, which cost the event loop a
     * fifth of its time in a full download; the pooled arenas are reused without zeroing.
     */
    private static final ByteBufAllocator PEER_BUFFERS = PooledByteBufAllocator.DEFAULT;
    /** Port pairs tried when any port will do and a free TCP port's UDP twin is taken. */
    private static final int UDP_BIND_ATTEMPTS = 8;
    private final ClientSettings settings;
    private final byte[] peerId = PeerId.generate();
    private final int announceKey = ThreadLocalRandom.current().nextInt();
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Class<? extends SocketChannel> socketChannel;
    private final Channel server;
    /** The listening port: TCP's, and the UDP socket's when one is bound. */
    private final int port;
    private final DiskPool disk;
    private final BanList bans = new BanList(Duration.ofHours(1));
    private final NettyTrackerFactory trackers;
    private final Map<InfoHash, TorrentSession> sessions = new ConcurrentHashMap<>();
    /**
     * Torrents being added, their data still being checked: a peer's handshake for one waits
     * for its session ({@link HandshakeHandler}) instead of being closed, as it was, which cost
     * a torfs peer 30 s (its retry) when it dialled a seeder still checking its data.
     */
    private final Map<InfoHash, CompletableFuture<TorrentSession>> arriving = new ConcurrentHashMap<>();
    private final java.util.Set<MetadataFetch> fetches = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    /** Peers are numbered per client: the rate limiters, shared by all torrents, key by it. */
    private final AtomicInteger peerNumbers = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();
    private final PeerSettings peerSettings;
    /** The shared UDP socket on the listen port (DHT, uTP); null when neither runs. */
    private final UdpEndpoint udp;
    private final DhtNode dht;
    /** uTP connections on {@link #udp}; null unless the settings' transport includes uTP. */
    private final UtpSocketManager utp;
    private final Map<TorrentSession, DhtLookups> dhtLookups = new ConcurrentHashMap<>();
    /** The DHT node's UDP port, 0 while no DHT runs (see {@link #useDht}). */
    private volatile int dhtPort;
    private volatile Consumer<InetSocketAddress> dhtNodes;
    /** Global limits, shared by every torrent; used on the loop only. */
    private final RateLimiter upLimit;
    private final RateLimiter downLimit;
    /** The limits as last set, for whoever asks off the loop. */
    private volatile long maxUp;
    private volatile long maxDown;

    /** See {@link #checkInBackground(boolean)}. */
    private volatile boolean checkInBackground;

    private Client(ClientSettings settings) throws IOException {
        this.settings = settings;
        this.group = Transports.newEventLoopGroup(1);
        this.loop = group.next();
        this.socketChannel = Transports.socketChannel(group);
        this.upLimit = new RateLimiter(settings.maxUpload(), System.nanoTime());
        this.downLimit = new RateLimiter(settings.maxDownload(), System.nanoTime());
        this.maxUp = settings.maxUpload();
        this.maxDown = settings.maxDownload();
        this.disk = new DiskPool(settings.diskThreads(), 8 << 20, 2 << 20);
        this.trackers = new NettyTrackerFactory(group, TrackerSettings.DEFAULT.withLocalAddress(settings.bind()));
        PeerSettings d = PeerSettings.defaults();
        PeerSettings peers = new PeerSettings(d.maxIncomingRequests(), settings.requests().maxDepth(),
                settings.requests().queueTime().toNanos(), d.requestTimeoutNanos(), d.snubNanos(), d.idleNanos(), d.keepAliveNanos(),
                settings.clientName());
        ServerBootstrap sb = new ServerBootstrap().group(group, group)
                .channel(Transports.serverSocketChannel(group))
                .childOption(ChannelOption.ALLOCATOR, PEER_BUFFERS)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 << 10, 1 << 20))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!settings.transport().tcp()) {
                            ch.close(); // uTP only: the TCP port is held but answers nobody
                            return;
                        }
                        acceptPeer(ch);
                    }
                });
        InetSocketAddress local = settings.bind() == null ? new InetSocketAddress(settings.port())
                : new InetSocketAddress(settings.bind(), settings.port());
        boolean wantUdp = settings.dht() != null || settings.transport().utp();
        Channel tcpChannel;
        UdpEndpoint endpoint = null;
        for (int attempt = 1; ; attempt++) {
            ChannelFuture bound = sb.bind(local).awaitUninterruptibly();
            if (!bound.isSuccess()) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                disk.close();
                throw new IOException(ListenFailure.describe("", settings.bind(), settings.port(), bound.cause()),
                        bound.cause());
            }
            tcpChannel = bound.channel();
            if (!wantUdp) {
                break;
            }
            InetSocketAddress tcp = (InetSocketAddress) tcpChannel.localAddress();
            try {
                endpoint = UdpEndpoint.bind(group, new InetSocketAddress(tcp.getAddress(), tcp.getPort()));
                break;
            } catch (RuntimeException e) {
                if (settings.port() == 0 && attempt < UDP_BIND_ATTEMPTS) {
                    // any port will do: the free TCP port's UDP twin was taken, try another pair
                    tcpChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
                    continue;
                }
                if (!settings.transport().tcp()) { // uTP only: without UDP we could reach nobody
                    tcpChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
                    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                    disk.close();
                    throw new IOException(ListenFailure.describe("UDP ", settings.bind(), tcp.getPort(), e), e);
                }
                LOG.log(System.Logger.Level.WARNING, "DHT and uTP off: "
                        + ListenFailure.describe("UDP ", settings.bind(), tcp.getPort(), e)); // TCP still works
                break;
            }
        }
        this.server = tcpChannel;
        this.port = ((InetSocketAddress) server.localAddress()).getPort();
        DhtNode node = null;
        UtpSocketManager utpPeers = null;
        if (endpoint != null) {
            if (settings.transport().utp()) {
                utpPeers = UtpSocketManager.attach(endpoint, UtpSocketManager.Settings.DEFAULT, this::acceptPeer);
            }
            if (settings.dht() != null) {
                node = DhtNode.start(settings.dht(), endpoint);
            }
        }
        this.udp = endpoint;
        this.dht = node;
        this.utp = utpPeers;
        if (utp != null && !settings.transport().tcp()) {
            // uTP only: the port was held for UDP; TCP dials to it are now refused, as by a peer without TCP
            server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (dht != null) {
            useDht(udp.localAddress().getPort(), dht::addNode);
        }
        this.peerSettings = peers.withListenPort(port()); // peers that we dial learn where we listen
    }

    /**
     * From now on a torrent added over data that must be hashed (no resume state, or a stale
     * one) starts at once and hashes it while it runs ({@link BackgroundCheck}), a reader's
     * pieces first; otherwise {@link #add} returns after the check. Not for a capped cache, which
     * counts (and punches out) whatever is not verified when it is set.
     */
    public void checkInBackground(boolean on) {
        checkInBackground = on;
    }

    /**
     * Joins this client to a DHT node (BEP 5), the seam for whoever runs one: from now on our
     * handshakes set the DHT bit, peers that set it too are sent a PORT message with
     * {@code udpPort}, and the DHT nodes peers name in their PORT messages go to
     * {@code nodes} (called on the client's loop; e.g. {@code DhtNode::addNode}). Private
     * torrents (BEP 27) take no part: no bit, no PORT either way. Call before adding torrents.
     */
    public void useDht(int udpPort, Consumer<InetSocketAddress> nodes) {
        if (udpPort <= 0 || udpPort > 65535) {
            throw new IllegalArgumentException("DHT port " + udpPort);
        }
        this.dhtNodes = nodes;
        this.dhtPort = udpPort;
    }

    /** Our DHT node's UDP port, 0 when we run none. */
    int dhtPort() {
        return dhtPort;
    }

    /** A peer named its DHT node: handed to the DHT, if one runs. */
    void dhtNodeSeen(InetSocketAddress node) {
        Consumer<InetSocketAddress> c = dhtNodes;
        if (c != null) {
            c.accept(node);
        }
    }

    /** Binds the listening port and starts the I/O loop. */
    public static Client start(ClientSettings settings) throws IOException {
        return new Client(settings);
    }

    public ClientSettings settings() {
        return settings;
    }

    /** The port we listen on (the real one when settings asked for 0). */
    public int port() {
        return port;
    }

    public byte[] peerId() {
        return peerId.clone();
    }

    /** A number no other peer of this client has (nor had). */
    int nextPeerNumber() {
        return peerNumbers.incrementAndGet();
    }

    int announceKey() {
        return announceKey;
    }

    /**
     * Opens a torrent's data under {@code dataDir} (DATA/&lt;name&gt;), trusts its resume state or
     * re-hashes what is on disk (blocking), and starts downloading and seeding it: announcing to
     * its trackers, accepting its peers. Stop it with {@link TorrentSession#stop()}.
     */
    public TorrentSession add(Torrent torrent, Path dataDir) throws IOException, InterruptedException {
        return add(torrent, dataDir, PieceChecker.Progress.NONE);
    }

    public TorrentSession add(Torrent torrent, Path dataDir, PieceChecker.Progress progress)
            throws IOException, InterruptedException {
        return add(torrent, dataDir, progress,
                storeOpener());
    }

    /**
     * As {@link #add(Torrent, Path)}; {@code paused} starts it paused ({@link TorrentSession#pause()}):
     * it serves what is on disk and announces nothing until {@link TorrentSession#resume()}.
     */
    public TorrentSession add(Torrent torrent, Path dataDir, boolean paused) throws IOException, InterruptedException {
        return add(torrent, dataDir, PieceChecker.Progress.NONE,
                storeOpener(), paused);
    }

    /** How this client opens a torrent's store: past the page cache when its settings ask. */
    private java.util.function.Function<DataLayout, PieceStore> storeOpener() {
        return settings.bypassWriteCache() ? PieceStore::openBypassingCache : PieceStore::open;
    }

    /** As {@link #add(Torrent, Path, PieceChecker.Progress)} over the store {@code openStore} opens. */
    TorrentSession add(Torrent torrent, Path dataDir, PieceChecker.Progress progress,
                       java.util.function.Function<DataLayout, PieceStore> openStore)
            throws IOException, InterruptedException {
        return add(torrent, dataDir, progress, openStore, false);
    }

    private TorrentSession add(Torrent torrent, Path dataDir, PieceChecker.Progress progress,
                               java.util.function.Function<DataLayout, PieceStore> openStore, boolean paused)
            throws IOException, InterruptedException {
        return add(torrent, dataDir, progress, openStore, paused, null);
    }

    /** {@code held}: the data's lock, taken by the caller already; null: taken here. */
    private TorrentSession add(Torrent torrent, Path dataDir, PieceChecker.Progress progress,
                               java.util.function.Function<DataLayout, PieceStore> openStore, boolean paused,
                               DataLock held) throws IOException, InterruptedException {
        CompletableFuture<TorrentSession> arrival = new CompletableFuture<>();
        if (sessions.containsKey(torrent.infoHash()) || arriving.putIfAbsent(torrent.infoHash(), arrival) != null) {
            if (held != null) {
                held.close();
            }
            throw new IllegalStateException("torrent " + torrent.infoHash() + " is already added");
        }
        TorrentSession added = null;
        try {
            added = check(torrent, dataDir, progress, openStore, paused, held);
            return added;
        } finally {
            arriving.remove(torrent.infoHash(), arrival);
            arrival.complete(added); // null: the add failed, the waiting handshakes are closed
        }
    }

    /** The body of {@link #add}: checks the data, then registers and starts the session. */
    private TorrentSession check(Torrent torrent, Path dataDir, PieceChecker.Progress progress,
                                 java.util.function.Function<DataLayout, PieceStore> openStore, boolean paused,
                                 DataLock held) throws IOException, InterruptedException {
        DataLayout layout = DataLayout.of(torrent, dataDir);
        DataLock lock = held != null ? held : DataLock.acquire(layout); // one process at a time writes these files
        PieceStore store;
        ResumeStore.Loaded loaded;
        try {
            store = openStore.apply(layout);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        try {
            loaded = checkInBackground
                    ? ResumeStore.loadDeferringCheck(layout, store, w -> LOG.log(System.Logger.Level.INFO, w))
                    : ResumeStore.load(layout, store, settings.diskThreads(), progress,
                    w -> LOG.log(System.Logger.Level.INFO, w));
            StartTrace.mark("data checked");
        } catch (IOException | InterruptedException | RuntimeException e) {
            store.close();
            lock.close();
            throw e;
        }
        TorrentSession s = new TorrentSession(this, layout, store, lock, loaded.have(), loaded.unchecked(), loop, disk,
                bans, peerSettings, upLimit, downLimit, paused);
        if (sessions.putIfAbsent(torrent.infoHash(), s) != null) {
            store.close();
            lock.close();
            throw new IllegalStateException("torrent " + torrent.infoHash() + " is already added");
        }
        s.start(paused ? null : announcerFor(s));
        // marked before the files' thread starts, so its "files prepared" always comes after
        StartTrace.mark("session started");
        s.prepareFiles(); // after the check (new sparse files need no hashing), beside the first requests
        if (!paused) {
            startDhtLookups(s);
        }
        return s;
    }

    /** A fresh announcer for the session's trackers (one is used up by its stop), or null without trackers. */
    Announcer announcerFor(TorrentSession s) {
        List<List<String>> tiers = s.torrent().trackers();
        return tiers.isEmpty() ? null : new Announcer(tiers, trackers, s::announceStats, s::addPeers, loop);
    }

    /** Starts (or restarts) the session's DHT lookups: get_peers and announce_peer now and every 15 minutes. */
    void startDhtLookups(TorrentSession s) {
        if (dht != null && !s.isPrivate()) { // BEP 27: a private torrent's peers come from its trackers
            dhtLookups.computeIfAbsent(s, x -> new DhtLookups(dht, x, port(), loop)).start();
        }
    }

    /** Pauses the session's DHT lookups; their last result stays for the status. */
    void stopDhtLookups(TorrentSession s) {
        DhtLookups lookups = dhtLookups.get(s);
        if (lookups != null) {
            lookups.stop();
        }
    }

    /** The session's DHT lookups as they went, or null when it has none (no DHT, private, never started). */
    DhtLookupStatus dhtStatus(TorrentSession s) {
        DhtLookups lookups = dhtLookups.get(s);
        return lookups == null ? null : lookups.status();
    }

    /**
     * Changes the global limits (bytes/s, 0 for none), shared by every torrent, from now on.
     * Returns at once; the limiters change on the loop, which alone uses them.
     */
    public void setLimits(long maxUpload, long maxDownload) {
        if (maxUpload < 0 || maxDownload < 0) {
            throw new IllegalArgumentException("limits must be >= 0");
        }
        maxUp = maxUpload;
        maxDown = maxDownload;
        loop.execute(() -> {
            long now = System.nanoTime();
            upLimit.setRate(maxUpload, now);
            downLimit.setRate(maxDownload, now);
        });
    }

    /** The upload limit in bytes/s, 0 for none. */
    public long maxUpload() {
        return maxUp;
    }

    /** The download limit in bytes/s, 0 for none. */
    public long maxDownload() {
        return maxDown;
    }

    /** True when this client runs a DHT node. */
    public boolean hasDht() {
        return dht != null;
    }

    /** The DHT node, or null when none runs. */
    public DhtNode dht() {
        return dht;
    }

    /** One get_peers lookup (and announce_peer with our port when asked); no-op without a DHT. */
    void dhtLookup(InfoHash infoHash, boolean announce, java.util.function.Consumer<java.util.Collection<InetSocketAddress>> found) {
        if (dht != null) {
            dht.lookup(infoHash, announce ? port() : -1, found::accept);
        }
    }

    /**
     * Looks for a torrent's peers before it has a session (a magnet's metadata phase): its
     * trackers and the DHT, each list to {@code found} on the client's loop, until closed.
     */
    public PeerFinding findPeers(InfoHash infoHash, List<List<String>> trackerTiers,
                                 java.util.function.Consumer<java.util.Collection<InetSocketAddress>> found) {
        return new PeerFinding(this, infoHash, trackerTiers, found);
    }

    Announcer newAnnouncer(List<List<String>> tiers, java.util.function.Supplier<torfs.tracker.AnnounceRequest> stats,
                           java.util.function.Consumer<List<InetSocketAddress>> onPeers) {
        return new Announcer(tiers, trackers, stats, onPeers, loop);
    }

    EventLoop loop() {
        return loop;
    }

    /**
     * A client that serves one torrent and is closed with it: {@code session.close()} stops
     * the torrent, then the client. What a mount needs behind its {@link PieceSource}.
     */
    public static TorrentSession startSingle(ClientSettings settings, Torrent torrent, Path dataDir)
            throws IOException, InterruptedException {
        return serveSingle(start(settings), torrent, dataDir, () -> { }, PieceChecker.Progress.NONE);
    }

    /**
     * As {@link #startSingle} on a client already started (a mount's, set up with
     * {@link #checkInBackground}, or the one that fetched a magnet's metadata), calling
     * {@code listening} once the data is locked, before the (possibly long) check of the data on
     * disk; the client is closed with the session, also when adding fails.
     */
    public static TorrentSession serveSingle(Client c, Torrent torrent, Path dataDir, Runnable listening,
                                             PieceChecker.Progress progress) throws IOException, InterruptedException {
        try {
            // before the caller's ready line: a mount of data another process serves fails now,
            // not after it has been reported mounted
            DataLock lock = DataLock.acquire(DataLayout.of(torrent, dataDir));
            try {
                listening.run();
            } catch (RuntimeException e) {
                lock.close();
                throw e;
            }
            TorrentSession s = c.add(torrent, dataDir, progress,
                    c.storeOpener(), false, lock);
            s.ownClient();
            return s;
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    TorrentSession sessionFor(InfoHash hash) {
        return sessions.get(hash);
    }

    /** The metadata fetch of a magnet with that info-hash under way, or null. */
    MetadataFetch fetchFor(InfoHash hash) {
        for (MetadataFetch f : fetches) {
            if (f.infoHash().equals(hash)) {
                return f;
            }
        }
        return null;
    }

    /** Completes with the session of a torrent being added (null if its add fails), or null when none is. */
    CompletableFuture<TorrentSession> arriving(InfoHash hash) {
        return arriving.get(hash);
    }

    void removed(TorrentSession s) {
        sessions.remove(s.torrent().infoHash(), s);
        DhtLookups lookups = dhtLookups.remove(s);
        if (lookups != null) {
            lookups.stop();
        }
    }

    /** True while {@code host} is banned for sending bad data. */
    public boolean isBanned(String host) {
        return bans.isBanned(host);
    }

    /**
     * True when dialling {@code a} would reach our own listener: trackers list us among the
     * peers. (Other local addresses with our port are caught by the peer id at the handshake.)
     */
    public boolean isSelf(InetSocketAddress a) {
        java.net.InetAddress ip = a.getAddress();
        if (ip == null || a.getPort() != port()) {
            return false;
        }
        java.net.InetAddress bind = settings.bind();
        return bind != null && !bind.isAnyLocalAddress() ? bind.equals(ip)
                : ip.isLoopbackAddress() || ip.isAnyLocalAddress();
    }

    /** How many more connections the client-wide cap allows. */
    int dialRoom() {
        return settings.maxPeersTotal() - connections.get();
    }

    /** An incoming connection, over TCP or uTP: counted, then the wire codecs and the handshake. */
    private void acceptPeer(Channel ch) {
        if (connections.incrementAndGet() > settings.maxPeersTotal()) {
            ch.close();
        }
        ch.closeFuture().addListener(f -> connections.decrementAndGet());
        if (ch instanceof UtpChannel) { // the TCP server sets these as child options
            ch.config().setAllocator(PEER_BUFFERS);
            ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(256 << 10, 1 << 20));
        }
        ch.pipeline().addLast(new FlushConsolidationHandler(64, true))
                .addLast("mse", new IncomingDetector(settings.encryption(), Client.this::skeys))
                .addLast(new WireDecoder(true), WireEncoder.INSTANCE)
                .addLast(HandshakeHandler.NAME, new HandshakeHandler(Client.this, null, null));
    }

    /** Dials a peer for {@code s} over TCP, uTP, or TCP then uTP (see {@link TransportMode}); called on the loop. */
    void connect(TorrentSession s, InetSocketAddress address) {
        connect(s, address, settings.encryption());
    }

    /**
     * PREFER dials encrypted first and, when that attempt ends before its MSE handshake
     * completed, once more in plaintext (as Transmission does): some peers drop what they cannot read.
     */
    private void connect(TorrentSession s, InetSocketAddress address, Encryption mode) {
        StartTrace.mark("first dial");
        Consumer<ChannelPipeline> pipeline = p -> p
                // many small flushes (a block each) become one write per read batch
                .addLast(new FlushConsolidationHandler(64, true))
                .addLast(mseInitiator(mode, s.torrent().infoHash(), mode == Encryption.PREFER
                        ? () -> connect(s, address, Encryption.DISABLE) : null))
                .addLast(new WireDecoder(true), WireEncoder.INSTANCE)
                .addLast(HandshakeHandler.NAME, new HandshakeHandler(Client.this, s, address));
        Consumer<Throwable> failed = cause -> {
            LOG.log(System.Logger.Level.DEBUG, "connect to {0} failed: {1}", address, cause);
            s.connectFailed(address);
        };
        WriteBufferWaterMark marks = new WriteBufferWaterMark(256 << 10, 1 << 20);
        if (utp == null) {
            dialCounted(peerBootstrap(pipeline).option(ChannelOption.WRITE_BUFFER_WATER_MARK, marks), address, failed);
        } else if (!settings.transport().tcp()) {
            dialCounted(utpBootstrap(pipeline).option(ChannelOption.WRITE_BUFFER_WATER_MARK, marks), address, failed);
        } else {
            dialCounted(peerBootstrap(pipeline).option(ChannelOption.WRITE_BUFFER_WATER_MARK, marks), address,
                    tcpFailed -> dialCounted(utpBootstrap(pipeline)
                            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, marks), address, failed));
        }
    }

    /**
     * Starts the metadata phase of a magnet: fetches the info dictionary of {@code hash} from
     * the peers given to the fetch's {@link MetadataFetch#addPeers}, on this client's loop and
     * with its identity. Closed with the client if not before.
     */
    public MetadataFetch fetchMetadata(InfoHash hash) {
        MetadataFetch f = new MetadataFetch(this, loop, hash);
        fetches.add(f);
        f.result().whenComplete((r, e) -> fetches.remove(f));
        if (closing.get()) {
            f.close();
        }
        return f;
    }

    /**
     * Dials {@code address} for torrent {@code hash} with the wire codecs and {@code last} as the connection's handler;
     * {@code failed} runs when no connection was made. Counted against the client's cap.
     */
    void dial(InetSocketAddress address, InfoHash hash, io.netty.channel.ChannelHandler last, Runnable failed) {
        // encrypted only when required: this path has no plaintext retry
        Encryption mode = settings.encryption() == Encryption.REQUIRE ? Encryption.REQUIRE : Encryption.DISABLE;
        // one handler instance fits one pipeline: no TCP-then-uTP retry here, uTP only when TCP is off
        Consumer<ChannelPipeline> pipeline = p -> p.addLast(mseInitiator(mode, hash, null))
                .addLast(new WireDecoder(true), WireEncoder.INSTANCE, last);
        dialCounted(settings.transport().tcp() || utp == null ? peerBootstrap(pipeline) : utpBootstrap(pipeline),
                address, cause -> failed.run());
    }

    /** An outgoing uTP connection on our loop and UDP port; {@code pipeline} fills each channel's. */
    private Bootstrap utpBootstrap(Consumer<ChannelPipeline> pipeline) {
        return new Bootstrap().group(loop)
                .channelFactory(utp::newChannel)
                .option(ChannelOption.ALLOCATOR, PEER_BUFFERS)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        pipeline.accept(ch.pipeline());
                    }
                });
    }

    /** The MSE initiator for {@code mode}, none (an empty array) when it is DISABLE. */
    private static io.netty.channel.ChannelHandler[] mseInitiator(Encryption mode, InfoHash hash, Runnable retry) {
        return mode.allowsEncrypted() ? new io.netty.channel.ChannelHandler[] {new MseInitiator(mode, hash.bytes(), retry)}
                : new io.netty.channel.ChannelHandler[0];
    }

    /** The info-hashes an incoming encrypted connection may name (its SKEY). */
    private List<byte[]> skeys() {
        List<byte[]> out = new ArrayList<>(sessions.size() + arriving.size());
        sessions.keySet().forEach(h -> out.add(h.bytes()));
        arriving.keySet().forEach(h -> out.add(h.bytes())); // a torrent still checking its data too
        fetches.forEach(f -> out.add(f.infoHash().bytes())); // and a magnet's, fetching its metadata
        return out;
    }

    /** An outgoing connection on our loop with our peer options; {@code pipeline} fills each channel's. */
    private Bootstrap peerBootstrap(Consumer<ChannelPipeline> pipeline) {
        return new Bootstrap().group(loop)
                .channel(socketChannel)
                .option(ChannelOption.ALLOCATOR, PEER_BUFFERS)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        pipeline.accept(ch.pipeline());
                    }
                });
    }

    /**
     * Connects {@code b} to {@code address} (from our bind address, if set and of its family), counted against the
     * client's cap while the connection lasts; {@code failed} gets the cause when none was made.
     */
    private void dialCounted(Bootstrap b, InetSocketAddress address, Consumer<Throwable> failed) {
        connections.incrementAndGet();
        java.net.InetAddress from = torfs.tracker.LocalBind.forRemote(settings.bind(), address.getAddress());
        ChannelFuture f = from == null ? b.connect(address) : b.connect(address, new InetSocketAddress(from, 0));
        f.addListener((ChannelFuture cf) -> {
            if (cf.isSuccess()) {
                cf.channel().closeFuture().addListener(x -> connections.decrementAndGet());
            } else {
                connections.decrementAndGet();
                failed.accept(cf.cause());
            }
        });
    }

    /** Stops every torrent (resume state saved, trackers told) and closes the port. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return; // a shutdown hook may call again after try-with-resources did
        }
        fetches.forEach(MetadataFetch::close);
        List<TorrentSession> all = new ArrayList<>(sessions.values());
        for (TorrentSession s : all) {
            s.stop();
        }
        boolean interrupted = false;
        for (TorrentSession s : all) {
            // wait even when interrupted (a second Ctrl-C): the stop saves the resume state
            // and needs the loop we are about to shut down
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!s.stop().isDone() && System.nanoTime() < deadline) {
                try {
                    s.stop().get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.DEBUG, "stop", e);
                    break;
                }
            }
        }
        server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (utp != null) {
            utp.close(); // RESETs the connections still open
        }
        if (dht != null) {
            dht.close(); // saves the routing table for the next start
        }
        if (udp != null) {
            udp.close();
        }
        trackers.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        disk.close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
