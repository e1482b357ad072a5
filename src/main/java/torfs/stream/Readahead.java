package torfs.stream;

/**
 * The readahead window of one open handle: two pieces after a seek, doubled each time a
 * sequential reader moves into a new piece, capped. A read counts as sequential when it starts
 * within one piece of where the previous read ended, so the kernel's own parallel readahead
 * (slightly out-of-order requests) does not look like a seek. Not thread-safe.
 */
final class Readahead {
    private final int pieceLength;
    private final long initial;
    private final long max;
    private long nextOffset = -1;
    private long lastPiece = -1;
    private long window;

    Readahead(int pieceLength, long max) {
        this.pieceLength = pieceLength;
        this.max = max;
        this.initial = Math.min(max, 2L * pieceLength);
    }

    /** Records a read of [offset, offset + length) and returns the window to keep after it. */
    long onRead(long offset, long length) {
        long end = offset + Math.max(1, length);
        long endPiece = (end - 1) / pieceLength;
        boolean sequential = nextOffset >= 0 && Math.abs(offset - nextOffset) <= pieceLength;
        if (!sequential) {
            window = initial;
            nextOffset = end;
        } else {
            if (endPiece > lastPiece) {
                window = Math.min(max, Math.max(initial, window * 2));
            }
            nextOffset = Math.max(nextOffset, end);
        }
        lastPiece = sequential ? Math.max(lastPiece, endPiece) : endPiece;
        return window;
    }

    /** Where the window starts: just past the furthest sequential read. */
    long windowStart() {
        return nextOffset;
    }

    long window() {
        return window;
    }
}
