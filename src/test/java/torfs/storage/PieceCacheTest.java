package torfs.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    private static PieceGeometry geometry(int pieces) {
        return new PieceGeometry(PIECE, new long[] {(long) PIECE * pieces});
    }

    private static List<Integer> pieces(List<PieceCache.Slot> slots) {
        return slots.stream().map(PieceCache.Slot::piece).toList();
    }

    /** The cache of the last {@link #cache} picture. */
    private PieceCache single;

    private PieceCache.Part cache(String picture, int capacityPieces) {
        single = new PieceCache((long) capacityPieces * PIECE);
        PieceCache.Part c = single.join(geometry(picture.length()));
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

    private static String picture(PieceCache.Part c, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(!c.isResident(i) ? '.' : c.isPinned(i) ? 'P' : c.isProtected(i) ? 'W' : 'R');
        }
        return b.toString();
    }

    @Test
    void leastRecentlyStoredGoFirst() {
        PieceCache.Part c = cache("RRRRRR..", 4);
        assertEquals(List.of(0, 1), pieces(c.evict(-1)));
        assertEquals("..RRRR..", picture(c, 8));
        assertEquals(4L * PIECE, c.residentBytes());
    }

    @Test
    void pinnedPiecesAreSkipped() {
        PieceCache.Part c = cache("RPRPRR", 3);
        assertEquals(List.of(0, 2, 4), pieces(c.evict(-1)));
        assertEquals(".P.P.R", picture(c, 6));
    }

    @Test
    void everythingPinnedStaysOverCapacityUntilReleased() {
        PieceCache.Part c = cache("PPPP", 2);
        assertEquals(List.of(), pieces(c.evict(-1)));
        assertEquals("PPPP", picture(c, 4));
        c.unpin(2);
        assertEquals(List.of(2), pieces(c.evict(-1)));
        assertEquals("PP.P", picture(c, 4));
    }

    @Test
    void aReadMovesAPieceToTheBack() {
        PieceCache.Part c = cache("RRRR", 3);
        c.touch(0);
        assertEquals(List.of(1), pieces(c.evict(-1)));
        assertEquals("R.RR", picture(c, 4));
    }

    @Test
    void aReadersWindowIsKept() {
        PieceCache.Part c = cache("WWRRR.", 2);
        assertEquals(List.of(2, 3, 4), pieces(c.evict(-1)));
        assertEquals("WW....", picture(c, 6));
        c.unprotect(window);
        c.add(5);
        assertEquals(List.of(0), pieces(c.evict(-1)));
        assertEquals(".R...R", picture(c, 6));
    }

    @Test
    void theJustStoredPieceIsKeptEvenWhenItIsTheOnlyCandidate() {
        PieceCache.Part c = cache("PPR", 2);
        assertEquals(List.of(), pieces(c.evict(2)));
        assertEquals("PPR", picture(c, 3));
    }

    @Test
    void piecesBeingDownloadedReserveRoom() {
        PieceCache.Part c = cache("RRRR", 4);
        c.reserve(2L * PIECE);
        assertEquals(List.of(0, 1), pieces(c.evict(-1)));
        assertEquals("..RR", picture(c, 4));
    }

    @Test
    void aNewPieceWaitsForEvictedBytesStillOnDisk() {
        PieceCache.Part c = cache("RRRR", 4);
        assertTrue(c.mayStart(PIECE), "nothing leaving: eviction alone keeps the cap");
        c.reserve(2L * PIECE);
        assertEquals(List.of(0, 1), pieces(c.evict(-1)));
        assertEquals(2L * PIECE, single.leavingBytes());
        assertFalse(c.mayStart(2L * PIECE), "2 resident + 2 leaving + 2 downloading > 4");
        c.punched(0);
        assertFalse(c.mayStart(2L * PIECE), "2 resident + 1 leaving + 2 downloading > 4");
        c.reserve(PIECE);
        assertTrue(c.mayStart(PIECE), "2 resident + 1 leaving + 1 downloading fit");
        c.punched(1);
        assertEquals(0, single.leavingBytes());
        assertTrue(c.mayStart(3L * PIECE), "nothing leaving: past the cap is eviction's call");
    }

    @Test
    void evictionDoesNotCountLeavingBytes() {
        PieceCache.Part c = cache("RRRR", 3);
        assertEquals(List.of(0), pieces(c.evict(-1)));
        c.add(0);
        assertEquals(List.of(1), pieces(c.evict(0)), "one victim per stored piece, not two");
        assertEquals(2L * PIECE, single.leavingBytes());
    }

    @Test
    void anEvictedPieceStoredAgainIsTheNewest() {
        PieceCache.Part c = cache("RRR", 2);
        assertEquals(List.of(0), pieces(c.evict(-1)));
        c.add(0);
        assertEquals(List.of(1), pieces(c.evict(0)));
        assertEquals("R.R", picture(c, 3));
    }

    /** One piece of room: piece 0 read, evicted for piece 1 (never read), stored again in its place. */
    private PieceCache.Part zeroReadEvictedAndStoredAgain() {
        PieceCache.Part c = cache("R.", 1);
        c.read(0);
        c.add(1);
        assertEquals(List.of(0), pieces(c.evict(1)));
        c.add(0);
        assertEquals(List.of(1), pieces(c.evict(0)));
        return c;
    }

    @Test
    void aPieceReadEvictedAndReadAgainIsThePriceOfTheCap() {
        PieceCache.Part c = zeroReadEvictedAndStoredAgain();
        assertEquals(new PieceCache.Refetches(2L * PIECE, PIECE, PIECE, PIECE), c.refetches(), "not read again yet");
        c.read(0);
        c.read(0);
        assertEquals(new PieceCache.Refetches(2L * PIECE, PIECE, PIECE, 0), c.refetches());
    }

    @Test
    void aPieceEvictedUnreadAndStoredAgainWasFetchedTwiceForNothing() {
        PieceCache.Part c = cache("RRR", 2);
        c.touch(0); // an upload uses it: no reader read it
        c.read(2);
        assertEquals(List.of(1), pieces(c.evict(-1)));
        c.add(1);
        assertEquals(List.of(0), pieces(c.evict(1)));
        c.add(0);
        assertEquals(List.of(2), pieces(c.evict(0)));
        assertEquals(new PieceCache.Refetches(3L * PIECE, 2L * PIECE, 2L * PIECE, 2L * PIECE), c.refetches());
    }

    @Test
    void aReadCountsForTheCopyOnDiskOnly() {
        PieceCache.Part c = zeroReadEvictedAndStoredAgain(); // fetched again for a read...
        c.add(1);
        assertEquals(List.of(0), pieces(c.evict(1))); // ...that never came: this copy goes unread
        c.add(0);
        c.read(0); // a first copy never read: reading this one does not make it a read again
        assertEquals(new PieceCache.Refetches(3L * PIECE, 2L * PIECE, 3L * PIECE, 3L * PIECE), c.refetches());
    }

    @Test
    void aReadInTheMomentBetweenVerifiedAndStoredCounts() {
        PieceCache.Part c = cache("R.", 1);
        c.read(1); // the reader leased it as it was verified; the cache hears of it next
        c.add(1);
        assertEquals(List.of(0), pieces(c.evict(1)));
        c.read(0);
        c.add(0);
        assertEquals(List.of(1), pieces(c.evict(0)), "read, so evicted as any read piece");
        c.add(1);
        assertEquals(new PieceCache.Refetches(2L * PIECE, PIECE, 2L * PIECE, 2L * PIECE), c.refetches(),
                "neither read again yet");
        c.read(1);
        c.read(0);
        assertEquals(new PieceCache.Refetches(2L * PIECE, PIECE, 2L * PIECE, PIECE), c.refetches(),
                "0's first copy went unread; 1 was read both times");
    }

    @Test
    void dataFoundOnDiskCostsNothingWhenEvicted() {
        PieceCache.Part c = new PieceCache(PIECE).join(geometry(3));
        c.addFound(List.of(0, 1));
        assertEquals(List.of(0), pieces(c.evict(-1)));
        c.add(0);
        assertEquals(List.of(1), pieces(c.evict(0)));
        c.read(0);
        assertEquals(new PieceCache.Refetches(2L * PIECE, 0, PIECE, 0), c.refetches());
    }

    @Test
    void unpinningWhatIsNotPinnedIsABug() {
        PieceCache.Part c = cache("R", 1);
        assertThrows(IllegalStateException.class, () -> c.unpin(0));
    }

    // ---- one budget, two torrents: "a2" is piece 2 of torrent a; stored in the order given ----

    private PieceCache shared;
    private PieceCache.Part a;
    private PieceCache.Part b;

    private void twoTorrents(int capacityPieces, String stored) {
        shared = new PieceCache((long) capacityPieces * PIECE);
        a = shared.join(geometry(4));
        b = shared.join(geometry(4));
        for (String s : stored.split(" ")) {
            (s.charAt(0) == 'a' ? a : b).add(Integer.parseInt(s.substring(1)));
        }
    }

    private static String slots(List<PieceCache.Slot> out, PieceCache.Part a) {
        return String.join(" ", out.stream().map(s -> (s.part() == a ? "a" : "b") + s.piece()).toList());
    }

    @Test
    void theLeastRecentlyUsedPieceOfAnyTorrentGoesFirst() {
        twoTorrents(4, "a0 b0 a1 b1 a2 b2");
        assertEquals("a0 b0", slots(shared.evict(null, -1), a));
        assertEquals(".RR.", picture(a, 4));
        assertEquals(".RR.", picture(b, 4));
        assertEquals(4L * PIECE, shared.residentBytes());
    }

    @Test
    void aTorrentBeingReadKeepsItsPiecesOverAnIdleOne() {
        twoTorrents(4, "a0 a1 a2 b0 b1 b2");
        a.touch(0);
        a.touch(1);
        assertEquals("a2 b0", slots(shared.evict(null, -1), a));
        assertEquals("RR..", picture(a, 4));
        assertEquals(".RR.", picture(b, 4));
    }

    @Test
    void piecesHeldInEitherTorrentAreSkipped() {
        twoTorrents(2, "a0 b0 a1 b1");
        a.pin(0);
        b.protect(window, new PieceRange(0, 1));
        assertEquals("a1 b1", slots(shared.evict(null, -1), a));
        assertEquals("P...", picture(a, 4));
        assertEquals("W...", picture(b, 4));
    }

    @Test
    void theJustStoredPieceOfOneTorrentIsKeptWhileTheOtherPays() {
        twoTorrents(2, "b0 b1 a0");
        assertEquals("b0", slots(a.evict(0), a));
        assertEquals("R...", picture(a, 4));
    }

    @Test
    void everyTorrentsReserveCounts() {
        twoTorrents(4, "a0 a1 b0 b1");
        a.reserve(PIECE);
        b.reserve(PIECE);
        assertEquals("a0 a1", slots(shared.evict(null, -1), a));
        b.reserve(0);
        a.reserve(0);
        b.add(2);
        b.add(3);
        assertEquals("", slots(shared.evict(null, -1), a));
    }

    @Test
    void aTorrentThatLeavesGivesItsBytesBack() {
        twoTorrents(4, "a0 a1 b0 b1 b2");
        b.reserve(PIECE);
        b.leave();
        assertEquals(2L * PIECE, shared.residentBytes());
        assertEquals("", slots(shared.evict(null, -1), a));
        b.add(3); // stored after the stop: outside the budget
        a.add(2);
        a.add(3);
        assertEquals("", slots(shared.evict(null, -1), a));
        a.add(3); // again: a touch, not a second piece's bytes
        assertEquals(4L * PIECE, shared.residentBytes());
        assertEquals("....", picture(b, 4));
        b.pin(1);
        b.unpin(1); // pins of open reads still balance after the leave
    }

    @Test
    void dataFoundOnDiskIsOlderThanAnythingRead() {
        twoTorrents(4, "a0 a1");
        b.addFound(List.of(0, 1, 2));
        assertEquals("b0", slots(shared.evict(null, -1), a));
        assertEquals("RR..", picture(a, 4));
        assertEquals(".RR.", picture(b, 4));
    }
}
