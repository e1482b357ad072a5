package torfs.session;

/**
 * When to flush a torrent's files in the background while it downloads: after every
 * {@code everyBytes} written, one flush at a time. The resume save that ends a download must
 * flush the data before its state may claim the pieces, and on this machine's virtual disk that
 * flush cost 0.2 s for 300 MB written since the last one, whether written around the page cache
 * or through it (the host writes its own cache back): the device flush, not the guest's
 * writeback, is what takes the time, so {@code sync_file_range} did not shorten it and an early
 * {@code fdatasync} did (0.01 s left at the end with one every 32 MiB). Flushing behind the
 * writes leaves the last flush only the bytes since the previous one. Thread-safe; pure.
 */
final class FlushBehind {
    /** Bytes between background flushes: few flushes, and a short last one (~10 ms here). */
    static final long DEFAULT_EVERY_BYTES = 32L << 20;

    private final long everyBytes;
    /** Written since the last flush began. */
    private long pending;
    private boolean flushing;

    FlushBehind(long everyBytes) {
        if (everyBytes <= 0) {
            throw new IllegalArgumentException("flush interval must be positive");
        }
        this.everyBytes = everyBytes;
    }

    /**
     * Counts {@code bytes} just written; true when the caller must start a background flush now
     * (then {@link #flushed} when it ends). None starts while one runs: the bytes written
     * meanwhile wait for the next.
     */
    synchronized boolean wrote(long bytes) {
        pending += bytes;
        return startIfDue();
    }

    /**
     * A background flush ended (done or failed). True when the caller must start the next one at
     * once: enough was written while it ran.
     */
    synchronized boolean flushed() {
        flushing = false;
        return startIfDue();
    }

    private boolean startIfDue() {
        if (flushing || pending < everyBytes) {
            return false;
        }
        flushing = true;
        pending = 0;
        return true;
    }
}
