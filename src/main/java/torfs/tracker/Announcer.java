package torfs.tracker;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Announces one torrent to its trackers. Keeps, per tier (BEP 12): the trackers shuffled once,
 * the one currently in use (a tracker that answers moves to the front of its tier), when to
 * announce next (the tracker's interval; early on {@link #needPeers()}, never before its min
 * interval), and the run of failures behind the backoff (15 s * 2^n, capped at 30 min, with
 * jitter). Like libtorrent's default, every tier is announced to, one tracker per tier.
 * Per tracker: whether it got {@code started} (so {@code stopped} goes to exactly those) and
 * whether it still owes a {@code completed}.
 *
 * <p>All state is confined to the scheduler's thread; public methods hop onto it. One-shot:
 * after {@link #stop()} the announcer is finished.
 */
public final class Announcer {
    static final long BACKOFF_BASE_MILLIS = 15_000;
    static final long BACKOFF_CAP_MILLIS = 30 * 60_000;
    /** A user waits for the exit; libtorrent's stop_tracker_timeout is 1 s too. */
    static final long STOP_TIMEOUT_MILLIS = 1_000;
    private static final System.Logger LOG = System.getLogger(Announcer.class.getName());

    private final List<Tier> tiers = new ArrayList<>();
    private final TrackerFactory factory;
    private final Supplier<AnnounceRequest> stats;
    private final Consumer<List<InetSocketAddress>> onPeers;
    private final AnnounceClock clock;
    private final Random random;
    private final long stopTimeoutMillis;
    private boolean started;
    private boolean stopping;
    private volatile List<TrackerStatus> status = List.of();

    /**
     * @param tiers     announce-list tiers (or one tier holding {@code announce}); blanks dropped
     * @param stats     current numbers of the torrent; its event is replaced by the announcer's
     * @param onPeers   gets each non-empty peer list, on the scheduler's thread
     * @param scheduler a single thread, e.g. the torrent's Netty event loop
     */
    public Announcer(List<List<String>> tiers, TrackerFactory factory, Supplier<AnnounceRequest> stats,
                     Consumer<List<InetSocketAddress>> onPeers, ScheduledExecutorService scheduler) {
        this(tiers, factory, stats, onPeers, AnnounceClock.of(scheduler), new Random(), STOP_TIMEOUT_MILLIS);
    }

    Announcer(List<List<String>> tierUrls, TrackerFactory factory, Supplier<AnnounceRequest> stats,
              Consumer<List<InetSocketAddress>> onPeers, AnnounceClock clock, Random random,
              long stopTimeoutMillis) {
        this.factory = factory;
        this.stats = stats;
        this.onPeers = onPeers;
        this.clock = clock;
        this.random = random;
        this.stopTimeoutMillis = stopTimeoutMillis;
        for (List<String> urls : usable(tierUrls)) {
            List<Entry> entries = new ArrayList<>();
            for (String u : urls) {
                entries.add(new Entry(u));
            }
            Collections.shuffle(entries, random); // BEP 12: once, at start
            tiers.add(new Tier(tiers.size(), entries));
        }
        publish();
    }

    /** The tiers as announced to: URLs stripped, blank ones dropped, then empty tiers dropped. */
    static List<List<String>> usable(List<List<String>> tierUrls) {
        List<List<String>> out = new ArrayList<>();
        for (List<String> urls : tierUrls) {
            List<String> tier = urls.stream().filter(u -> u != null && !u.isBlank()).map(String::strip).toList();
            if (!tier.isEmpty()) {
                out.add(tier);
            }
        }
        return out;
    }

    /** Sends {@code started} to each tier and keeps announcing until {@link #stop()}. */
    public void start() {
        clock.execute(() -> {
            if (started || stopping) {
                return;
            }
            started = true;
            for (Tier t : tiers) {
                schedule(t, 0);
            }
            publish();
        });
    }

    /** The download finished: tell every tracker that got {@code started}, now. */
    public void completed() {
        clock.execute(() -> {
            if (!started || stopping) {
                return;
            }
            for (Tier t : tiers) {
                boolean owed = false;
                for (Entry e : t.entries) {
                    if (e.startedSent) {
                        e.completedDue = true;
                        owed = true;
                    }
                }
                if (owed) {
                    announceSoon(t, 0);
                }
            }
        });
    }

    /** Peers are running low: announce early, though not before each tracker's min interval. */
    public void needPeers() {
        clock.execute(() -> {
            if (!started || stopping) {
                return;
            }
            long now = clock.nowMillis();
            for (Tier t : tiers) {
                if (t.failures == 0 && t.lastSuccessAt >= 0) {
                    long earliest = t.lastSuccessAt + t.minIntervalSeconds * 1000L;
                    if (!t.inFlight && earliest < t.nextAt) {
                        schedule(t, Math.max(0, earliest - now));
                    }
                }
            }
            publish();
        });
    }

    /**
     * Sends {@code stopped} to every tracker that got {@code started} (or has one in flight);
     * completes when they all answered or after {@link #STOP_TIMEOUT_MILLIS}, never exceptionally.
     */
    public CompletableFuture<Void> stop() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        clock.execute(() -> {
            if (stopping) {
                done.complete(null);
                return;
            }
            stopping = true;
            List<CompletableFuture<AnnounceResponse>> sent = new ArrayList<>();
            for (Tier t : tiers) {
                t.cancelTimer();
                t.nextAt = Long.MAX_VALUE;
                for (Entry e : t.entries) {
                    if (e.contacted && e.tracker != null) {
                        AnnounceRequest r = stats.get().withEvent(AnnounceEvent.STOPPED).withNumWant(0);
                        sent.add(e.tracker.announce(r));
                    }
                }
            }
            publish();
            if (sent.isEmpty()) {
                done.complete(null);
                return;
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).whenComplete((v, x) -> done.complete(null));
            clock.schedule(() -> done.complete(null), stopTimeoutMillis);
        });
        return done;
    }

    /** A snapshot of every tracker, tier by tier, current tracker of a tier first. Any thread. */
    public List<TrackerStatus> status() {
        return status;
    }

    private void schedule(Tier t, long delayMillis) {
        t.cancelTimer();
        t.nextAt = clock.nowMillis() + delayMillis;
        t.timer = clock.schedule(() -> {
            t.timer = null;
            announceTier(t);
        }, delayMillis);
    }

    /** Announce at once, or as soon as the announce in flight returns. */
    private void announceSoon(Tier t, long delayMillis) {
        if (t.inFlight) {
            t.again = true;
        } else {
            schedule(t, delayMillis);
        }
    }

    private void announceTier(Tier t) {
        if (stopping || t.inFlight) {
            return;
        }
        t.cursor = 0;
        tryNext(t);
    }

    /** Announces to the tier's tracker at the cursor; a failure moves on to the next one. */
    private void tryNext(Tier t) {
        while (t.cursor < t.entries.size()) {
            Entry e = t.entries.get(t.cursor);
            if (e.tracker == null && !e.disabled) {
                try {
                    e.tracker = factory.create(e.url);
                } catch (TrackerException ex) {
                    e.disabled = true; // a URL we cannot use stays unusable
                    e.lastError = ex.getMessage();
                    tellFailure(e);
                }
            }
            if (e.disabled) {
                t.cursor++;
                continue;
            }
            AnnounceEvent event = !e.startedSent ? AnnounceEvent.STARTED
                    : e.completedDue ? AnnounceEvent.COMPLETED : AnnounceEvent.NONE;
            AnnounceRequest request = stats.get().withEvent(event);
            if (event == AnnounceEvent.STARTED) {
                e.contacted = true;
            }
            t.inFlight = true;
            e.updating = true;
            publish();
            CompletableFuture<AnnounceResponse> f;
            torfs.log.StartTrace.mark("first announce sent");
            try {
                f = e.tracker.announce(request);
            } catch (RuntimeException ex) {
                f = CompletableFuture.failedFuture(ex);
            }
            f.whenComplete((r, ex) -> clock.execute(() -> onResult(t, e, event, r, ex)));
            return;
        }
        // the whole tier failed this round
        t.failures++;
        long delay = backoffMillis(t.failures);
        LOG.log(System.Logger.Level.DEBUG, "tier {0} failed {1} times; retry in {2} ms", t.index, t.failures, delay);
        schedule(t, delay);
        publish();
    }

    private void onResult(Tier t, Entry e, AnnounceEvent event, AnnounceResponse r, Throwable ex) {
        t.inFlight = false;
        e.updating = false;
        if (stopping) {
            publish();
            return;
        }
        e.lastAnnounceAt = clock.nowMillis();
        if (ex != null) {
            Throwable cause = ex instanceof java.util.concurrent.CompletionException && ex.getCause() != null
                    ? ex.getCause() : ex;
            e.lastError = cause instanceof TrackerException ? cause.getMessage() : String.valueOf(cause);
            e.working = false;
            LOG.log(System.Logger.Level.DEBUG, "announce to {0} failed: {1}", e.url, e.lastError);
            tellFailure(e);
            t.cursor++;
            tryNext(t);
            return;
        }
        torfs.log.StartTrace.mark("first announce answered");
        e.working = true;
        e.lastError = null;
        if (e.told != null) {
            e.told = null;
            LOG.log(System.Logger.Level.INFO, "tracker " + e.url + " works again (" + torrentLabel() + ")");
        }
        e.warning = r.warning().orElse(null);
        e.seeders = r.seeders();
        e.leechers = r.leechers();
        e.peers = r.peers().size();
        if (event == AnnounceEvent.STARTED) {
            e.startedSent = true;
        } else if (event == AnnounceEvent.COMPLETED) {
            e.completedDue = false;
        }
        t.entries.remove(e);
        t.entries.add(0, e); // BEP 12: the tracker that answered goes first
        t.failures = 0;
        t.lastSuccessAt = clock.nowMillis();
        t.minIntervalSeconds = r.minIntervalSeconds();
        boolean owesCompleted = e.completedDue;
        if (t.again || owesCompleted) {
            t.again = false;
            schedule(t, 0);
        } else {
            schedule(t, r.intervalSeconds() * 1000L);
        }
        publish();
        if (!r.peers().isEmpty()) {
            onPeers.accept(r.peers());
        }
    }

    /**
     * One line when a tracker starts failing or fails differently, not at every retry: a user
     * whose download shows 0 peers learns why (before, only the status API said it).
     */
    private void tellFailure(Entry e) {
        if (!java.util.Objects.equals(e.told, e.lastError)) {
            e.told = e.lastError;
            LOG.log(System.Logger.Level.INFO, "tracker " + e.url + " failed: " + e.lastError
                    + (e.disabled ? "" : "; retrying") + " (" + torrentLabel() + ")");
        }
    }

    /** Which torrent, for a mount of many: the first 8 hex digits of its info-hash. */
    private String torrentLabel() {
        return "torrent " + stats.get().infoHash().hex().substring(0, 8);
    }

    /** 15 s * 2^(n-1), capped at 30 min, plus up to a quarter more so clients do not retry in step. */
    long backoffMillis(int failures) {
        int shift = Math.min(failures - 1, 20);
        long base = Math.min(BACKOFF_CAP_MILLIS, BACKOFF_BASE_MILLIS << shift);
        return base + (long) (random.nextDouble() * (base / 4));
    }

    private void publish() {
        List<TrackerStatus> out = new ArrayList<>();
        for (Tier t : tiers) {
            for (int i = 0; i < t.entries.size(); i++) {
                Entry e = t.entries.get(i);
                boolean current = i == 0 && started && !stopping && !t.inFlight;
                long next = current && t.nextAt != Long.MAX_VALUE ? t.nextAt : -1;
                out.add(new TrackerStatus(e.url, t.index, e.working, e.updating, Optional.ofNullable(e.lastError),
                        Optional.ofNullable(e.warning), next, e.seeders, e.leechers, e.peers, e.lastAnnounceAt));
            }
        }
        status = List.copyOf(out);
    }

    private static final class Tier {
        final int index;
        final List<Entry> entries;
        int cursor;
        int failures;
        boolean inFlight;
        boolean again;
        long nextAt = Long.MAX_VALUE;
        long lastSuccessAt = -1;
        int minIntervalSeconds;
        AnnounceClock.Cancellable timer;

        Tier(int index, List<Entry> entries) {
            this.index = index;
            this.entries = entries;
        }

        void cancelTimer() {
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
        }
    }

    private static final class Entry {
        final String url;
        Tracker tracker;
        boolean disabled;
        boolean contacted;
        boolean startedSent;
        boolean completedDue;
        boolean working;
        boolean updating;
        String lastError;
        /** The failure last told to the user (one line per change), null while it works. */
        String told;
        String warning;
        int seeders = -1;
        int leechers = -1;
        int peers;
        long lastAnnounceAt;

        Entry(String url) {
            this.url = url;
        }
    }
}
