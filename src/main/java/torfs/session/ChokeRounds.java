package torfs.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import torfs.peer.PeerConnection;

/**
 * Who may download from us, applied to a session's live connections: the {@link Choker}'s
 * round every 10 s, and between rounds a free slot given at once to a peer that becomes
 * interested. Remembers when each peer connected (the choker favours new ones). On the
 * session's loop, like the connections.
 */
final class ChokeRounds {
    static final int UNCHOKE_SLOTS = 4;

    private final Choker choker;
    private final Map<Integer, Long> connectedAt = new HashMap<>();

    ChokeRounds(Random random) {
        this.choker = new Choker(random);
    }

    void connected(int peer, long now) {
        connectedAt.put(peer, now);
    }

    void gone(int peer) {
        connectedAt.remove(peer);
    }

    /** The peer's interest in us changed. */
    void interestChanged(PeerConnection p, Collection<PeerConnection> peers) {
        if (p.peerInterested() && p.amChoking() && unchokedCount(peers) < UNCHOKE_SLOTS) {
            p.unchoke(); // a free slot: no need to wait for the next choker round
        } else if (!p.peerInterested() && !p.amChoking()) {
            p.choke();
        }
    }

    /** Every 10 s: the choker picks who may download from us. */
    void round(Collection<PeerConnection> peers, boolean seeding) {
        long now = System.nanoTime();
        List<Choker.PeerSnapshot> snap = new ArrayList<>();
        for (PeerConnection p : peers) {
            snap.add(new Choker.PeerSnapshot(p.id(), p.peerInterested() && p.isOpen(), p.downloadRate(),
                    p.uploadRate(), connectedAt.getOrDefault(p.id(), now), !p.amChoking()));
        }
        Set<Integer> unchoke = choker.rechoke(snap, seeding, now);
        for (PeerConnection p : List.copyOf(peers)) {
            if (unchoke.contains(p.id())) {
                p.unchoke();
            } else {
                p.choke();
            }
        }
    }

    private static int unchokedCount(Collection<PeerConnection> peers) {
        int n = 0;
        for (PeerConnection p : peers) {
            if (!p.amChoking()) {
                n++;
            }
        }
        return n;
    }
}
