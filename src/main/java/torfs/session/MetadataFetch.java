package torfs.session;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import torfs.metainfo.InfoHash;
import torfs.metainfo.MetainfoException;
import torfs.metainfo.MetainfoParser;
import torfs.wire.MetadataMessage;

/**
 * The metadata phase of a magnet (BEP 9): fetches a torrent's info dictionary from peers with
 * ut_metadata, verifies it against the info-hash and checks it parses as a .torrent would.
 * Addresses come from the caller as they are found ({@code x.pe}, trackers, the DHT, PEX); the
 * fetch dials up to {@value #MAX_CONNECTIONS} at a time with the client's identity and spreads
 * up to {@value #MAX_OUTSTANDING} block requests over the peers that offer metadata, asking
 * another peer for a block one rejected or left unanswered for 5 s.
 *
 * <p>The first peer to advertise a metadata_size fixes it; a peer advertising another size is
 * closed. When the assembled dictionary's SHA-1 is not the info-hash, all its blocks are
 * dropped and the fetch starts over (with a new size, from the next peer, if none of the size's
 * peers is left). A dictionary from one peer convicts it: it is closed and never dialled again.
 * One from several peers convicts nobody, and from then on each attempt takes every block from
 * a single peer, so the next failure names the liar and the honest peers are kept. Nothing is
 * completed before the hash matched. Memory: the blocks received (at most 32 MiB) and a bounded
 * address list. There is no overall timeout: the caller gives up with {@link #close()}.
 *
 * <p>While a torrent is in its metadata phase, incoming connections for it are refused (the
 * client routes them by info-hash, and no session has this one yet).
 *
 * <p>State lives on the client's event loop; the public methods may be called from any thread.
 */
public final class MetadataFetch implements AutoCloseable {
    static final int MAX_CONNECTIONS = 8;
    static final int MAX_OUTSTANDING = 16;
    private static final int PER_PEER = 4;
    private static final int MAX_ADDRESSES = 2000;
    private static final int MAX_STALLS = 3;
    static final long REQUEST_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Client client;
    private final EventLoop loop;
    private final InfoHash infoHash;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final Set<InetSocketAddress> known = new LinkedHashSet<>();
    private final ArrayDeque<InetSocketAddress> untried = new ArrayDeque<>();
    /** Addresses that sent a block of a dictionary that failed verification. */
    private final Set<InetSocketAddress> bad = new HashSet<>();
    private final Map<Integer, MetadataPeer> peers = new LinkedHashMap<>();
    private final Set<InetSocketAddress> offering = new CopyOnWriteArraySet<>();
    private final ScheduledFuture<?> tick;
    private int peerNumbers;
    private MetadataBlocks blocks;
    /** After a failed dictionary from several peers: each attempt asks one peer only. */
    private boolean oneSource;
    private int source;
    private long lastRetry = System.nanoTime();
    private boolean done;

    MetadataFetch(Client client, EventLoop loop, InfoHash infoHash) {
        this.client = client;
        this.loop = loop;
        this.infoHash = infoHash;
        this.tick = loop.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        result.whenComplete((r, e) -> loop.execute(this::finish));
    }

    public InfoHash infoHash() {
        return infoHash;
    }

    /**
     * The verified info dictionary, exactly as hashed; {@code MagnetLink.torrentFile} makes the
     * .torrent of it. Fails with a {@link MetainfoException} when the verified dictionary is
     * not a torrent we can use; cancelled by {@link #close()}.
     */
    public CompletableFuture<byte[]> result() {
        return result;
    }

    /**
     * Candidate peers; repeats, our own address and unresolved names (resolve them off the loop
     * first: Netty would look them up on it) are skipped, and at most 2,000 are kept.
     */
    public void addPeers(Collection<InetSocketAddress> addresses) {
        List<InetSocketAddress> copy = List.copyOf(addresses);
        loop.execute(() -> {
            for (InetSocketAddress a : copy) {
                if (known.size() < MAX_ADDRESSES && !a.isUnresolved() && !client.isSelf(a) && known.add(a)) {
                    untried.add(a);
                }
            }
            dialMore();
        });
    }

    /**
     * Peers that offered this torrent's metadata at the agreed size (and did not send bad
     * blocks): the first ones to hand to the torrent's session once it starts.
     */
    public List<InetSocketAddress> peersWithMetadata() {
        return List.copyOf(offering);
    }

    /** Stops fetching: the result is cancelled (if not complete) and every connection closed. */
    @Override
    public void close() {
        result.cancel(false);
    }

    // ---- on the loop ----

    private void finish() {
        done = true;
        tick.cancel(false);
        for (MetadataPeer p : List.copyOf(peers.values())) {
            p.close();
        }
    }

    private void tick() {
        if (done) {
            return;
        }
        long now = System.nanoTime();
        if (blocks != null) {
            for (int number : blocks.expire(now)) {
                MetadataPeer p = peers.get(number);
                if (p != null && ++p.stalls >= MAX_STALLS) {
                    p.close();
                }
            }
        }
        if (peers.isEmpty() && untried.isEmpty() && now - lastRetry > RETRY_NANOS) {
            lastRetry = now; // everyone failed or left: try them again now and then
            known.stream().filter(a -> !bad.contains(a)).forEach(untried::add);
        }
        dialMore();
        fill();
    }

    private void dialMore() {
        while (!done && peers.size() < MAX_CONNECTIONS && !untried.isEmpty() && client.dialRoom() > 0) {
            InetSocketAddress a = untried.poll();
            if (bad.contains(a)) {
                continue;
            }
            MetadataPeer p = new MetadataPeer(this, ++peerNumbers, a, infoHash, client.peerId(),
                    client.settings().clientName());
            peers.put(p.number, p);
            client.dial(a, infoHash, p, () -> loop.execute(() -> {
                peers.remove(p.number);
                dialMore();
            }));
        }
    }

