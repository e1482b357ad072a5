package torfs.session;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import torfs.peer.PeerConnection;
import torfs.wire.PexMessage;

/**
 * What each peer has been told by ut_pex (BEP 11): the addresses it believes we are connected
 * to, and when its next message is due. Each message carries the difference between those and
 * the peers connected now: at most {@link #FIRST_MAX_ADDED} added in the first message,
 * {@link #MAX_ADDED} added and {@link #MAX_DROPPED} dropped in each later one (the rest follow
 * in the next). Confined to the torrent's loop; {@link #due} is pure bookkeeping, {@link #sendDue}
 * puts it on the wire.
 *
 * <p>Memory per peer is bounded: a peer is never told about more than {@link #MAX_TOLD}
 * addresses at once, and a peer's state goes when its connection does ({@link #forget}).
 */
final class PeerExchange {
    /**
     * BEP 11 lets a first message list more than 50; libtorrent refuses messages past a cap
     * of its own (pex_message_too_large), so we stay at 100.
     */
    static final int FIRST_MAX_ADDED = 100;
    /** BEP 11: a message to each peer a minute, the first soon after it says it speaks ut_pex. */
    static final long INTERVAL_NANOS = 60_000_000_000L;
    static final long FIRST_DELAY_NANOS = 2_000_000_000L;
    static final int MAX_ADDED = 50;
    static final int MAX_DROPPED = 50;
    static final int MAX_TOLD = 500;

    private final long intervalNanos;
    private final long firstDelayNanos;
    private final Map<Integer, Told> peers = new HashMap<>();

    private static final class Told {
        final Set<InetSocketAddress> addresses = new LinkedHashSet<>();
        long dueAt;
        boolean sentAny;
    }

    /**
     * @param intervalNanos   between two messages to one peer (60 s; tests shorten it)
     * @param firstDelayNanos from when a peer is first seen speaking ut_pex to its first message
     */
    PeerExchange(long intervalNanos, long firstDelayNanos) {
        this.intervalNanos = intervalNanos;
        this.firstDelayNanos = firstDelayNanos;
    }

    /**
     * The message due to peer {@code id} at {@code now}, or null when none is due or there is
     * nothing new to say. {@code connected} maps the listening address of each peer we are
     * connected to (the recipient's own included: it is left out here) to its flags.
     */
    PexMessage due(int id, InetSocketAddress recipient, Map<InetSocketAddress, Integer> connected, long now) {
        Told t = peers.get(id);
        if (t == null) {
            t = new Told();
            t.dueAt = now + firstDelayNanos;
            peers.put(id, t);
        }
        if (now - t.dueAt < 0) {
            return null;
        }
        List<PexMessage.Peer> added = new ArrayList<>();
        int maxAdded = t.sentAny ? MAX_ADDED : FIRST_MAX_ADDED;
        for (Map.Entry<InetSocketAddress, Integer> e : connected.entrySet()) {
            if (added.size() >= maxAdded || t.addresses.size() >= MAX_TOLD) {
                break;
            }
            InetSocketAddress a = e.getKey();
            if (!a.equals(recipient) && PexMessage.sendable(a) && t.addresses.add(a)) {
                added.add(new PexMessage.Peer(a, e.getValue()));
            }
        }
        List<InetSocketAddress> dropped = new ArrayList<>();
        for (Iterator<InetSocketAddress> it = t.addresses.iterator(); it.hasNext() && dropped.size() < MAX_DROPPED; ) {
            InetSocketAddress a = it.next();
            if (!connected.containsKey(a)) {
                it.remove();
                dropped.add(a);
            }
        }
        if (added.isEmpty() && dropped.isEmpty()) {
            return null; // asked again next tick: a first message still may carry the full list
        }
        t.sentAny = true;
        t.dueAt = now + intervalNanos;
        return new PexMessage(added, dropped);
    }

    /** Sends each peer that speaks ut_pex the message due to it, if any. */
    void sendDue(Collection<PeerConnection> peers, Map<Integer, InetSocketAddress> dialled, long now) {
        Map<InetSocketAddress, Integer> connected = null;
        for (PeerConnection p : peers) {
            if (!p.peerExtensions().containsKey(PexMessage.NAME)) {
                continue;
            }
            if (connected == null) {
                connected = listeners(peers, dialled);
            }
            InetSocketAddress recipient = dialled.get(p.id());
            if (recipient == null && p.remoteAddress() instanceof InetSocketAddress r) {
                recipient = new InetSocketAddress(r.getAddress(), p.peerListenPort());
            }
            PexMessage m = due(p.id(), recipient, connected, now);
            if (m != null) {
                p.sendExtended(PexMessage.NAME, m.encode());
            }
        }
    }

    /**
     * Where each connected peer listens, with its ut_pex flags: the address we dialled
     * (reachable), or for a peer that dialled us its IP with the port its extension handshake
     * gave; peers that dialled us and gave none are left out (their source port is no use).
     */
    static Map<InetSocketAddress, Integer> listeners(Collection<PeerConnection> peers,
                                                     Map<Integer, InetSocketAddress> dialled) {
        Map<InetSocketAddress, Integer> out = new LinkedHashMap<>();
        for (PeerConnection p : peers) {
            InetSocketAddress a = dialled.get(p.id());
            int flags = p.have().isComplete() ? PexMessage.SEED : 0;
            if (a != null) {
                flags |= PexMessage.REACHABLE;
            } else if (p.peerListenPort() > 0 && p.remoteAddress() instanceof InetSocketAddress r) {
                a = new InetSocketAddress(r.getAddress(), p.peerListenPort());
            } else {
                continue;
            }
            out.put(a, flags);
        }
        return out;
    }

    /** The addresses of {@code added} we are not connected to already, nor are ourselves. */
    static List<InetSocketAddress> worthDialling(List<PexMessage.Peer> added, Collection<PeerConnection> peers,
                                                 Map<Integer, InetSocketAddress> dialled,
                                                 Predicate<InetSocketAddress> self) {
        Map<InetSocketAddress, Integer> connected = listeners(peers, dialled);
        List<InetSocketAddress> out = new ArrayList<>();
        for (PexMessage.Peer p : added) {
            if (!connected.containsKey(p.address()) && !self.test(p.address())) {
                out.add(p.address());
            }
        }
        return out;
    }

    /** The peer's connection ended. */
    void forget(int id) {
        peers.remove(id);
    }

    int peerCount() {
        return peers.size();
    }
}
