package torfs.tracker;

import java.util.concurrent.CompletableFuture;

/**
 * One tracker URL as seen by one torrent. The future fails with {@link TrackerException}
 * (never hangs: every implementation bounds its wait).
 */
public interface Tracker {
    CompletableFuture<AnnounceResponse> announce(AnnounceRequest request);

    /** The announce URL, for display. */
    String url();
}
