package torfs.stream;

/**
 * The readahead window of one open handle and the pace it is read at. After an open the window
 * is two pieces or {@link #INITIAL_BYTES}, whichever is more, doubled each time a sequential
 * reader moves into a new piece; once the reader's consumption rate is known ({@link ReadRate},
 * which keeps it across a seek) the window is {@link #WINDOW_SECONDS} of it: a 2 MB/s video
 * gets 40 MB, a slow reader a few pieces, a bulk copy the cap. A read
 * counts as sequential when it starts within one piece of where the previous read ended, so
 * the kernel's own parallel readahead (slightly out-of-order requests) does not look like a
 * seek. A proven window (a capped cache's) runs no further ahead than half of what the reader
 * has read since its last seek, at least two pieces: a reader that has read L bytes in a row is
 * about as likely to stop within the next L as to go on (a 4 MiB range ends, a film does not),
 * so half of it bounds what a read at a random offset fetches and does not read, while a long
 * sequential read earns the full window within its first two windows' worth of bytes. A proven
 * window also learns where runs on its file end ({@link RunLengths}, shared by the file's
 * handles): while a run is within a piece of the predicted length R, the window stops at the
 * run's start + R (the piece holding that end is fetched, nothing past it), so a reader that
 * keeps reading 4 MiB ranges is not sent the 2 MiB after each; a run that goes on past R gets
 * half of what it read again, so a film played through after short runs loses its readahead
 * for about R bytes only. A prediction shorter than the least window is not used: a reader that
 * jumps around in small reads keeps its two pieces. Not thread-safe.
 */
final class Readahead {
    /** Seconds of the reader's consumption the window covers once its rate is known. */
    static final long WINDOW_SECONDS = 20;
    /** The least window after an open or a seek: a player's start buffer, a few seconds of video. */
    static final long INITIAL_BYTES = 4L << 20;
    /** A proven window is at most this share of the bytes read since the last seek: 1/2. */
    static final int PROOF_DIVISOR = 2;

    private final int pieceLength;
    private final long initial;
    private final long max;
    private final boolean proven;
    private final ReadRate rate = new ReadRate();
    /** Where earlier runs on this file ended (recorded always, used only when proven). */
    private final RunLengths runs;
    /** Where the current sequential run began (the last seek). */
    private long runStart;
    private long nextOffset = -1;
    private long lastPiece = -1;
    private long window;
    /** The window last returned: {@link #window} or, when proven, what the reader earned of it. */
    private long granted;

    Readahead(int pieceLength, long max) {
        this(pieceLength, max, false);
    }

    Readahead(int pieceLength, long max, boolean proven) {
        this(pieceLength, max, proven, new RunLengths());
    }

    Readahead(int pieceLength, long max, boolean proven, RunLengths runs) {
        this.pieceLength = pieceLength;
        this.runs = runs;
        this.max = max;
        this.proven = proven;
        this.initial = Math.min(max, proven ? 2L * pieceLength : Math.max(2L * pieceLength, INITIAL_BYTES));
    }

    /** Records a read of [offset, offset + length) at {@code now}; returns the window to keep. */
    long onRead(long offset, long length, long now) {
        long end = offset + Math.max(1, length);
        long endPiece = (end - 1) / pieceLength;
        boolean sequential = nextOffset >= 0 && Math.abs(offset - nextOffset) <= pieceLength;
        if (!sequential) {
            runEnded();
            window = initial;
            runStart = offset;
            nextOffset = end;
            rate.restart(end, now);
        } else {
            if (endPiece > lastPiece) {
                window = Math.min(max, Math.max(initial, window * 2));
            }
            nextOffset = Math.max(nextOffset, end);
            rate.advanced(nextOffset, now);
        }
        lastPiece = sequential ? Math.max(lastPiece, endPiece) : endPiece;
        double r = rate.bytesPerSecond(now);
        if (r > 0) {
            window = Math.min(max, Math.max(initial, (long) Math.min(Long.MAX_VALUE / 2.0, r * WINDOW_SECONDS)));
        }
        // the eager window keeps growing underneath; a proven one shows only what was earned
        granted = proven ? endOfRunCut(Math.min(window, Math.max(initial, (nextOffset - runStart) / PROOF_DIVISOR)))
                : window;
        return granted;
    }

    /** The handle is released: its run is over. */
    void close() {
        runEnded();
        nextOffset = -1;
    }

    private void runEnded() {
        if (nextOffset >= 0) {
            runs.record(nextOffset - runStart);
        }
    }

    /** A proven window cut at the predicted end of the run, while the run has not passed it. */
    private long endOfRunCut(long earned) {
        long predicted = runs.predicted();
        long ran = nextOffset - runStart;
        if (predicted < initial || ran > predicted + pieceLength) { // within a piece: the same end
            return earned;
        }
        return Math.min(earned, Math.max(0, runStart + predicted - nextOffset));
    }

    /** Where the window starts: just past the furthest sequential read. */
    long windowStart() {
        return nextOffset;
    }

    long window() {
        return granted;
    }

    /** The reader's consumption in bytes/s, 0 while unknown. */
    double rate(long now) {
        return rate.bytesPerSecond(now);
    }
}
