package torfs.session;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The addresses a torrent may dial (from --peer and trackers), those being dialled or
 * connected, and failed ones waiting for a retry: 30 s after the first failure, longer after
 * each, given up after {@link #MAX_ATTEMPTS}. Incoming peers are not in here: their source
 * ports are not listening ports. Confined to the torrent's loop.
 */
final class PeerAddressBook {
    static final int MAX_ATTEMPTS = 5;
    private static final long RETRY_NANOS = 30_000_000_000L;

    private final Set<InetSocketAddress> known = new LinkedHashSet<>();
    private final Set<InetSocketAddress> dialled = new HashSet<>();
    private final Map<InetSocketAddress, Integer> failures = new HashMap<>();
    private final Map<InetSocketAddress, Long> retryAt = new HashMap<>();

    void add(Collection<InetSocketAddress> addresses) {
        for (InetSocketAddress a : addresses) {
            if (!dialled.contains(a) && !retryAt.containsKey(a)
                    && failures.getOrDefault(a, 0) < MAX_ATTEMPTS) {
                known.add(a);
            }
        }
    }

    /** Up to {@code max} addresses to dial now, each marked as dialled. */
    List<InetSocketAddress> takeToDial(int max, Predicate<InetSocketAddress> refused, long now) {
        for (Iterator<Map.Entry<InetSocketAddress, Long>> it = retryAt.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<InetSocketAddress, Long> e = it.next();
            if (now - e.getValue() >= 0) {
                known.add(e.getKey());
                it.remove();
            }
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (Iterator<InetSocketAddress> it = known.iterator(); it.hasNext() && out.size() < max; ) {
            InetSocketAddress a = it.next();
            it.remove();
            if (a.getAddress() == null || dialled.contains(a) || refused.test(a)) {
                continue;
            }
            dialled.add(a);
            out.add(a);
        }
        return out;
    }

    /** A dialled address failed to connect or its connection ended. */
    void lost(InetSocketAddress a, long now) {
        if (!dialled.remove(a)) {
            return;
        }
        int n = failures.merge(a, 1, Integer::sum);
        if (n < MAX_ATTEMPTS) {
            retryAt.put(a, now + RETRY_NANOS * n);
        }
    }

    int dialledCount() {
        return dialled.size();
    }
}
