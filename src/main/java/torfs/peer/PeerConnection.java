package torfs.peer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import torfs.geometry.Bitfield;
import torfs.geometry.BlockRef;
import torfs.geometry.PieceGeometry;
import torfs.wire.DontHaveMessage;
import torfs.wire.Handshake;
import torfs.wire.PeerMessage;
import torfs.wire.WireException;

/**
 * One peer connection after the handshake: choke and interest in both directions, the peer's
 * have-set, our outstanding requests ({@link OurRequests}, as deep as {@link RequestDepth}
 * says), the peer's queued requests ({@link UploadRequests}), rates and timeouts. It is the
 * channel's last handler and lives on the torrent's event loop; the torrent decides what to
 * request and what to serve through {@link PeerListener}.
 *
 * <p>Hostile input is handled as libtorrent does: a bitfield of the wrong length or with spare
 * bits, a have out of range, a fast message from a peer without the fast bit or an extended
 * message from one without the extension bit disconnect; a block we did not ask for is dropped
 * and counted as waste; a bad request is rejected (fast peers) or disconnects (others).
 */
public final class PeerConnection extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(PeerConnection.class.getName());
    /** What a peer that announced no reqq is assumed to queue (libtorrent's old default). */
    public static final int ASSUMED_REQQ = 250;
    /** Rate assumed for expectations while nothing better is known (bytes/s). */
    public static final double DEFAULT_PRIOR_RATE = 1_000_000;

    private final int id;
    private final Channel channel;
    private final Handshake theirs;
    private final PieceGeometry geometry;
    private final PeerListener listener;
    private final PeerSettings settings;
    private final LongSupplier clock;

    private boolean amChoking = true;
    private boolean amInterested;
    private boolean peerChoking = true;
    private boolean peerInterested;
    private boolean snubbed;
    private boolean started;
    private boolean closed;
    private Bitfield have;

    /** When a request went out and when the peer's model then expected its answer. */
    public record Pending(long sentAt, long expectedAt) {
    }

    private final UploadRequests uploads;
    /** Pieces the peer lets us request while it chokes us (its ALLOWED_FAST messages). */
    private final Set<Integer> allowedFast = new HashSet<>();

    private final PeerExtensions extensions;
    private final DeliveryModel delivery = new DeliveryModel();
    private final OurRequests requests;
    private final RequestDepth depth;
    private final RateMeter down = new RateMeter();
    private final RateMeter up = new RateMeter();
    private long wasted;
    private long lastReceived;
    private long lastSent;

    public PeerConnection(int id, Channel channel, Handshake theirs, PieceGeometry geometry,
                          PeerListener listener, PeerSettings settings, LongSupplier clock) {
        this.id = id;
        this.channel = channel;
        this.theirs = theirs;
        this.geometry = geometry;
        this.listener = listener;
        this.settings = settings;
        this.clock = clock;
        this.extensions = new PeerExtensions(this, theirs, listener, settings);
        this.depth = new RequestDepth(delivery, settings, extensions::peerRequestQueue);
        this.have = new Bitfield(geometry.pieceCount());
        long now = clock.getAsLong();
        this.lastReceived = now;
        this.requests = new OurRequests(delivery, now);
        this.uploads = new UploadRequests(geometry, settings.maxIncomingRequests());
        this.lastSent = now;
        down.start(now);
        up.start(now);
    }

    // ---- identity and state, read by the torrent ----

    public int id() {
        return id;
    }

    public Channel channel() {
        return channel;
    }

    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    /** The peer's IP address, the unit of bans. */
    public String host() {
        SocketAddress a = channel.remoteAddress();
        return a instanceof InetSocketAddress i ? i.getAddress().getHostAddress() : String.valueOf(a);
    }

    public Handshake handshake() {
        return theirs;
    }

    public boolean fast() {
        return theirs.supportsFast();
    }

    public boolean amChoking() {
        return amChoking;
    }

    public boolean amInterested() {
        return amInterested;
    }

    public boolean peerChoking() {
        return peerChoking;
    }

    public boolean peerInterested() {
        return peerInterested;
    }

    public boolean snubbed() {
        return snubbed;
    }

    public boolean isOpen() {
        return !closed && channel.isActive();
    }

    /** The peer's pieces; a live view, do not modify. */
    public Bitfield have() {
        return have;
    }

    public String peerClient() {
        return extensions.peerClient();
    }

    public Map<String, Integer> peerExtensions() {
        return extensions.peerExtensions();
    }

    /** The TCP port the peer says it listens on (its extension handshake's {@code p}), 0 if unknown. */
    public int peerListenPort() {
        return extensions.peerListenPort();
    }

    public int outstandingCount() {
        return requests.size();
    }

    public List<BlockRef> outstanding() {
        return requests.list();
    }

    /** Our outstanding requests in send order: a live read-only view, for the loop's thread. */
    public java.util.Collection<BlockRef> outstandingView() {
        return requests.view();
    }

    /** True once the peer answered a request: its rate is measured, not assumed. */
    public boolean isMeasured() {
        return delivery.isMeasured();
    }

    /** The rate to expect from the peer now (bytes/s), {@code prior} if never measured. */
    public double expectedRate(long now, double prior) {
        return delivery.rate(now, prior);
    }

    /** The measured rate of answers (bytes/s), 0 before the first. */
    public double measuredRate() {
        return delivery.measuredRate();
    }

    /** Bytes of our requests the peer still owes. */
    public long owedBytes() {
        return delivery.owed();
    }

    /** When a request sent now behind {@code ahead} bytes of ours would arrive (nanos). */
    public long arrivalOfNew(long ahead, int length, long now, double prior) {
        return delivery.arrivalOfNew(ahead, length, now, prior);
    }

    /**
     * When each outstanding request is expected (nanos), from the model and the bytes queued
     * before it; {@link Long#MAX_VALUE} for all of them while the peer chokes us.
     */
    public Map<BlockRef, Long> expectedArrivals(long now, double prior) {
        return requests.expectedArrivals(now, prior, peerChoking || !isOpen());
    }

    /** The outstanding request for {@code block}, or null. */
    public Pending pending(BlockRef block) {
        return requests.pending(block);
    }

    public int incomingCount() {
        return uploads.size();
    }

    public long downloadRate() {
        return down.bytesPerSecond();
    }

    public long uploadRate() {
        return up.bytesPerSecond();
    }

    public long downloaded() {
        return down.total();
    }

    public long uploaded() {
        return up.total();
    }

    public long wasted() {
        return wasted;
    }

    /**
     * The most requests we keep outstanding: our cap, or less if the peer accepts less (its
     * reqq, or {@link #ASSUMED_REQQ} when it announced none).
     */
    public int maxDepth() {
        return depth.max();
    }

    /**
     * How many requests we want outstanding: the peer's measured rate over its delay plus our
     * queue time ({@link PeerSettings#queueNanos}), plus 2; growing by one per block while the
     * rate is still unknown or growing and our requests do not queue at the peer yet; at least
     * 4, at most {@link #maxDepth}; a snubbed peer gets one.
     */
    public int targetDepth() {
        return depth.target(snubbed);
    }

    /**
     * Free request slots, 0 when we may not request now. While a fast peer chokes us there are
     * slots only if it allowed us pieces: the caller then picks among {@link #allowedFastFromPeer}.
     */
    public int requestSlots() {
        if (!isOpen() || !amInterested || (peerChoking && allowedFast.isEmpty())) {
            return 0;
        }
        return Math.max(0, targetDepth() - requests.size());
    }

    /**
     * The most requests we may have outstanding for blocks a read is waiting for: the target
     * depth plus {@code extra} (a piece), within what the peer accepts (its reqq, or
     * {@link #ASSUMED_REQQ} when it announced none); 0 when we may not request now (choked,
     * not interested, closed) or the peer is snubbed (urgent blocks go elsewhere).
     */
    public int urgentCapacity(int extra) {
        if (!isOpen() || !amInterested || peerChoking || snubbed) {
            return 0;
        }
        return (int) Math.max(0, Math.min(depth.accepted(), (long) targetDepth() + extra));
    }

    // ---- commands from the torrent ----

    /** Sends our opening: the have-set, then the extension handshake if the peer speaks BEP 10. */
    public void start() {
        if (started) {
            return;
        }
        started = true;
        Bitfield ours = listener.ourPieces();
        if (fast() && ours.isComplete()) {
            send(PeerMessage.HaveAll.INSTANCE);
        } else if (fast() && ours.isEmpty()) {
            send(PeerMessage.HaveNone.INSTANCE);
        } else if (!ours.isEmpty()) {
            send(new PeerMessage.BitfieldMsg(ours.toWire()));
        }
        PeerMessage.Extended extensionHandshake = extensions.ourHandshake();
        if (extensionHandshake != null) {
            send(extensionHandshake);
        }
        channel.flush();
    }

    public void setInterested(boolean interested) {
        if (interested != amInterested && isOpen()) {
            amInterested = interested;
            torfs.log.StartTrace.mark("first interested sent");
            send(interested ? PeerMessage.Interested.INSTANCE : PeerMessage.NotInterested.INSTANCE);
            channel.flush();
        }
    }

    public void choke() {
        if (amChoking || !isOpen()) {
            return;
        }
        amChoking = true;
        send(PeerMessage.Choke.INSTANCE);
        // a fast peer learns its queued requests are gone; others know it from the choke.
        // Requests for allowed-fast pieces stay queued: they are served while choked too.
        for (BlockRef r : uploads.choked()) {
            if (fast()) {
                send(new PeerMessage.Reject(r.piece(), r.begin(), r.length()));
            }
        }
        channel.flush();
    }

    public void unchoke() {
        if (!amChoking || !isOpen()) {
            return;
        }
        amChoking = false;
        send(PeerMessage.Unchoke.INSTANCE);
        channel.flush();
    }

    /** Sends requests for {@code blocks} (flushes once). */
    public void request(List<BlockRef> blocks) {
        request(blocks, delivery.isMeasured() ? delivery.measuredRate() : DEFAULT_PRIOR_RATE);
    }

    /**
     * Sends requests for {@code blocks} (flushes once), noting when each is expected: after
     * what is queued ahead of it, at the peer's measured rate ({@code prior} before it has one).
     */
    public void request(List<BlockRef> blocks, double prior) {
        if (!isOpen() || blocks.isEmpty()) {
            return;
        }
        long now = clock.getAsLong();
        requests.sending(now);
        for (BlockRef b : blocks) {
            if (requests.add(b, now, prior)) {
                torfs.log.StartTrace.mark("first request sent");
                send(new PeerMessage.Request(b.piece(), b.begin(), b.length()));
            }
        }
        channel.flush();
    }

    /** Withdraws a request (end game: another peer delivered it); see {@link #cancel(List)}. */
    public void cancel(BlockRef b) {
        cancel(List.of(b));
    }

    /**
     * Withdraws requests (one flush) and returns those the caller may give back to the picker
     * now. The peer may have sent a block before it read our cancel, or ignore cancels: such a
     * block is still taken, as a late answer, not as unrequested data. A fast peer owes an
     * answer to each cancel (BEP 6: the block or a reject); its blocks are left out, still on
     * their way, and handed back through {@link PeerListener#requestsDropped} when it rejects
     * them (or after {@link OurRequests#CANCEL_ANSWER_NANOS} without an answer): asking for one
     * again meanwhile, of it or another peer, would likely fetch it twice.
     */
    public List<BlockRef> cancel(List<BlockRef> blocks) {
        boolean any = false;
        long now = clock.getAsLong();
        List<BlockRef> released = new ArrayList<>(blocks.size());
        for (BlockRef b : blocks) {
            if (requests.cancel(b, now, isOpen(), fast())) {
                send(new PeerMessage.Cancel(b.piece(), b.begin(), b.length()));
                any = true;
            }
            if (!requests.owesAnswer(b)) {
                released.add(b);
            }
        }
        if (any) {
            channel.flush();
        }
        return released;
    }

    /**
     * Sends extended message {@code extension} (BEP 10) with the id the peer asked for;
     * false when the peer does not speak it (or did not say yet).
     */
    public boolean sendExtended(String extension, byte[] payload) {
        PeerMessage.Extended m = isOpen() ? extensions.extended(extension, payload) : null;
        if (m == null) {
            return false;
        }
        send(m);
        channel.flush();
        return true;
    }

    /** Tells a peer that set the DHT bit where our DHT node listens (BEP 5 PORT message). */
    public void sendDhtPort(int udpPort) {
        PeerMessage.Port m = isOpen() ? extensions.dhtPort(udpPort) : null;
        if (m != null) {
            send(m);
            channel.flush();
        }
    }

    public void sendHave(int piece) {
        if (isOpen()) {
            send(new PeerMessage.Have(piece));
        }
    }

    /**
     * Tells a peer that speaks BEP 54 we no longer have {@code piece} (a capped cache evicted it)
     * and drops its queued requests for it, rejected for a fast peer; a peer without lt_donthave
     * learns it when it asks ({@link #refuseUpload}).
     */
    public void sendDontHave(int piece) {
        PeerMessage.Extended m = isOpen() ? extensions.extended(DontHaveMessage.NAME, DontHaveMessage.encode(piece)) : null;
        if (m != null) {
            send(m);
        }
        if (fast()) {
            for (BlockRef r : uploads.dropPiece(piece)) {
                send(new PeerMessage.Reject(r.piece(), r.begin(), r.length()));
            }
        }
    }

    /**
     * A queued request we cannot serve after all (its piece was evicted): a REJECT to a fast
     * peer, a choke to others (BEP 3: a choke drops every request; the choker unchokes it
     * again later). Never a disconnect: the peer did nothing wrong.
     */
    public void refuseUpload(BlockRef r) {
        if (!isOpen()) {
            return;
        }
        if (fast()) {
            reject(r);
        } else {
            choke();
        }
    }

    /** Pieces in the torrent (for checking piece indexes of extension messages). */
    int pieceCount() {
        return geometry.pieceCount();
    }

    /** Next queued request of the peer, or null. The caller serves it with {@link #sendBlock}. */
    public BlockRef pollUpload() {
        // while we choke the peer only allowed-fast requests are queued (choke() and
        // onRequest() keep it so), so the head may always be served
        return uploads.poll();
    }

    /** Queues a block read from verified data (call {@link #flush}); takes ownership of {@code data}. */
    public void sendBlock(BlockRef ref, ByteBuf data) {
        if (!isOpen()) {
            data.release();
            return;
        }
        up.add(ref.length());
        send(new PeerMessage.Piece(ref.piece(), ref.begin(), data));
    }

    public void flush() {
        channel.flush();
    }

    public void close(String why) {
        if (!closed) {
            LOG.log(System.Logger.Level.DEBUG, "closing peer {0}: {1}", remoteAddress(), why);
        }
        channel.close();
    }

    /**
     * Once a second: rates, pipeline growth, request timeouts, snubbing, keep-alive and idle
     * drop.
     */
    public void tick() {
        if (!isOpen()) {
            return;
        }
        long now = clock.getAsLong();
        down.tick(now);
        up.tick(now);
        depth.rateMeasured(down.bytesPerSecond());
        if (now - lastReceived > settings.idleNanos()) {
            close("idle");
            return;
        }
        List<BlockRef> dropped = new ArrayList<>();
        if (requests.expire(now, settings, clock, dropped)) {
            snubbed = true;
        }
        if (!dropped.isEmpty()) {
            listener.requestsDropped(this, dropped);
        }
        if (now - lastSent > settings.keepAliveNanos()) {
            send(PeerMessage.KeepAlive.INSTANCE);
            channel.flush();
        }
    }

    // ---- the wire ----

    private void send(PeerMessage m) {
        if (m.isFast() && !fast()) {
            throw new IllegalStateException("fast message " + m + " to a peer without the fast bit");
        }
        lastSent = clock.getAsLong();
        channel.write(m, channel.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof PeerMessage m) || closed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        lastReceived = clock.getAsLong();
        try {
            handle(m);
        } catch (WireException e) {
            ReferenceCountUtil.release(msg);
            close(e.getMessage());
        }
    }

    private void handle(PeerMessage m) {
        if (m instanceof PeerMessage.Piece p) {
            torfs.log.StartTrace.mark("first block received");
            onPiece(p);
        } else if (m instanceof PeerMessage.Have h) {
            if (h.piece() < 0 || h.piece() >= have.size()) {
                throw new WireException("have " + h.piece() + " out of range");
            }
            if (!have.get(h.piece())) {
                have.set(h.piece());
                listener.peerHave(this, h.piece());
            }
        } else if (m instanceof PeerMessage.Request r) {
            onRequest(r);
        } else if (m instanceof PeerMessage.Choke) {
            onChoke();
        } else if (m instanceof PeerMessage.Unchoke) {
            torfs.log.StartTrace.mark("first unchoke");
            peerChoking = false;
            listener.canRequest(this);
        } else if (m instanceof PeerMessage.Interested) {
            if (!peerInterested) {
                peerInterested = true;
                listener.peerInterestChanged(this);
            }
        } else if (m instanceof PeerMessage.NotInterested) {
            if (peerInterested) {
                peerInterested = false;
                listener.peerInterestChanged(this);
            }
        } else if (m instanceof PeerMessage.BitfieldMsg b) {
            try {
                replaceHaveSet(Bitfield.fromWire(b.bits(), geometry.pieceCount()));
            } catch (IllegalArgumentException e) {
                throw new WireException(e.getMessage());
            }
        } else if (m instanceof PeerMessage.Cancel c) {
            BlockRef ref = new BlockRef(c.piece(), c.begin(), c.length());
            if (uploads.remove(ref) && fast()) {
                send(new PeerMessage.Reject(c.piece(), c.begin(), c.length()));
                channel.flush();
            }
        } else if (m instanceof PeerMessage.Extended e) {
            PeerMessage answer = extensions.onExtended(e, lastReceived, channel.isWritable());
            if (answer != null) {
                send(answer);
                channel.flush();
            }
        } else if (m instanceof PeerMessage.Port port) {
            extensions.onPort(port, channel.remoteAddress());
        } else if (m.isFast()) {
            if (!fast()) {
                throw new WireException("fast extension message without the fast bit: " + m);
            }
            onFast(m);
        } else if (m instanceof PeerMessage.Unknown u && (u.id() < 21 || u.id() > 23)) {
            // as libtorrent: an id nobody defined is a broken peer; 21-23 are BEP 52 hash
            // messages, meaningless for a v1 torrent, skipped
            throw new WireException("unknown message id " + u.id());
        }
        // keep-alive needs nothing
    }

    private void onFast(PeerMessage m) {
        if (m instanceof PeerMessage.HaveAll) {
            replaceHaveSet(Bitfield.full(geometry.pieceCount()));
        } else if (m instanceof PeerMessage.HaveNone) {
            replaceHaveSet(new Bitfield(geometry.pieceCount()));
        } else if (m instanceof PeerMessage.Reject r) {
            BlockRef ref = new BlockRef(r.piece(), r.begin(), r.length());
            if (requests.rejected(ref, clock.getAsLong())) {
                listener.requestsDropped(this, List.of(ref));
                listener.canRequest(this);
            }
        } else if (m instanceof PeerMessage.AllowedFast a) {
            if (a.piece() >= 0 && a.piece() < geometry.pieceCount() && allowedFast.size() < 64
                    && allowedFast.add(a.piece()) && peerChoking) {
                listener.canRequest(this); // something to ask for while choked
            }
        }
        // SUGGEST_PIECE is ignored on purpose: our order (deadlines of readers, then rarest
        // first) matters more than the peer's cache, and a suggestion costs nothing to ignore
    }

    /**
     * BEP 54 DONT_HAVE: the peer dropped {@code piece} (its capped cache evicted it). It leaves
     * the peer's have-set, and our requests of it are cancelled and handed back to be picked
     * elsewhere, rather than waiting for rejects or timeouts. News of a piece it never
     * announced changes nothing.
     */
    void peerDropped(int piece) {
        if (!have.get(piece)) {
            return;
        }
        have.clear(piece);
        List<BlockRef> mine = requests.ofPiece(piece);
        cancel(mine); // given back at once: it no longer has them (a later reject repeats it, harmlessly)
        listener.peerDontHave(this, piece);
        if (!mine.isEmpty()) {
            listener.requestsDropped(this, mine);
            listener.canRequest(this);
        }
    }

    /** A late bitfield (aria2 sends one) replaces the whole set rather than disconnecting. */
    private void replaceHaveSet(Bitfield b) {
        torfs.log.StartTrace.mark("first peer's pieces known");
        have = b;
        grantAllowedFast();
        listener.peerHaveSet(this, b.copy());
    }

    /** BEP 6, once: ALLOWED_FAST for the pieces of our grant ({@link UploadRequests#grantOnce}). */
    private void grantAllowedFast() {
        List<Integer> announce = uploads.grantOnce(fast(), have, channel.remoteAddress(), theirs.infoHash(),
                listener::hasPiece);
        for (int piece : announce) {
            send(new PeerMessage.AllowedFast(piece));
        }
        if (!announce.isEmpty()) {
            channel.flush();
        }
    }

    private void onChoke() {
        if (peerChoking) {
            return;
        }
        peerChoking = true;
        if (!fast()) {
            // BEP 3: a choke silently discards every request we sent; a fast peer rejects them
            List<BlockRef> dropped = new ArrayList<>();
            requests.dropAll(clock.getAsLong(), dropped);
            if (!dropped.isEmpty()) {
                listener.requestsDropped(this, dropped);
            }
        }
        listener.peerChoked(this);
    }

    private void onPiece(PeerMessage.Piece p) {
        ByteBuf data = p.data();
        BlockRef ref = new BlockRef(p.piece(), p.begin(), data.readableBytes());
        // lastReceived: read from the clock for this very message in channelRead
        if (!requests.answered(ref, lastReceived)) {
            wasted += ref.length();
            data.release();
            return;
        }
        down.add(ref.length());
        snubbed = false;
        depth.blockArrived();
        listener.blockReceived(this, ref, data);
        // ask for more in batches: one flush (one syscall) per batch of requests, not per block
        if (requestSlots() >= Math.max(1, Math.min(16, targetDepth() / 8)) || requests.isEmpty()) {
            listener.canRequest(this);
        }
    }

    private void onRequest(PeerMessage.Request r) {
        BlockRef ref = new BlockRef(r.piece(), r.begin(), r.length());
        switch (uploads.offer(ref, amChoking, listener::hasPiece)) {
            case QUEUED -> listener.uploadRequested(this);
            case NOT_HAD -> refuseUpload(ref); // a piece we announced may have been evicted since
            case BAD -> {
                if (!fast()) {
                    throw new WireException("bad request " + r);
                }
                reject(ref);
            }
            case DECLINED -> {
                if (fast()) {
                    reject(ref); // BEP 6: a choked fast peer's request is rejected, not ignored
                }
            }
            case DUPLICATE -> {
            }
        }
    }

    private void reject(BlockRef ref) {
        send(new PeerMessage.Reject(ref.piece(), ref.begin(), ref.length()));
        channel.flush();
    }

    /** Our allowed-fast set for the peer (empty when none was granted). */
    public Set<Integer> allowedFastForPeer() {
        return uploads.granted();
    }

    /** Pieces the peer lets us request while it chokes us; a live read-only view. */
    public Set<Integer> allowedFastFromPeer() {
        return Collections.unmodifiableSet(allowedFast);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (closed) {
            return;
        }
        closed = true;
        List<BlockRef> left = requests.clear();
        uploads.clear();
        listener.peerClosed(this, left);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && !uploads.isEmpty()) {
            listener.uploadRequested(this); // the send buffer drained: serve more
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        close(String.valueOf(cause.getMessage()));
    }

    @Override
    public String toString() {
        return "peer#" + id + "@" + remoteAddress();
    }
}
