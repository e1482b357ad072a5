package torfs.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ReadRateTest {
    private static final long MS = 1_000_000L;
    private static final long MB = 1_000_000L;

    /** Reads 2 MB/s in 100 ms steps from {@code from} for {@code millis}; returns the end time. */
    private static long play(ReadRate rate, long start, long from, long millis) {
        long t = start;
        for (long ms = 0; ms <= millis; ms += 100) {
            t = start + ms * MS;
            rate.advanced(from + 2 * MB * ms / 1000, t);
        }
        return t;
    }

    @Test
    void unknownUntilASecondOfReadingThenThePlayersBitrate() {
        ReadRate rate = new ReadRate();
        long t = play(rate, 0, 0, 900);
        assertThat(rate.bytesPerSecond(t)).isZero();
        t = play(rate, 0, 0, 3_000);
        assertThat(rate.bytesPerSecond(t)).isCloseTo(2e6, within(1e4));
    }

    @Test
    void onlyTheLastFourSecondsCount() {
        ReadRate rate = new ReadRate();
        // a cache fill at 20 MB/s, then playback at 2 MB/s
        for (int i = 0; i <= 10; i++) {
            rate.advanced(i * 2 * MB, i * 100 * MS);
        }
        long t = play(rate, 1_100 * MS, 20 * MB, 8_000);
        assertThat(rate.bytesPerSecond(t)).isCloseTo(2e6, within(1e5));
    }

    @Test
    void aPausedReaderSlowsDown() {
        ReadRate rate = new ReadRate();
        long t = play(rate, 0, 0, 2_000);
        assertThat(rate.bytesPerSecond(t + 2_000 * MS)).isCloseTo(1e6, within(1e4)); // 4 MB over 4 s
    }

    @Test
    void aSeekKeepsThePaceUntilTheNewPositionHasItsOwn() {
        ReadRate rate = new ReadRate();
        long t = play(rate, 0, 0, 3_000);
        rate.restart(500 * MB, t);
        assertThat(rate.bytesPerSecond(t + 50 * MS)).isCloseTo(2e6, within(1e4));
        // at the new position it reads at 1 MB/s; after a second that is the pace
        for (long ms = 100; ms <= 1_500; ms += 100) {
            rate.advanced(500 * MB + MB * ms / 1000, t + ms * MS);
        }
        assertThat(rate.bytesPerSecond(t + 1_500 * MS)).isCloseTo(1e6, within(1e4));
    }

    @Test
    void aBackwardReadDoesNotCountAsProgress() {
        ReadRate rate = new ReadRate();
        long t = play(rate, 0, 0, 2_000);
        rate.advanced(0, t + 100 * MS); // a re-read of the header
        assertThat(rate.bytesPerSecond(t + 100 * MS)).isCloseTo(4e6 / 2.1, within(1e4));
    }
}
