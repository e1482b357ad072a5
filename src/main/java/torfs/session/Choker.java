package torfs.session;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;

/**
 * Tit-for-tat upload slots (BEP 3's choking algorithm). Every {@link #RECHOKE_INTERVAL_NANOS} the
 * caller passes a snapshot of its peers and gets back the set to unchoke: the best
 * {@code regularSlots} interested peers (by the rate they give us while we download, by the rate
 * we give them while we seed), plus one optimistic unchoke that rotates every
 * {@link #OPTIMISTIC_INTERVAL_NANOS} and favours newly connected peers, which have nothing to
 * trade yet. Uninterested peers are never unchoked. Pure: no clock, no I/O, one thread.
 */
public final class Choker {
    public static final long RECHOKE_INTERVAL_NANOS = 10_000_000_000L;
    public static final long OPTIMISTIC_INTERVAL_NANOS = 30_000_000_000L;
    /** A peer connected for less than this counts as new: three times the optimistic chance. */
    public static final long NEW_PEER_NANOS = 60_000_000_000L;
    public static final int NEW_PEER_WEIGHT = 3;
    public static final int DEFAULT_REGULAR_SLOTS = 4;

    /** What the choker needs of one connected peer; rates in bytes per second. */
    public record PeerSnapshot(int id, boolean interested, long downloadRateFromThem, long uploadRateToThem,
                               long connectedAtNanos, boolean unchoked) {
    }

    private final int regularSlots;
    private final Random random;
    private Integer optimistic;
    private long optimisticSinceNanos;

    public Choker(Random random) {
        this(DEFAULT_REGULAR_SLOTS, random);
    }

    public Choker(int regularSlots, Random random) {
        if (regularSlots < 0) {
            throw new IllegalArgumentException("negative slot count");
        }
        this.regularSlots = regularSlots;
        this.random = random;
    }

    /** The peers to unchoke now; every other peer should be choked. */
    public Set<Integer> rechoke(List<PeerSnapshot> peers, boolean seeding, long nowNanos) {
        List<PeerSnapshot> interested = new ArrayList<>();
        for (PeerSnapshot p : peers) {
            if (p.interested()) {
                interested.add(p);
            }
        }
        Comparator<PeerSnapshot> byRate = seeding
                ? Comparator.comparingLong(PeerSnapshot::uploadRateToThem).reversed()
                : Comparator.comparingLong(PeerSnapshot::downloadRateFromThem).reversed();
        // on equal rates keep who is unchoked already: fewer choke/unchoke flips
        interested.sort(byRate.thenComparing(p -> !p.unchoked()).thenComparingInt(PeerSnapshot::id));
        Set<Integer> unchoke = new LinkedHashSet<>();
        for (int i = 0; i < Math.min(regularSlots, interested.size()); i++) {
            unchoke.add(interested.get(i).id());
        }

        List<PeerSnapshot> candidates = new ArrayList<>();
        boolean optimisticStillValid = false;
        for (PeerSnapshot p : interested) {
            if (!unchoke.contains(p.id())) {
                candidates.add(p);
                if (optimistic != null && p.id() == optimistic) {
                    optimisticStillValid = true;
                }
            }
        }
        boolean due = nowNanos - optimisticSinceNanos >= OPTIMISTIC_INTERVAL_NANOS;
        if (!optimisticStillValid || due) {
            if (candidates.size() > 1 && optimistic != null) {
                final Integer previous = optimistic;
                candidates.removeIf(p -> p.id() == previous); // rotate: someone else's turn
            }
            optimistic = candidates.isEmpty() ? null : chooseOptimistic(candidates, nowNanos);
            optimisticSinceNanos = nowNanos;
        }
        if (optimistic != null) {
            unchoke.add(optimistic);
        }
        return unchoke;
    }

    /** The current optimistic unchoke, if any. */
    public OptionalInt optimisticUnchoke() {
        return optimistic == null ? OptionalInt.empty() : OptionalInt.of(optimistic);
    }

    /** Weighted random choice: new peers weigh {@link #NEW_PEER_WEIGHT}, others 1. */
    int chooseOptimistic(List<PeerSnapshot> candidates, long nowNanos) {
        int total = 0;
        for (PeerSnapshot p : candidates) {
            total += weight(p, nowNanos);
        }
        int ticket = random.nextInt(total);
        for (PeerSnapshot p : candidates) {
            ticket -= weight(p, nowNanos);
            if (ticket < 0) {
                return p.id();
            }
        }
        throw new AssertionError("weights changed during the draw");
    }

    private static int weight(PeerSnapshot p, long nowNanos) {
        return nowNanos - p.connectedAtNanos() < NEW_PEER_NANOS ? NEW_PEER_WEIGHT : 1;
    }
}
