package torfs.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ReadaheadTest {
    private static final int PIECE = 1 << 20;
    private static final long MS = 1_000_000L;
    private static final long CAP = 64L << 20;

    @Test
    void doublesPerPieceUntilThePaceIsKnownThenCoversTwentySecondsOfIt() {
        Readahead r = new Readahead(PIECE, CAP);
        long t = 0;
        long pos = 0;
        assertThat(r.onRead(pos, 131072, t)).isEqualTo(Readahead.INITIAL_BYTES);
        // 2 MB/s in 128 KiB reads: a read every 65.5 ms
        long window = 0;
        while (t < 900 * MS) {
            pos += 131072;
            t += 65_536_000L;
            window = r.onRead(pos, 131072, t);
        }
        assertThat(r.rate(t)).isZero(); // under a second of history: not known yet
        assertThat(window).isEqualTo(2 * Readahead.INITIAL_BYTES); // doubled on moving into the next piece
        while (t < 3000 * MS) {
            pos += 131072;
            t += 65_536_000L;
            window = r.onRead(pos, 131072, t);
        }
        assertThat(r.rate(t)).isCloseTo(2_000_000, within(50_000.0));
        assertThat(window).isCloseTo(40_000_000L, within(1_000_000L));
    }

    @Test
    void aSeekKeepsThePaceUntilTheNewPositionHasItsOwnAndAPauseLowersIt() {
        Readahead r = new Readahead(PIECE, CAP);
        long t = 0;
        long pos = 0;
        for (int i = 0; i < 40; i++) {
            r.onRead(pos, 131072, t);
            pos += 131072;
            t += 50 * MS; // 2.6 MB/s
        }
        double pace = r.rate(t);
        assertThat(pace).isGreaterThan(2_000_000);
        assertThat(r.rate(t + 2000 * MS)).as("two silent seconds").isLessThan(pace * 0.75);
        // a player that seeks keeps its bitrate: the window after the seek is sized by it
        long window = r.onRead(pos + 500L * PIECE, 131072, t);
        assertThat(r.rate(t)).isEqualTo(pace);
        assertThat(window).isEqualTo((long) (pace * Readahead.WINDOW_SECONDS));
        assertThat(r.windowStart()).isEqualTo(pos + 500L * PIECE + 131072);
    }

    @Test
    void aReaderThatNeverHadAPaceStartsWithTheInitialWindowAfterASeek() {
        Readahead r = new Readahead(PIECE, CAP);
        r.onRead(0, 4096, 0);
        assertThat(r.onRead(900L * PIECE, 4096, 10 * MS)).isEqualTo(Readahead.INITIAL_BYTES);
        assertThat(r.rate(10 * MS)).isZero();
    }

    @Test
    void aSlowReaderGetsAFewPiecesNotTheCap() {
        Readahead r = new Readahead(PIECE, CAP);
        long t = 0;
        long pos = 0;
        long window = 0;
        for (int i = 0; i < 100; i++) {
            window = r.onRead(pos, 16384, t);
            pos += 16384;
            t += 100 * MS; // 164 kB/s
        }
        assertThat(window).isBetween(2L * PIECE, 5L * PIECE); // 20 s of 164 kB/s: 3.3 MB
    }

    @Test
    void aProvenWindowRunsNoFurtherAheadThanHalfWhatTheReaderReadSinceItsLastSeek() {
        // a capped cache's: a 4 MiB read at a random offset fetches about 2 MiB it does not read,
        // not the 16 MiB an eager window would; a long sequential read earns the cap
        Readahead r = new Readahead(PIECE, 16L << 20, true);
        long t = 0;
        long pos = 100L * PIECE;
        assertThat(r.onRead(pos, 131072, t)).as("two pieces after a seek").isEqualTo(2L * PIECE);
        long window = 0;
        for (int i = 1; i < 32; i++) { // the rest of a 4 MiB range, read fast
            t += MS;
            window = r.onRead(pos + i * 131072L, 131072, t);
        }
        assertThat(window).as("half the 4 MiB read").isEqualTo(2L * PIECE);
        for (int i = 32; i < 64; i++) {
            t += MS;
            window = r.onRead(pos + i * 131072L, 131072, t);
        }
        assertThat(window).as("half of 8 MiB").isEqualTo(4L * PIECE);
        for (int i = 64; i < 32 * 8; i++) { // 32 MiB on: the whole cap
            t += MS;
            window = r.onRead(pos + i * 131072L, 131072, t);
        }
        assertThat(window).isEqualTo(16L << 20);
        assertThat(r.onRead(7L * PIECE, 131072, t + MS)).as("a seek starts over").isEqualTo(2L * PIECE);
    }

    /** Reads [pos, pos + length) in 128 KiB reads 1 ms apart; returns the furthest window end. */
    private static long readRun(Readahead r, long pos, long length, long[] clock) {
        long furthest = 0;
        for (long o = pos; o < pos + length; o += 131072) {
            clock[0] += MS;
            long window = r.onRead(o, Math.min(131072, pos + length - o), clock[0]);
            furthest = Math.max(furthest, r.windowStart() + window);
        }
        return furthest;
    }

    /** The end of the piece holding the byte before {@code end}. */
    private static long pieceEnd(long end) {
        return ((end - 1) / PIECE + 1) * PIECE;
    }

    @Test
    void afterTwoShortRunsAProvenWindowStopsAtThePieceHoldingTheThirdOnesEnd() {
        RunLengths runs = new RunLengths();
        long[] clock = {0};
        long run = 4L * PIECE + 131072; // dd's 4 MiB and the kernel's readahead past it
        long pos = 100L * PIECE + 12345L * 4096; // unaligned
        Readahead first = new Readahead(PIECE, 16L << 20, true, runs);
        assertThat(readRun(first, pos, run, clock)).as("the first run as before: half of it ahead")
                .isEqualTo(pos + run + 2L * PIECE + 65536);
        first.close(); // the handle is released: the run is remembered
        Readahead second = new Readahead(PIECE, 16L << 20, true, runs);
        pos = 300L * PIECE + 999L * 4096;
        readRun(second, pos, run, clock);
        // a seek backwards ends the second handle's run; it has read a little more this time
        long pos3 = 40L * PIECE + 77L * 4096;
        long run3 = run + 65536; // within a piece of the prediction: the same end
        long furthest = readRun(second, pos3, run3, clock);
        assertThat(furthest).as("nothing past the piece holding the run's end")
                .isLessThanOrEqualTo(pieceEnd(pos3 + run3)).isGreaterThanOrEqualTo(pos3 + run);
        second.close();
        // a fourth run on a fresh handle, at an offset aligned so its end piece is nearly empty
        Readahead fourth = new Readahead(PIECE, 16L << 20, true, runs);
        long pos4 = 500L * PIECE;
        assertThat(readRun(fourth, pos4, run, clock)).isLessThanOrEqualTo(pieceEnd(pos4 + run3));
    }

    @Test
    void aLongSequentialRunAfterShortOnesStillGrowsToTheFullWindow() {
        RunLengths runs = learned(4L * PIECE, 4L * PIECE);
        long[] clock = {0};
        Readahead r = new Readahead(PIECE, 16L << 20, true, runs);
        long pos = 10L * PIECE;
        assertThat(readRun(r, pos, 4L * PIECE, clock)).as("cut at the predicted end").isEqualTo(pos + 4L * PIECE);
        // past the prediction by more than a piece: half of what was read, as for any run
        readRun(r, pos + 4L * PIECE, PIECE + 131072, clock);
        assertThat(r.window()).isEqualTo((5L * PIECE + 131072) / 2);
        readRun(r, pos + 5L * PIECE + 131072, 32L * PIECE, clock);
        assertThat(r.window()).isEqualTo(16L << 20);
    }

    @Test
    void aPredictionShorterThanTheLeastWindowIsNotUsed() {
        // a reader that jumps around in small reads keeps the two pieces it had
        RunLengths runs = learned(65536, 131072);
        Readahead r = new Readahead(PIECE, 16L << 20, true, runs);
        assertThat(r.onRead(7L * PIECE, 65536, 0)).isEqualTo(2L * PIECE);
    }

    @Test
    void anEagerWindowIgnoresThePrediction() {
        RunLengths runs = learned(4L * PIECE, 4L * PIECE);
        long[] clock = {0};
        Readahead learned = new Readahead(PIECE, CAP, false, runs);
        Readahead fresh = new Readahead(PIECE, CAP, false);
        long[] freshClock = {0};
        assertThat(readRun(learned, 0, 4L * PIECE, clock)).isEqualTo(readRun(fresh, 0, 4L * PIECE, freshClock))
                .isGreaterThan(8L * PIECE);
    }

    /** Run lengths that already know these runs. */
    private static RunLengths learned(long... lengths) {
        RunLengths runs = new RunLengths();
        for (long l : lengths) {
            runs.record(l);
        }
        return runs;
    }
}
