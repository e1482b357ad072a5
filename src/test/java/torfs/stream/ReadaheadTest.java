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
}
