package torfs.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static torfs.tracker.FakeTrackers.response;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AnnouncerTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.5", 6881);
    private final ManualClock clock = new ManualClock();
    private final FakeTrackers trackers = new FakeTrackers();
    private final List<List<InetSocketAddress>> delivered = new ArrayList<>();

    /** Starts {@code a} and lets {@code t} answer its STARTED (interval 1800 s, min 60 s). */
    private void startAnswered(Announcer a, FakeTrackers.FakeTracker t) {
        a.start();
        clock.runDue();
        t.succeed(response(1800, 60));
        clock.runDue();
    }

    private Announcer announcer(List<List<String>> tiers, long seed) {
        return new Announcer(tiers, trackers, () -> UdpTrackerTest.request("-TF0001-aaaaaaaaaaaa", 7001,
                AnnounceEvent.NONE), delivered::add, clock, new Random(seed), 5_000);
    }

    /** The URLs of one tier in the announcer's current order. */
    private static List<String> order(Announcer a, int tier) {
        List<String> out = new ArrayList<>();
        a.status().stream().filter(s -> s.tier() == tier).forEach(s -> out.add(s.url()));
        return out;
    }

    private static long seconds(long s) {
        return s * 1000;
    }

    @Test
    void announcesToOneTrackerPerTierWithStartedFirst() {
        Announcer a = announcer(List.of(List.of("http://a", "http://b"), List.of("udp://c:1")), 1);
        List<String> tier0 = order(a, 0);
        a.start();
        clock.runDue();
        assertThat(trackers.get(tier0.get(0)).events).containsExactly(AnnounceEvent.STARTED);
        assertThat(trackers.get(tier0.get(1)).events).isEmpty();
        assertThat(trackers.get("udp://c:1").events).containsExactly(AnnounceEvent.STARTED);
    }

    @Test
    void tiersAreShuffledOnceAtStart() {
        List<String> urls = List.of("http://1", "http://2", "http://3", "http://4", "http://5", "http://6");
        java.util.Set<List<String>> seen = new java.util.HashSet<>();
        for (long seed = 0; seed < 10; seed++) {
            seen.add(order(announcer(List.of(urls), seed), 0));
        }
        assertThat(seen).hasSizeGreaterThan(1);
        assertThat(seen).allSatisfy(o -> assertThat(o).containsExactlyInAnyOrderElementsOf(urls));
    }

    @Test
    void failingTrackerFallsThroughAndTheOneThatAnswersIsPromoted() {
        Announcer a = announcer(List.of(List.of("http://a", "http://b", "http://c")), 2);
        List<String> initial = order(a, 0);
        FakeTrackers.FakeTracker first = trackers.get(initial.get(0));
        FakeTrackers.FakeTracker second = trackers.get(initial.get(1));
        a.start();
        clock.runDue();
        first.fail("connection refused");
        clock.runDue();
        assertThat(second.events).containsExactly(AnnounceEvent.STARTED);
        second.succeed(response(1800, 60, PEER));
        clock.runDue();
        assertThat(order(a, 0)).containsExactly(initial.get(1), initial.get(0), initial.get(2));
        assertThat(delivered).containsExactly(List.of(PEER));
        TrackerStatus failed = a.status().get(1);
        assertThat(failed.lastError()).contains("connection refused");
        assertThat(failed.working()).isFalse();
        assertThat(failed.lastAnnounceMillis()).isEqualTo(clock.nowMillis());
        assertThat(a.status().get(2).lastAnnounceMillis()).as("never asked").isZero();
        TrackerStatus current = a.status().get(0);
        assertThat(current.working()).isTrue();
        assertThat(current.lastAnnounceMillis()).isEqualTo(clock.nowMillis());
        assertThat(current.peers()).isEqualTo(1);
        assertThat(current.nextAnnounceMillis()).isEqualTo(clock.nowMillis() + seconds(1800));

        clock.advance(seconds(1800) - 1);
        assertThat(second.events).hasSize(1);
        clock.advance(1);
        assertThat(second.events).containsExactly(AnnounceEvent.STARTED, AnnounceEvent.NONE);
        assertThat(first.events).containsExactly(AnnounceEvent.STARTED);
    }

    @Test
    void wholeTierFailingBacksOffExponentiallyWithJitter() {
        Announcer a = announcer(List.of(List.of("http://only")), 3);
        FakeTrackers.FakeTracker t = trackers.get("http://only");
        a.start();
        clock.runDue();
        long expectedBase = seconds(15);
        for (int failure = 1; failure <= 4; failure++) {
            long failedAt = clock.nowMillis();
            t.fail("timeout");
            clock.runDue();
            long next = a.status().get(0).nextAnnounceMillis();
            assertThat(next - failedAt).isBetween(expectedBase, expectedBase + expectedBase / 4);
            int before = t.events.size();
            clock.advance(next - clock.nowMillis() - 1);
            assertThat(t.events).hasSize(before);
            clock.advance(1);
            assertThat(t.events).hasSize(before + 1);
            expectedBase *= 2;
        }
        // every retry still owes `started`: the tracker never acknowledged one
        assertThat(t.events).containsOnly(AnnounceEvent.STARTED);
        t.succeed(response(900, 60));
        clock.runDue();
        assertThat(a.status().get(0).nextAnnounceMillis()).isEqualTo(clock.nowMillis() + seconds(900));
    }

    @Test
    void backoffIsCappedAtThirtyMinutes() {
        Announcer a = announcer(List.of(List.of("http://only")), 4);
        assertThat(a.backoffMillis(1)).isBetween(seconds(15), seconds(15) * 5 / 4);
        assertThat(a.backoffMillis(8)).isBetween(seconds(1800), seconds(1800) * 5 / 4);
        assertThat(a.backoffMillis(1000)).isBetween(seconds(1800), seconds(1800) * 5 / 4);
    }

    @Test
    void needPeersAnnouncesEarlyButNotBeforeMinInterval() {
        Announcer a = announcer(List.of(List.of("http://a")), 5);
        FakeTrackers.FakeTracker t = trackers.get("http://a");
        a.start();
        clock.runDue();
        long answeredAt = clock.nowMillis();
        t.succeed(response(1800, 300));
        clock.runDue();
        clock.advance(seconds(10));
        a.needPeers();
        clock.runDue();
        assertThat(t.events).hasSize(1);
        clock.advance(answeredAt + seconds(300) - clock.nowMillis() - 1);
        assertThat(t.events).hasSize(1);
        clock.advance(1);
        assertThat(t.events).containsExactly(AnnounceEvent.STARTED, AnnounceEvent.NONE);

        // past the min interval already: needPeers announces at once
        t.succeed(response(1800, 300));
        clock.runDue();
        clock.advance(seconds(400));
        a.needPeers();
        clock.runDue();
        assertThat(t.events).hasSize(3);
    }

    @Test
    void completedGoesToStartedTrackersAtOnceAndOnlyOnce() {
        Announcer a = announcer(List.of(List.of("http://a")), 6);
        FakeTrackers.FakeTracker t = trackers.get("http://a");
        startAnswered(a, t);
        a.completed();
        clock.runDue();
        assertThat(t.events).containsExactly(AnnounceEvent.STARTED, AnnounceEvent.COMPLETED);
        t.succeed(response(1800, 60));
        clock.runDue();
        clock.advance(seconds(1800));
        assertThat(t.events).containsExactly(AnnounceEvent.STARTED, AnnounceEvent.COMPLETED, AnnounceEvent.NONE);
    }

    @Test
    void completedDuringAnAnnounceFollowsItsAnswer() {
        Announcer a = announcer(List.of(List.of("http://a")), 6);
        FakeTrackers.FakeTracker t = trackers.get("http://a");
        startAnswered(a, t);
        clock.advance(seconds(1800)); // regular announce in flight
        a.completed();
        clock.runDue();
        assertThat(t.events).containsExactly(AnnounceEvent.STARTED, AnnounceEvent.NONE);
        t.succeed(response(1800, 60));
        clock.runDue();
        assertThat(t.events).containsExactly(AnnounceEvent.STARTED, AnnounceEvent.NONE, AnnounceEvent.COMPLETED);
    }

    @Test
    void stopSendsStoppedOnlyToTrackersThatGotStarted() {
        Announcer a = announcer(List.of(List.of("http://a", "http://b"), List.of("http://c")), 7);
        List<String> tier0 = order(a, 0);
        FakeTrackers.FakeTracker working = trackers.get(tier0.get(0));
        FakeTrackers.FakeTracker unused = trackers.get(tier0.get(1));
        FakeTrackers.FakeTracker c = trackers.get("http://c");
        a.start();
        clock.runDue();
        working.succeed(response(1800, 60));
        c.fail("down");
        clock.runDue();
        CompletableFuture<Void> stopped = a.stop();
        clock.runDue();
        assertThat(working.events).containsExactly(AnnounceEvent.STARTED, AnnounceEvent.STOPPED);
        assertThat(unused.events).isEmpty();
        assertThat(c.events).containsExactly(AnnounceEvent.STARTED, AnnounceEvent.STOPPED); // started may have arrived
        assertThat(stopped).isNotDone();
        working.succeed(response(1800, 60));
        c.fail("down");
        clock.runDue();
        assertThat(stopped).isCompleted();
        clock.advance(seconds(3600));
        assertThat(working.events).hasSize(2);
    }

    @Test
    void stopIsBoundedWhenTrackersDoNotAnswer() {
        Announcer a = announcer(List.of(List.of("http://a")), 8);
        FakeTrackers.FakeTracker t = trackers.get("http://a");
        startAnswered(a, t);
        CompletableFuture<Void> stopped = a.stop();
        clock.runDue();
        clock.advance(4_999);
        assertThat(stopped).isNotDone();
        clock.advance(1);
        assertThat(stopped).isCompleted();
    }

    @Test
    void stopBeforeAnyAnnounceCompletesAtOnce() {
        Announcer a = announcer(List.of(List.of("http://a")), 9);
        CompletableFuture<Void> stopped = a.stop();
        clock.runDue();
        assertThat(stopped).isCompleted();
        assertThat(trackers.byUrl).isEmpty();
    }

    @Test
    void unusableUrlIsSkippedAndReported() {
        Announcer a = announcer(List.of(List.of("bad://x", "http://a")), 10);
        a.start();
        clock.runDue();
        assertThat(trackers.get("http://a").events).containsExactly(AnnounceEvent.STARTED);
        TrackerStatus bad = a.status().stream().filter(s -> s.url().equals("bad://x")).findFirst().orElseThrow();
        assertThat(bad.lastError()).contains("unsupported tracker URL scheme: bad://x");
    }

    @Test
    void aFailingTrackerIsToldOnceAChangeNotAtEveryRetry() {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(Announcer.class.getName());
        List<String> lines = new ArrayList<>();
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel().intValue() >= java.util.logging.Level.INFO.intValue()) {
                    lines.add(r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(h);
        try {
            Announcer a = announcer(List.of(List.of("http://only")), 5);
            FakeTrackers.FakeTracker t = trackers.get("http://only");
            a.start();
            clock.runDue();
            for (String error : List.of("connection refused", "connection refused", "connection refused", "timed out")) {
                t.fail(error);
                clock.runDue();
                clock.advance(a.status().get(0).nextAnnounceMillis() - clock.nowMillis());
            }
            t.succeed(response(1800, 60));
            clock.runDue();
            String hash = UdpTrackerTest.request("-TF0001-aaaaaaaaaaaa", 7001, AnnounceEvent.NONE).infoHash().hex()
                    .substring(0, 8);
            assertThat(lines).containsExactly(
                    "tracker http://only failed: connection refused; retrying (torrent " + hash + ")",
                    "tracker http://only failed: timed out; retrying (torrent " + hash + ")",
                    "tracker http://only works again (torrent " + hash + ")");
        } finally {
            log.removeHandler(h);
        }
    }
}
