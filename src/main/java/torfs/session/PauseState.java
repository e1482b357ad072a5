package torfs.session;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether a user paused a torrent (Transmission's "stopped", qBittorrent's "paused"). While
 * paused the torrent keeps serving its verified pieces to readers but talks to nobody: no peers,
 * no trackers, no DHT lookups, no web seeds; a read of a piece not on disk fails at once rather
 * than wait out the read timeout for data nobody fetches. Changed on the session's loop, read
 * from any thread.
 *
 * <p>The first failed read of each pause is logged as one line, the rest are silent: a player
 * that retries every few milliseconds must not flood the log.
 */
final class PauseState {
    private static final System.Logger LOG = System.getLogger(PauseState.class.getName());

    private final String name;
    private volatile boolean paused;
    private final AtomicBoolean told = new AtomicBoolean();

    PauseState(String name, boolean paused) {
        this.name = name;
        this.paused = paused;
    }

    boolean isPaused() {
        return paused;
    }

    /** On the loop: pauses or resumes; false when it already was so. */
    boolean set(boolean pause) {
        if (paused == pause) {
            return false;
        }
        paused = pause;
        told.set(false); // the next pause logs its first refused read again
        return true;
    }

    /** The failure of a read of a piece that is not on disk while paused; logs the first one. */
    IOException readFailure() {
        if (told.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.INFO, name + " is paused: reads of data not yet downloaded fail"
                    + " until it is resumed");
        }
        return new IOException(name + " is paused");
    }
}
