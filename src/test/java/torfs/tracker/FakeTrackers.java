package torfs.tracker;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A tracker factory whose trackers hold each announce until the test answers it. */
final class FakeTrackers implements TrackerFactory {
    final Map<String, FakeTracker> byUrl = new LinkedHashMap<>();

    @Override
    public Tracker create(String url) throws TrackerException {
        if (url.startsWith("bad:")) {
            throw new TrackerException("unsupported tracker URL scheme: " + url);
        }
        return byUrl.computeIfAbsent(url, FakeTracker::new);
    }

    FakeTracker get(String url) {
        return byUrl.computeIfAbsent(url, FakeTracker::new);
    }

    static AnnounceResponse response(int interval, int minInterval, InetSocketAddress... peers) {
        return new AnnounceResponse(interval, minInterval, List.of(peers), 1, 2, Optional.empty(), Optional.empty());
    }

    static final class FakeTracker implements Tracker {
        final String url;
        final List<AnnounceEvent> events = new ArrayList<>();
        final Deque<CompletableFuture<AnnounceResponse>> pending = new ArrayDeque<>();

        FakeTracker(String url) {
            this.url = url;
        }

        @Override
        public String url() {
            return url;
        }

        @Override
        public synchronized CompletableFuture<AnnounceResponse> announce(AnnounceRequest request) {
            events.add(request.event());
            CompletableFuture<AnnounceResponse> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }

        synchronized void succeed(AnnounceResponse r) {
            pending.remove().complete(r);
        }

        synchronized void fail(String message) {
            pending.remove().completeExceptionally(new TrackerException(message));
        }
    }
}
