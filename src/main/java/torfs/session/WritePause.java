package torfs.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Predicate;
import torfs.storage.DiskSpace;

/**
 * Whether a torrent's downloading is paused because its data cannot be written: the file
 * system is full (or the user's quota), or it refuses writes (read-only, I/O errors, no
 * permission). The first failed write starts the pause with one line for the log, however many
 * writes fail; while it lasts no blocks are requested and a read of a piece not on disk fails
 * at once instead of waiting for a piece that cannot be stored. A full disk's pause ends when
 * polling finds room again; another's is tried again every {@link #RETRY_TICKS} ticks once the
 * directory is writable, and the same error then pauses again without a new line (without the
 * pause, every block of a read-only data directory was fetched and failed again: 6,000 failed
 * writes a second). Changed on the session's loop ({@link #writeFailed(IOException,
 * Consumer)} and {@link #tick} are the session's steps, with their log lines), read from any
 * thread.
 */
final class WritePause {
    private static final System.Logger LOG = System.getLogger(TorrentSession.class.getName());
    /** While the disk is full, its free space is looked at every this many ticks. */
    static final int POLL_TICKS = 2;
    /** Writes that failed for another reason are tried again after this many ticks. */
    static final int RETRY_TICKS = 30;
    /** Downloading resumes once this much is free, or two pieces (or all that is left). */
    static final long RESUME_FREE_BYTES = 4L << 20;

    /** Free bytes of the data directory's file system. */
    interface FreeSpace {
        long bytes() throws IOException;
    }

    private final Path dir;
    private final FreeSpace free;
    private final Predicate<Path> writable;
    /** The write error that started the pause; null while writes go through. */
    private volatile String reason;
    /** Whether that error was a full disk. */
    private volatile boolean full;
    /** The last pause's line, so that a retry failing the same way says nothing new. */
    private String lastLine;
    private int pausedTicks;

    WritePause(Path dir, FreeSpace free) {
        this(dir, free, Files::isWritable);
    }

    WritePause(Path dir, FreeSpace free, Predicate<Path> writable) {
        this.dir = dir;
        this.free = free;
        this.writable = writable;
    }

    boolean isPaused() {
        return reason != null;
    }

    /**
     * On the loop: a write failed. Pauses downloading and fails the reads waiting
     * ({@code failWaiting}: their pieces cannot be stored now).
     */
    void writeFailed(IOException e, Consumer<IOException> failWaiting) {
        boolean starts = reason == null;
        String line = writeFailed(e);
        if (line != null) {
            LOG.log(System.Logger.Level.WARNING, line);
        }
        if (starts) {
            failWaiting.accept(readFailure());
        }
    }

    /**
     * On the loop, each tick: while paused, ends the pause once it may end ({@code resumed}
     * then runs); {@code left}: the bytes still to download.
     */
    void tick(long pieceLength, long left, Runnable resumed) {
        if (!isPaused()) {
            return;
        }
        pausedTicks++;
        if (full) {
            if (pausedTicks % POLL_TICKS != 0) {
                return;
            }
            long room = Math.max(RESUME_FREE_BYTES, 2L * pieceLength); // a refill pauses again
            String line = poll(Math.min(room, left));
            if (line != null) {
                LOG.log(System.Logger.Level.INFO, line);
                resumed.run();
            }
        } else if (pausedTicks % RETRY_TICKS == 0 && retry()) {
            resumed.run();
        }
    }

    /**
     * On the loop: a write failed. The line to log when this starts a pause, else null (already
     * paused, or a retry that failed as the last pause did).
     */
    String writeFailed(IOException e) {
        if (reason != null) {
            return null;
        }
        full = DiskSpace.isFull(e);
        String message = e.getMessage();
        reason = message != null ? message : full ? "no space left" : e.getClass().getSimpleName();
        pausedTicks = 0;
        String line = describe() + "; downloading paused";
        if (line.equals(lastLine)) {
            return null;
        }
        lastLine = line;
        return line;
    }

    /**
     * On the loop, while paused by a full disk: ends the pause once {@code resumeAt} bytes are
     * free (room for the next pieces). The line to log when it ended, else null.
     */
    String poll(long resumeAt) {
        if (reason == null || !full) {
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
        lastLine = null;
        return String.format(Locale.ROOT, "%.1f MiB free again at %s; downloading resumed", bytes / 1048576.0, dir);
    }

    /**
     * On the loop, while paused by another error: ends the pause so that writes are tried
     * again, unless the directory is still not writable (a read-only file system says so
     * without a write). True when it ended.
     */
    boolean retry() {
        if (reason == null || full || !writable.test(dir)) {
            return false;
        }
        reason = null;
        return true;
    }

    /** The failure of a read of a piece that is not on disk, while paused. */
    IOException readFailure() {
        String r = reason;
        return new IOException(r == null ? "disk full at " + dir + ": no space left" : describe(r));
    }

    private String describe() {
        return describe(reason);
    }

    private String describe(String r) {
        return (full ? "disk full at " : "cannot write at ") + dir + ": " + r;
    }
}
