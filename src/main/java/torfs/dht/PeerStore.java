package torfs.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Peers other nodes announced to us, to hand out in get_peers answers. Bounded three ways: at
 * most {@link #perHash} peers per info-hash (the oldest announce goes first), at most
 * {@link #maxHashes} info-hashes and {@link #maxPeers} peers in all (new ones are refused when
 * full), and each entry expires {@link #TTL_MS} after its last announce. Time is passed in.
 */
final class PeerStore {
    static final long TTL_MS = 30 * 60_000L;
    /** Peers in one answer: 50 compact peers are 400 bytes, which keeps the datagram small. */
    static final int MAX_ANSWER = 50;
    private final int perHash;
    private final int maxHashes;
    private final int maxPeers;
    /** Per info-hash, peer -> expiry, in announce order (a re-announce moves to the end). */
    private final Map<NodeId, LinkedHashMap<InetSocketAddress, Long>> swarms = new HashMap<>();
    private int peers;

    PeerStore(int perHash, int maxHashes, int maxPeers) {
        this.perHash = perHash;
        this.maxHashes = maxHashes;
        this.maxPeers = maxPeers;
    }

    /** Returns false when the store is full and the announce was dropped. */
    boolean announce(NodeId infoHash, InetSocketAddress peer, long now) {
        LinkedHashMap<InetSocketAddress, Long> swarm = swarms.get(infoHash);
        if (swarm == null) {
            if (swarms.size() >= maxHashes || peers >= maxPeers) {
                return false;
            }
            swarm = new LinkedHashMap<>();
            swarms.put(infoHash, swarm);
        }
        if (swarm.remove(peer) != null) {
            peers--;
        } else if (swarm.size() >= perHash) {
            Iterator<InetSocketAddress> oldest = swarm.keySet().iterator();
            oldest.next();
            oldest.remove();
            peers--;
        } else if (peers >= maxPeers) {
            return false;
        }
        swarm.put(peer, now + TTL_MS);
        peers++;
        return true;
    }

    /** Up to {@link #MAX_ANSWER} live peers of {@code infoHash}, most recent first. */
    List<InetSocketAddress> peers(NodeId infoHash, long now) {
        LinkedHashMap<InetSocketAddress, Long> swarm = swarms.get(infoHash);
        if (swarm == null) {
            return List.of();
        }
        List<InetSocketAddress> live = new ArrayList<>();
        for (Map.Entry<InetSocketAddress, Long> e : swarm.entrySet()) {
            if (e.getValue() > now) {
                live.add(e.getKey());
            }
        }
        List<InetSocketAddress> out = new ArrayList<>(Math.min(MAX_ANSWER, live.size()));
        for (int i = live.size() - 1; i >= 0 && out.size() < MAX_ANSWER; i--) {
            out.add(live.get(i));
        }
        return out;
    }

    /** Drops expired entries and empty swarms. */
    void expire(long now) {
        for (Iterator<LinkedHashMap<InetSocketAddress, Long>> it = swarms.values().iterator(); it.hasNext(); ) {
            LinkedHashMap<InetSocketAddress, Long> swarm = it.next();
            int before = swarm.size();
            swarm.values().removeIf(expiry -> expiry <= now);
            peers -= before - swarm.size();
            if (swarm.isEmpty()) {
                it.remove();
            }
        }
    }

    int size() {
        return peers;
    }

    int hashes() {
        return swarms.size();
    }
}
