package torfs.session;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The addresses a torrent may dial (from --peer and trackers), those being dialled or
 * connected, and failed ones waiting for a retry ({@link #retryDelayNanos}: 5 s after the
 * first failure, up to 2 min after the fourth), given up after {@link #MAX_ATTEMPTS}. The first
 * retry is soon because the commonest first failure is a peer not ready yet (a seeder still
 * checking its data closes handshakes it cannot place; Transmission retries after 10 s).
 * Incoming peers are not in here: their source ports are not listening ports. Confined to the
 * torrent's loop.
 *
 * <p>Bounded whatever trackers send: at most {@link #MAX_WAITING} addresses wait to be dialled
 * (the oldest go first: fresh ones are likelier alive), at most {@link #MAX_FAILED} failed ones
 * are remembered (the least recently failed go first), and a given-up address is forgotten
 * {@link #FORGET_NANOS} after its last failure, so a peer that came back can be tried again.
 */
final class PeerAddressBook {
    static final int MAX_ATTEMPTS = 5;
    private static final long[] RETRY_SECONDS = {5, 15, 45, 120};
    static final int MAX_WAITING = 1000;
    static final int MAX_FAILED = 1000;
    static final long FORGET_NANOS = 3600_000_000_000L;

    private final Set<InetSocketAddress> known = new LinkedHashSet<>();
    private final Set<InetSocketAddress> dialled = new HashSet<>();
    /** Failed addresses, least recently failed first. */
    private final LinkedHashMap<InetSocketAddress, Failures> failures = new LinkedHashMap<>();
    private final Map<InetSocketAddress, Long> retryAt = new HashMap<>();

    private record Failures(int count, long last) {
    }

    void add(Collection<InetSocketAddress> addresses, long now) {
        for (InetSocketAddress a : addresses) {
            Failures f = failures.get(a);
            if (f != null && f.count >= MAX_ATTEMPTS && now - f.last >= FORGET_NANOS) {
                failures.remove(a);
                f = null;
            }
            if (!dialled.contains(a) && !retryAt.containsKey(a) && (f == null || f.count < MAX_ATTEMPTS)) {
                waiting(a);
            }
        }
    }

    /** Up to {@code max} addresses to dial now, each marked as dialled. */
    List<InetSocketAddress> takeToDial(int max, Predicate<InetSocketAddress> refused, long now) {
        for (Iterator<Map.Entry<InetSocketAddress, Long>> it = retryAt.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<InetSocketAddress, Long> e = it.next();
            if (now - e.getValue() >= 0) {
                waiting(e.getKey());
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
        Failures before = failures.remove(a); // re-inserted: it is now the most recent failure
        int n = before == null ? 1 : before.count + 1;
        failures.put(a, new Failures(n, now));
        if (n < MAX_ATTEMPTS) {
            retryAt.put(a, now + retryDelayNanos(n));
        }
        if (failures.size() > MAX_FAILED) {
            Iterator<InetSocketAddress> oldest = failures.keySet().iterator();
            retryAt.remove(oldest.next());
            oldest.remove();
        }
    }

    /** How long an address waits to be dialled again after its {@code failures}-th failure. */
    static long retryDelayNanos(int failures) {
        return RETRY_SECONDS[Math.min(failures, RETRY_SECONDS.length) - 1] * 1_000_000_000L;
    }

    /** A dialled address whose connection we closed ourselves (a pause): waiting again, no failure counted. */
    void release(InetSocketAddress a) {
        if (dialled.remove(a)) {
            waiting(a);
        }
    }

    /** Whether {@code a} came to this book (waiting, dialled, or failed and remembered). */
    boolean knows(InetSocketAddress a) {
        return known.contains(a) || dialled.contains(a) || failures.containsKey(a);
    }

    /** How many times in a row {@code a} failed (0: never, or not remembered). */
    int failures(InetSocketAddress a) {
        Failures f = failures.get(a);
        return f == null ? 0 : f.count;
    }

    int dialledCount() {
        return dialled.size();
    }

    private void waiting(InetSocketAddress a) {
        known.add(a);
        if (known.size() > MAX_WAITING) {
            Iterator<InetSocketAddress> oldest = known.iterator();
            oldest.next();
            oldest.remove();
        }
    }
}
