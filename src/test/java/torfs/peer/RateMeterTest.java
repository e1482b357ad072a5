package torfs.peer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateMeterTest {
    private static final long MS = 1_000_000L;

    @Test
    void aStartedMeterHasARateAtItsFirstTick() {
        RateMeter m = new RateMeter();
        m.start(0);
        m.add(600_000);
        m.tick(600 * MS);
        assertThat(m.bytesPerSecond()).isEqualTo(1_000_000);
    }

    @Test
    void withoutAStartTheFirstTickOnlyStartsTheCount() {
        RateMeter m = new RateMeter();
        m.add(600_000);
        m.tick(600 * MS);
        assertThat(m.bytesPerSecond()).isZero();
        m.add(400_000);
        m.tick(1600 * MS);
        assertThat(m.bytesPerSecond()).isEqualTo(1_000_000); // both adds over the one second counted
    }

    @Test
    void aFirstWindowTooShortToSayAnythingWaitsForTheNextTick() {
        RateMeter m = new RateMeter();
        m.start(0);
        m.add(100_000);
        m.tick(50 * MS); // one burst in 50 ms would read as 2 MB/s
        assertThat(m.bytesPerSecond()).isZero();
        m.add(900_000);
        m.tick(1050 * MS);
        assertThat(m.bytesPerSecond()).isEqualTo(952_380); // 1 MB over the whole 1.05 s
    }

    @Test
    void laterTicksAverageHalfAndHalf() {
        RateMeter m = new RateMeter();
        m.start(0);
        m.add(1_000_000);
        m.tick(1000 * MS);
        m.add(3_000_000);
        m.tick(2000 * MS);
        assertThat(m.bytesPerSecond()).isEqualTo(2_000_000);
        assertThat(m.total()).isEqualTo(4_000_000);
    }
}
