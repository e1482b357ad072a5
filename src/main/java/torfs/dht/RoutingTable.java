package torfs.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kademlia routing table of BEP 5. Bucket {@code i} holds nodes whose ids share exactly
 * {@code i} leading bits with ours; the last bucket holds everything closer, and it is the only
 * one that splits when full, so the table stays small (at most 160 buckets of
 * {@link #K} nodes and {@link #K} replacements).
 *
 * <p>Only nodes we heard from directly enter the table ({@link #heardFrom}); a full bucket
 * replaces a bad node at once and keeps a newcomer in its replacement cache otherwise, which
 * is promoted when a node {@link #failed} enough to go bad. Questionable nodes are not evicted
 * here: the node pings them ({@link #questionable}) and their answer or silence decides.
 * Pure: no I/O, time passed in. Not thread-safe: confined to the node's event loop.
 */
final class RoutingTable {
    static final int K = 8;
    static final int MAX_FAILURES = 2;
    static final long QUESTIONABLE_AFTER_MS = 15 * 60_000L;
    static final long REFRESH_AFTER_MS = 15 * 60_000L;

    private final NodeId own;
    private final List<Bucket> buckets = new ArrayList<>();
    /** Every live and replacement entry by address: one id per address, no duplicates. */
    private final Map<InetSocketAddress, RoutingEntry> byAddress = new HashMap<>();
    private int live;

    private static final class Bucket {
        final List<RoutingEntry> nodes = new ArrayList<>(K);
        final List<RoutingEntry> replacements = new ArrayList<>(K);
        long lastChanged;

        Bucket(long now) {
            lastChanged = now;
        }
    }

    RoutingTable(NodeId own, long now) {
        this.own = own;
        buckets.add(new Bucket(now));
    }

    NodeId ownId() {
        return own;
    }

    /** Live entries (not counting replacements). */
    int size() {
        return live;
    }

    int bucketCount() {
        return buckets.size();
    }

    private int bucketIndex(NodeId id) {
        return Math.min(own.commonPrefix(id), buckets.size() - 1);
    }

    /**
     * The node answered us or queried us. Updates it if known, else adds it (splitting our own
     * bucket, replacing a bad node, or into the replacement cache). Returns false when it was
     * not taken: our own id, an address known under another id, or a full cache.
     */
    boolean heardFrom(NodeId id, InetSocketAddress address, long now) {
        if (id.equals(own)) {
            return false;
        }
        RoutingEntry known = byAddress.get(address);
        if (known != null) {
            if (!known.id.equals(id)) {
                return false; // an address does not change its id; ignore the claim
            }
            known.lastSeen = now;
            known.failures = 0;
            Bucket b = buckets.get(bucketIndex(id));
            if (b.nodes.contains(known)) {
                b.lastChanged = now;
            }
            return true;
        }
        if (findEntry(id) != null) {
            return false; // the id is taken by another address: keep the one we know
        }
        while (true) {
            int i = bucketIndex(id);
            Bucket b = buckets.get(i);
            if (b.nodes.size() < K) {
                add(b.nodes, new RoutingEntry(id, address, now));
                live++;
                b.lastChanged = now;
                return true;
            }
            if (i == buckets.size() - 1 && buckets.size() < NodeId.BITS) {
                split(now);
                continue;
            }
            for (int j = 0; j < b.nodes.size(); j++) {
                if (b.nodes.get(j).isBad()) {
                    byAddress.remove(b.nodes.get(j).address);
                    b.nodes.remove(j);
                    add(b.nodes, new RoutingEntry(id, address, now));
                    b.lastChanged = now;
                    return true;
                }
            }
            if (b.replacements.size() >= K) {
                byAddress.remove(b.replacements.remove(0).address); // the oldest newcomer makes room
            }
            add(b.replacements, new RoutingEntry(id, address, now));
            return true;
        }
    }

    private void add(List<RoutingEntry> list, RoutingEntry e) {
        list.add(e);
        byAddress.put(e.address, e);
    }

    /** Splits the last bucket: entries that share one more bit with us move to a new last bucket. */
    private void split(long now) {
        int depth = buckets.size() - 1;
        Bucket old = buckets.get(depth);
        Bucket next = new Bucket(now);
        buckets.add(next);
        moveCloser(old.nodes, next.nodes, depth);
        moveCloser(old.replacements, next.replacements, depth);
        // the old bucket may now have room: fill it from its replacements
        while (old.nodes.size() < K && !old.replacements.isEmpty()) {
            old.nodes.add(old.replacements.remove(old.replacements.size() - 1));
        }
        while (next.nodes.size() > K) {
            next.replacements.add(next.nodes.remove(next.nodes.size() - 1));
        }
        while (next.replacements.size() > K) {
            byAddress.remove(next.replacements.remove(0).address);
        }
        recount();
    }

    private void moveCloser(List<RoutingEntry> from, List<RoutingEntry> to, int depth) {
        for (int j = from.size() - 1; j >= 0; j--) {
            if (own.commonPrefix(from.get(j).id) > depth) {
                to.add(0, from.remove(j));
            }
        }
    }

    private void recount() {
        int n = 0;
        for (Bucket b : buckets) {
            n += b.nodes.size();
        }
        live = n;
    }

    /**
     * A query to the node at {@code address} timed out. Once bad, it leaves its bucket for the
     * most recent replacement, if there is one; a bad node in a replacement cache just goes.
     */
    void failed(InetSocketAddress address) {
        RoutingEntry e = byAddress.get(address);
        if (e == null) {
            return;
        }
        e.failures++;
        if (!e.isBad()) {
            return;
        }
        Bucket b = buckets.get(bucketIndex(e.id));
        if (b.replacements.remove(e)) {
            byAddress.remove(address);
            return;
        }
        if (!b.replacements.isEmpty()) {
            b.nodes.remove(e);
            byAddress.remove(address);
            b.nodes.add(b.replacements.remove(b.replacements.size() - 1));
        }
    }

    /** Up to {@code n} non-bad live nodes nearest {@code target}, nearest first. */
    List<NodeContact> closest(NodeId target, int n) {
        return nearest(target, n, a -> true);
    }

    /** As {@link #closest(NodeId, int)}, of one family only: IPv6 ({@code v6}) or IPv4 (BEP 32). */
    List<NodeContact> closest(NodeId target, int n, boolean v6) {
        return nearest(target, n, a -> Compact.isV6(a) == v6);
    }

    private List<NodeContact> nearest(NodeId target, int n, java.util.function.Predicate<InetSocketAddress> family) {
        List<RoutingEntry> all = new ArrayList<>(live);
        for (Bucket b : buckets) {
            for (RoutingEntry e : b.nodes) {
                if (!e.isBad() && family.test(e.address)) {
                    all.add(e);
                }
            }
        }
        all.sort(Comparator.comparing(e -> e.id, target::closer));
        List<NodeContact> out = new ArrayList<>(Math.min(n, all.size()));
        for (int i = 0; i < all.size() && i < n; i++) {
            out.add(all.get(i).contact());
        }
        return out;
    }

    /** Live nodes not heard from for 15 minutes, least recently heard first, at most {@code max}. */
    List<NodeContact> questionable(long now, int max) {
        List<RoutingEntry> q = new ArrayList<>();
        for (Bucket b : buckets) {
            for (RoutingEntry e : b.nodes) {
                if (!e.isGood(now) && !e.isBad()) {
                    q.add(e);
                }
            }
        }
        q.sort(Comparator.comparingLong(e -> e.lastSeen));
        return q.subList(0, Math.min(max, q.size())).stream().map(RoutingEntry::contact).toList();
    }

    /** Random targets, one in each bucket unchanged for 15 minutes; marks them changed now. */
    List<NodeId> refreshTargets(long now, java.util.Random random) {
        List<NodeId> out = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            Bucket b = buckets.get(i);
            if (now - b.lastChanged >= REFRESH_AFTER_MS) {
                b.lastChanged = now;
                out.add(i == buckets.size() - 1 ? own.randomWithPrefix(NodeId.BITS, random) : own.randomWithPrefix(i, random));
            }
        }
        return out;
    }

    /**
     * After joining: a random target in each bucket farther than our own that is not full, the
     * farthest (largest) first, at most {@code max}; marks them changed now. A self-lookup meets
     * mostly nodes near us, so without this the far buckets fill only when far nodes happen to
     * query us, and a lookup toward the other half of the id space can end among our neighbours
     * without reaching the nodes that hold its peers (Kademlia's join refreshes them so).
     */
    List<NodeId> joinRefreshTargets(long now, int max, java.util.Random random) {
        List<NodeId> out = new ArrayList<>();
        for (int i = 0; i < buckets.size() - 1 && out.size() < max; i++) {
            Bucket b = buckets.get(i);
            if (b.nodes.size() < K) {
                b.lastChanged = now;
                out.add(own.randomWithPrefix(i, random));
            }
        }
        return out;
    }

    /** Good live nodes, for saving. */
    List<NodeContact> goodNodes(long now) {
        List<NodeContact> out = new ArrayList<>();
        for (Bucket b : buckets) {
            for (RoutingEntry e : b.nodes) {
                if (e.isGood(now)) {
                    out.add(e.contact());
                }
            }
        }
        return out;
    }

    boolean contains(InetSocketAddress address) {
        RoutingEntry e = byAddress.get(address);
        return e != null && buckets.get(bucketIndex(e.id)).nodes.contains(e);
    }

    private RoutingEntry findEntry(NodeId id) {
        Bucket b = buckets.get(bucketIndex(id));
        for (RoutingEntry e : b.nodes) {
            if (e.id.equals(id)) {
                return e;
            }
        }
        for (RoutingEntry e : b.replacements) {
            if (e.id.equals(id)) {
                return e;
            }
        }
        return null;
    }

    /**
     * One line per bucket: its live nodes as {@code g}ood, {@code q}uestionable or {@code b}ad,
     * then {@code |} and the replacement count. For tests and the status page.
     */
    String picture(long now) {
        StringBuilder sb = new StringBuilder();
        for (Bucket b : buckets) {
            for (RoutingEntry e : b.nodes) {
                sb.append(e.isBad() ? 'b' : e.isGood(now) ? 'g' : 'q');
            }
            sb.append('|').append(b.replacements.size()).append('\n');
        }
        return sb.toString();
    }
}
