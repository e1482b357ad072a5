package torfs.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import torfs.geometry.PieceGeometry;
import torfs.geometry.PieceRange;

/**
 * The eviction order from pictures: one character a piece, stored left to right (so the left is
 * the least recently used): {@code R} resident, {@code P} resident and pinned (a read or upload
 * holds it), {@code W} resident inside a reader's protected window, {@code .} not on disk.
 */
class PieceCacheTest {
    private static final int PIECE = 16 * 1024;
    private final Object window = new Object();

    private PieceCache cache(String picture, int capacityPieces) {
        PieceGeometry g = new PieceGeometry(PIECE, new long[] {(long) PIECE * picture.length()});
        PieceCache c = new PieceCache(g, (long) capacityPieces * PIECE);
        int wFirst = -1;
        int wEnd = -1;
        for (int i = 0; i < picture.length(); i++) {
            char ch = picture.charAt(i);
            if (ch != '.') {
                c.add(i);
            }
            if (ch == 'P') {
                c.pin(i);
            }
            if (ch == 'W') {
                wFirst = wFirst < 0 ? i : wFirst;
                wEnd = i + 1;
            }
        }
        if (wFirst >= 0) {
            c.protect(window, new PieceRange(wFirst, wEnd));
        }
        return c;
    }

    private static String picture(PieceCache c, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(!c.isResident(i) ? '.' : c.isPinned(i) ? 'P' : c.isProtected(i) ? 'W' : 'R');
        }
        return b.toString();
    }

    @Test
    void leastRecentlyStoredGoFirst() {
        PieceCache c = cache("RRRRRR..", 4);
        assertEquals(List.of(0, 1), c.evict(0, -1));
        assertEquals("..RRRR..", picture(c, 8));
        assertEquals(4L * PIECE, c.residentBytes());
    }

    @Test
    void pinnedPiecesAreSkipped() {
        PieceCache c = cache("RPRPRR", 3);
        assertEquals(List.of(0, 2, 4), c.evict(0, -1));
        assertEquals(".P.P.R", picture(c, 6));
    }

    @Test
    void everythingPinnedStaysOverCapacityUntilReleased() {
        PieceCache c = cache("PPPP", 2);
        assertEquals(List.of(), c.evict(0, -1));
        assertEquals("PPPP", picture(c, 4));
        c.unpin(2);
        assertEquals(List.of(2), c.evict(0, -1));
        assertEquals("PP.P", picture(c, 4));
    }

    @Test
    void aReadMovesAPieceToTheBack() {
        PieceCache c = cache("RRRR", 3);
        c.touch(0);
        assertEquals(List.of(1), c.evict(0, -1));
        assertEquals("R.RR", picture(c, 4));
    }

    @Test
    void aReadersWindowIsKept() {
        PieceCache c = cache("WWRRR.", 2);
        assertEquals(List.of(2, 3, 4), c.evict(0, -1));
        assertEquals("WW....", picture(c, 6));
        c.unprotect(window);
        c.add(5);
        assertEquals(List.of(0), c.evict(0, -1));
        assertEquals(".R...R", picture(c, 6));
    }

    @Test
    void theJustStoredPieceIsKeptEvenWhenItIsTheOnlyCandidate() {
        PieceCache c = cache("PPR", 2);
        assertEquals(List.of(), c.evict(0, 2));
        assertEquals("PPR", picture(c, 3));
    }

    @Test
    void piecesBeingDownloadedReserveRoom() {
        PieceCache c = cache("RRRR", 4);
        assertEquals(List.of(0, 1), c.evict(2L * PIECE, -1));
        assertEquals("..RR", picture(c, 4));
    }

    @Test
    void anEvictedPieceStoredAgainIsTheNewest() {
        PieceCache c = cache("RRR", 2);
        assertEquals(List.of(0), c.evict(0, -1));
        c.add(0);
        assertEquals(List.of(1), c.evict(0, 0));
        assertEquals("R.R", picture(c, 3));
    }

    @Test
    void unpinningWhatIsNotPinnedIsABug() {
        PieceCache c = cache("R", 1);
        assertThrows(IllegalStateException.class, () -> c.unpin(0));
    }
}
