package torfs.session;

import java.time.Duration;

/**
 * How a client keeps its peers' request queues: one shape for bulk transfers, one for files
 * being read while they download.
 *
 * @param maxDepth       pipeline cap per peer (lower toward a peer that announces a smaller reqq)
 * @param queueTime      how much of a peer's time our queue at it holds beyond its measured
 *                       delay: enough to keep its uplink busy; more only delays a block a read
 *                       waits for, since a peer answers in the order it was asked
 * @param backgroundHold how long after a torrent starts the background download waits for a
 *                       first read, so the first peers are asked for the read's piece first
 */
public record RequestPolicy(int maxDepth, Duration queueTime, Duration backgroundHold) {
    /**
     * download and seed: about a second of each peer's rate queued, up to the queue it
     * announces (libtorrent announces 2000), no hold.
     */
    public static final RequestPolicy BULK = new RequestPolicy(2000, Duration.ofSeconds(1), Duration.ZERO);
    /**
     * A mount: a block a read waits for is queued behind at most ~100 ms of a peer's data
     * (libtorrent serves every queued request at once, so a cancel cannot shorten the queue
     * it already read) and at most 64 blocks (1 MiB: 20 MB/s per peer across a 50 ms path); a
     * fresh mount holds its background for 2 s: users open a file right after mounting.
     */
    public static final RequestPolicy STREAMING = new RequestPolicy(64, Duration.ofMillis(100), Duration.ofSeconds(2));
}
