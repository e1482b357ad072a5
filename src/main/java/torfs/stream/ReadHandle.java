package torfs.stream;

import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;
import torfs.geometry.PieceRange;
import torfs.picker.Priority;
import torfs.session.PieceSource;

/**
 * One open file: reads through the {@link TorrentReader} and keeps a READAHEAD wish for the
 * window ahead of a sequential reader (this handle is the wish's owner, so the windows of
 * several handles combine in the source). The wish carries graded deadlines: each piece is
 * needed when the reader, at its measured pace, will get there ({@link #STARTUP_RATE} until
 * that pace is known), so the next seconds of playback come before the rest of the window and
 * the windows of several readers interleave by need. It is renewed as the reader moves, and at
 * least every {@link #RENEW_NANOS} while it reads. Closing drops the handle's wishes and ends
 * its read run (a proven window learns from it where runs on the file end).
 * Thread-safe.
 */
public final class ReadHandle implements AutoCloseable {
    /**
     * Pace assumed of a reader whose own is not known yet (bytes/s): faster than any video, so
     * the window right after an open or a seek counts as needed within the second.
     */
    static final double STARTUP_RATE = 8_000_000;
    /** A wish older than this is renewed on the next read, with fresh deadlines. */
    static final long RENEW_NANOS = 1_000_000_000L;

    private final TorrentReader reader;
    private final PieceSource source;
    private final long start;
    private final long end;
    private final Readahead readahead;
    private PieceRange wanted = PieceRange.EMPTY;
    private long wishedAt;
    private boolean closed;

    ReadHandle(TorrentReader reader, long start, long end) {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad handle range [" + start + ", " + end + ")");
        }
        this.reader = reader;
        this.source = reader.source();
        this.start = start;
        this.end = end;
        boolean proven = reader.config().provenReadahead();
        this.readahead = new Readahead(reader.geometry().pieceLength(), reader.config().readaheadMax(), proven,
                proven ? reader.runLengths(start) : new RunLengths());
    }

    /** Reads at global {@code offset}, clipped to the handle's range, with the read timeout. */
    public byte[] read(long offset, int length) throws ReadFailure {
        long deadline = reader.deadlineFromNow();
        if (offset < start || offset >= end || length <= 0) {
            return new byte[0];
        }
        int n = (int) Math.min(length, end - offset);
        updateReadahead(offset, n);
        return reader.read(offset, n, deadline, () -> false);
    }

    /**
     * As {@link #read(long, int)}, into {@code dst} (see
     * {@link TorrentReader#read(long, int, long, BooleanSupplier, ByteBuffer)}) and ending
     * early with INTERRUPTED when {@code cancelled} says so.
     *
     * @return how many bytes were read
     */
    public int read(long offset, int length, BooleanSupplier cancelled, ByteBuffer dst)
            throws ReadFailure {
        long deadline = reader.deadlineFromNow();
        if (offset < start || offset >= end || length <= 0) {
            return 0;
        }
        int n = (int) Math.min(length, end - offset);
        updateReadahead(offset, n);
        return reader.read(offset, n, deadline, cancelled, dst);
    }

    /** The current readahead window in bytes (0 before the first read, or at a run's predicted end). */
    public synchronized long window() {
        return readahead.window();
    }

    /** The pieces this handle currently asks for with READAHEAD. */
    public synchronized PieceRange wanted() {
        return wanted;
    }

    /** The reader's measured pace in bytes/s, 0 while unknown. */
    public synchronized double rate() {
        return readahead.rate(System.nanoTime());
    }

    private synchronized void updateReadahead(long offset, int length) {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        long window = readahead.onRead(offset, length, now);
        long from = readahead.windowStart();
        long to = Math.min(end, from + window);
        PieceRange range = from < to ? reader.geometry().piecesOf(from, to - from) : PieceRange.EMPTY;
        if (range.equals(wanted) && now - wishedAt < RENEW_NANOS) {
            return;
        }
        wanted = range;
        wishedAt = now;
        if (range.isEmpty()) {
            source.forget(this);
        } else {
            double pace = readahead.rate(now);
            if (pace <= 0) {
                pace = STARTUP_RATE;
            }
            long nanosPerPiece = (long) (reader.geometry().pieceLength() * 1e9 / pace);
            // the window's first piece holds the reader's position: needed now
            source.want(this, range, Priority.READAHEAD, now, nanosPerPiece);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            readahead.close(); // the run ends here: remembered for the file's next handles
            wanted = PieceRange.EMPTY;
            source.forget(this);
        }
    }
}
