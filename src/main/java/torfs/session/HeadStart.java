package torfs.session;

import java.util.ArrayList;
import java.util.List;
import torfs.geometry.PieceRange;
import torfs.picker.FileEnds;
import torfs.picker.PiecePicker;
import torfs.picker.Priority;

/**
 * A full mount's head start: from its start until its first reader, the pieces a player reads
 * first ({@link FileEnds}: the files' heads and last pieces) are wished for as READAHEAD, the
 * first piece needed a second after the start, so the {@link torfs.picker.DeadlineScheduler}
 * places them on the peers expected to deliver them soonest, gives a peer not measured yet a
 * few blocks only, and moves blocks a slow peer holds late. As plain HIGH background they went
 * to whichever peers unchoked first: on a swarm with 60 KB/s seeders one of them held the first
 * piece's last blocks, and the first read waited ~0.3 s for them after the piece's other 60
 * blocks were in. (Half a second made no difference measured; two seconds, never urgent before
 * a player comes, lost the gain.)
 *
 * <p>Ends at the first reader's wish (its own deadlines then rule), when the background hold
 * ends, or when the default priority leaves NORMAL (a lazy mount fetches only what is read).
 * Confined to the torrent's loop.
 */
final class HeadStart {
    /** The first piece is needed by then... */
    static final long FIRST_DEADLINE_NANOS = 1_000_000_000L;
    /**
     * ...and each further one, in piece order across the runs (a file's head, its last piece,
     * the next file's), after the one before at this rate: 2 s of a 16 Mbit/s video in 0.5 s.
     */
    static final long PACE_BYTES_PER_SECOND = 8_000_000L;

    private final List<Object> owners = new ArrayList<>();

    /** Wishes for {@code ends} (runs in piece order); nothing if a head start is already on. */
    void begin(List<PieceRange> ends, int pieceLength, long now, Wishes wishes, PiecePicker picker) {
        if (!owners.isEmpty()) {
            return;
        }
        long perPiece = pieceLength * 1_000_000_000L / PACE_BYTES_PER_SECOND;
        long deadline = now + FIRST_DEADLINE_NANOS;
        for (PieceRange run : ends) {
            Object owner = new Object(); // one wish per owner
            owners.add(owner);
            wishes.set(owner, new Wishes.Wish(run, Priority.READAHEAD, deadline, perPiece, now), picker);
            deadline += run.count() * perPiece;
        }
    }

    boolean isOn() {
        return !owners.isEmpty();
    }

    /** Drops the wishes (the pieces fall back to HIGH, or to what a reader wishes); true if there were any. */
    boolean end(Wishes wishes, PiecePicker picker) {
        if (owners.isEmpty()) {
            return false;
        }
        for (Object owner : owners) {
            wishes.remove(owner, picker);
        }
        owners.clear();
        return true;
    }
}
