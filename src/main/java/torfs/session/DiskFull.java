package torfs.session;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import torfs.storage.DiskSpace;

/**
 * Whether a torrent's downloading is paused because its data directory's file system is full.
 * A write that fails for lack of room starts the pause (one line for the log, however many
 * writes fail); while it lasts no blocks are requested and a read of a piece not on disk fails
 * at once instead of waiting for a piece that cannot be stored; polling the free space ends it.
 * Changed on the session's loop ({@link #writeFailed(IOException, Consumer)} and {@link #tick}
 * are the session's steps, with their log lines), read from any thread.
 */
final class DiskFull {
    private static final System.Logger LOG = System.getLogger(TorrentSession.class.getName());
    /** While the disk is full, its free space is looked at every this many ticks. */
    static final int POLL_TICKS = 2;
    /** Downloading resumes once this much is free, or two pieces (or all that is left). */
    static final long RESUME_FREE_BYTES = 4L << 20;

    /** Free bytes of the data directory's file system. */
    interface FreeSpace {
        long bytes() throws IOException;
    }

    private final Path dir;
    private final FreeSpace free;
    /** The write error that started the pause; null while writes go through. */
    private volatile String reason;

    DiskFull(Path dir, FreeSpace free) {
        this.dir = dir;
        this.free = free;
    }

    boolean isFull() {
        return reason != null;
    }

    /**
     * On the loop: a write failed. A full disk pauses downloading and fails the reads waiting
     * ({@code failWaiting}: their pieces cannot be stored now); other errors are logged.
     */
    void writeFailed(IOException e, Consumer<IOException> failWaiting) {
        if (!DiskSpace.isFull(e)) {
            LOG.log(System.Logger.Level.WARNING, "write failed at " + dir + ": " + e.getMessage());
            return;
        }
        String line = writeFailed(e);
        if (line != null) {
            LOG.log(System.Logger.Level.WARNING, line);
            failWaiting.accept(readFailure());
        }
    }

    /**
     * On the loop, each tick: while the disk is full, every {@link #POLL_TICKS} ticks, resumes
     * downloading once there is room again ({@code resumed} then runs); {@code left}: the bytes
     * still to download.
     */
    void tick(int ticks, long pieceLength, long left, Runnable resumed) {
        if (!isFull() || ticks % POLL_TICKS != 0) {
            return;
        }
        long room = Math.max(RESUME_FREE_BYTES, 2L * pieceLength); // a refill pauses again
        String line = poll(Math.min(room, left));
        if (line != null) {
            LOG.log(System.Logger.Level.INFO, line);
            resumed.run();
        }
    }

    /** On the loop: a write failed for lack of room. The line to log when this starts a pause, else null. */
    String writeFailed(IOException e) {
        if (reason != null) {
            return null;
        }
        reason = e.getMessage() == null ? "no space left" : e.getMessage();
        return "disk full at " + dir + ": " + reason + "; downloading paused";
    }

    /**
     * On the loop, while paused: ends the pause once {@code resumeAt} bytes are free (room for
     * the next pieces). The line to log when it ended, else null.
     */
    String poll(long resumeAt) {
        if (reason == null) {
            return null;
        }
        long bytes;
        try {
            bytes = free.bytes();
        } catch (IOException e) {
            return null; // cannot tell: stay paused and look again
        }
        if (bytes < resumeAt) {
            return null;
        }
        reason = null;
        return String.format(Locale.ROOT, "%.1f MiB free again at %s; downloading resumed", bytes / 1048576.0, dir);
    }

    /** The failure of a read of a piece that is not on disk, while paused. */
    IOException readFailure() {
        String r = reason;
        return new IOException("disk full at " + dir + ": " + (r == null ? "no space left" : r));
    }
}
