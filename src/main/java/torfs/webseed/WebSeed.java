package torfs.webseed;

import java.net.URI;
import torfs.metainfo.Torrent;

/**
 * One web seed of a torrent: its URL, its number among the torrent's peers (the picker sees it
 * as a peer that has every piece), and what it has done wrong: errors in a row back it off
 * exponentially (1 s doubling to a minute), and a seed that sent bad data too often, or cannot
 * serve the torrent at all (404, ignoring Range for large files), is dropped for the session.
 */
final class WebSeed {
    static final long FIRST_BACKOFF_NANOS = 1_000_000_000L;
    static final long MAX_BACKOFF_NANOS = 60_000_000_000L;

    final int id;
    final String base;
    private final Torrent torrent;
    int errorsInARow;
    long retryAt;
    int hashFailures;
    boolean dropped;
    /** The background's next pick starts at this piece: pieces go in order. */
    int cursor;
    /** Bytes of this seed's runs not finished yet (their buffers). */
    long inFlightBytes;

    WebSeed(int id, String base, Torrent torrent) {
        this.id = id;
        this.base = base;
        this.torrent = torrent;
    }

    URI uriOf(int file) {
        return WebSeedUrl.of(base, torrent, file);
    }

    boolean ready(long now) {
        return !dropped && now - retryAt >= 0;
    }

    void succeeded() {
        errorsInARow = 0;
    }

    /** An error worth retrying: wait before asking again, longer each time in a row. */
    void failed(long now) {
        errorsInARow++;
        retryAt = now + backoffNanos(errorsInARow);
    }

    static long backoffNanos(int errorsInARow) {
        int doublings = Math.min(errorsInARow - 1, 20);
        return Math.min(MAX_BACKOFF_NANOS, FIRST_BACKOFF_NANOS << doublings);
    }

    @Override
    public String toString() {
        return base;
    }
}