    void peerReady(MetadataPeer p) {
        if (done) {
            p.close();
            return;
        }
        if (!p.ready()) {
            p.close(); // no ut_metadata, or no (sane) metadata_size: it cannot help
            return;
        }
        if (blocks == null) {
            blocks = new MetadataBlocks(p.metadataSize);
        } else if (blocks.size() != p.metadataSize) {
            p.close(); // disagrees with the size we are fetching
            return;
        }
        InetSocketAddress dialable = p.dialable();
        if (dialable != null) {
            offering.add(dialable);
        }
        fill();
    }

    /**
     * On the loop: a peer that dialled us for this torrent and sent its handshake (read by the
     * handler named {@code replacing}, which this one replaces). A magnet's seeders find us
     * through the tracker we announced to: a tracker's next answer may be half an hour away
     * (opentracker's interval), so a seeder that came after our announce can only reach us.
     */
    void acceptIncoming(io.netty.channel.Channel ch, torfs.wire.Handshake theirs, String replacing) {
        if (done || peers.size() >= MAX_CONNECTIONS || !(ch.remoteAddress() instanceof InetSocketAddress from)) {
            ch.close();
            return;
        }
        MetadataPeer p = new MetadataPeer(this, ++peerNumbers, from, infoHash, client.peerId(),
                client.settings().clientName(), theirs);
        peers.put(p.number, p);
        ch.pipeline().replace(replacing, "metadata", p);
        p.startIncoming();
    }

    void onMessage(MetadataPeer p, MetadataMessage m) {
        if (done || blocks == null || !p.ready() || p.metadataSize != blocks.size()) {
            return;
        }
        if (m.type() == MetadataMessage.REJECT) {
            blocks.rejected(p.number, m.piece());
        } else if (m.type() == MetadataMessage.DATA) {
            if (m.totalSize() != blocks.size()) {
                drop(p);
                return;
            }
            MetadataBlocks.Outcome o = blocks.accept(p.number, m.piece(), m.data());
            if (o == MetadataBlocks.Outcome.BAD) {
                drop(p);
                return;
            }
            if (blocks.isComplete()) {
                verify();
                return;
            }
        }
        fill();
    }

    void peerClosed(MetadataPeer p) {
        if (peers.remove(p.number) == null) {
            return;
        }
        if (blocks != null) {
            blocks.peerGone(p.number);
        }
        if (!done) {
            dialMore();
            fill();
        }
    }

    /** A peer that sent nonsense: its blocks stay (the hash judges them), it goes. */
    private void drop(MetadataPeer p) {
        InetSocketAddress dialable = p.dialable();
        if (dialable != null) {
            offering.remove(dialable);
        }
        p.close();
    }

    private void fill() {
        if (done || blocks == null) {
            return;
        }
        int total = 0;
        for (MetadataPeer p : peers.values()) {
            total += blocks.outstanding(p.number);
        }
        long until = System.nanoTime() + REQUEST_TIMEOUT_NANOS;
        for (MetadataPeer p : List.copyOf(peers.values())) {
            if (!p.ready() || p.metadataSize != blocks.size()) {
                continue;
            }
            if (oneSource && !isSource(p)) {
                continue;
            }
            while (total < MAX_OUTSTANDING && blocks.outstanding(p.number) < PER_PEER) {
                int piece = blocks.next(p.number, until);
                if (piece < 0) {
                    break;
                }
                p.request(piece);
                total++;
            }
            if (blocks.outstanding(p.number) == 0 && !blocks.canHelp(p.number)) {
                p.close(); // it refused every block still missing
            }
        }
    }

    /** In one-source mode: whether {@code p} is the peer this attempt takes every block from. */
    private boolean isSource(MetadataPeer p) {
        MetadataPeer current = peers.get(source);
        if (current == null || !current.ready()) {
            source = p.number; // the first ready peer in dial order takes over
        }
        return source == p.number;
    }

    private void verify() {
        byte[] info = blocks.assemble();
        if (!InfoHash.sha1Of(info, 0, info.length).equals(infoHash)) {
            Set<Integer> contributors = blocks.contributors();
            // one peer sent it all: that peer lied; several: find out, one peer at a time
            Set<Integer> liars = contributors.size() == 1 ? contributors : Set.of();
            oneSource |= contributors.size() > 1;
            source = 0;
            Set<Integer> keep = new HashSet<>();
            for (MetadataPeer p : List.copyOf(peers.values())) {
                if (liars.contains(p.number)) {
                    bad.add(p.address);
                    drop(p);
                } else if (p.ready() && p.metadataSize == blocks.size()) {
                    keep.add(p.number);
                }
            }
            // a dictionary we could not trust: start over, at the size of who is left
            blocks = keep.isEmpty() ? null : blocks.restart(keep);
            dialMore();
            fill();
            return;
        }
        try {
            MetainfoParser.parse(torrentOf(info)); // the limits and checks of a .torrent
        } catch (MetainfoException e) {
            result.completeExceptionally(e);
            return;
        }
        result.complete(info);
    }

    private static byte[] torrentOf(byte[] info) {
        byte[] t = new byte[info.length + 8];
        System.arraycopy("d4:info".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, t, 0, 7);
        System.arraycopy(info, 0, t, 7, info.length);
        t[t.length - 1] = 'e';
        return t;
    }
}
