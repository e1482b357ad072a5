package torfs.stream;

import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;
import torfs.geometry.PieceRange;
import torfs.picker.Priority;
import torfs.session.PieceSource;

/**
 * One open file: reads through the {@link TorrentReader} and keeps a READAHEAD wish for the
 * window ahead of a sequential reader (this handle is the wish's owner, so the windows of
 * several handles combine in the source). Closing drops the handle's wishes. Thread-safe.
 */
public final class ReadHandle implements AutoCloseable {
    private final TorrentReader reader;
    private final PieceSource source;
    private final long start;
    private final long end;
    private final Readahead readahead;
    private PieceRange wanted = PieceRange.EMPTY;
    private boolean closed;

    ReadHandle(TorrentReader reader, long start, long end) {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad handle range [" + start + ", " + end + ")");
        }
        this.reader = reader;
        this.source = reader.source();
        this.start = start;
        this.end = end;
        this.readahead = new Readahead(reader.geometry().pieceLength(), reader.config().readaheadMax());
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

    /** The current readahead window in bytes (0 before the first read). */
    public synchronized long window() {
        return readahead.window();
    }

    /** The pieces this handle currently asks for with READAHEAD. */
    public synchronized PieceRange wanted() {
        return wanted;
    }

    private synchronized void updateReadahead(long offset, int length) {
        if (closed) {
            return;
        }
        long window = readahead.onRead(offset, length);
        long from = readahead.windowStart();
        long to = Math.min(end, from + window);
        PieceRange range = from < to ? reader.geometry().piecesOf(from, to - from) : PieceRange.EMPTY;
        if (range.equals(wanted)) {
            return;
        }
        wanted = range;
        if (range.isEmpty()) {
            source.forget(this);
        } else {
            source.want(this, range, Priority.READAHEAD, 0L);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            wanted = PieceRange.EMPTY;
            source.forget(this);
        }
    }
}
