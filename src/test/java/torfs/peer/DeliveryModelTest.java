package torfs.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DeliveryModelTest {
    private static final int BLOCK = 16384;
    private static final long MS = 1_000_000L;
    private final DeliveryModel m = new DeliveryModel();

    @Test
    void rateComesFromSpacedAnswersNotFromTheFirstAnswersDelayOrIdleGaps() {
        for (int i = 0; i < 8; i++) {
            m.requested(BLOCK, 0);
        }
        // first answer 50 ms after the requests, then one every 5 ms: 3.28 MB/s
        long t = 50 * MS;
        for (int i = 0; i < 8; i++) {
            m.arrived(BLOCK, 0, t);
            t += 5 * MS;
        }
        assertThat(m.owed()).isZero();
        assertThat(m.measuredRate()).isCloseTo(BLOCK / 0.005, within(BLOCK / 0.005 * 0.01));
        assertThat(m.delayNanos()).isBetween(40 * MS, 50 * MS);
        // ten idle seconds, then a new busy spell at the same pace: the rate does not sag
        long t0 = t + 10_000 * MS;
        m.requested(BLOCK, t0);
        m.requested(BLOCK, t0);
        m.arrived(BLOCK, t0, t0 + 50 * MS);
        m.arrived(BLOCK, t0, t0 + 55 * MS);
        assertThat(m.measuredRate()).isCloseTo(BLOCK / 0.005, within(BLOCK / 0.005 * 0.01));
    }

    @Test
    void aSingleAnswerGivesADelayButNoRate() {
        assertThat(m.isMeasured()).isFalse();
        assertThat(m.rate(0, 123_456)).isEqualTo(123_456);
        m.requested(BLOCK, 0);
        m.arrived(BLOCK, 0, 270 * MS);
        assertThat(m.isMeasured()).isFalse();
        assertThat(m.delayNanos()).isEqualTo(270 * MS); // an upper bound until a rate is known
        assertThat(m.rate(300 * MS, 123_456)).isEqualTo(123_456);
        // the next spell's answers give the rate once three blocks came spaced, and the first
        // latency's delay is revised
        for (int i = 0; i < 4; i++) {
            m.requested(BLOCK, 1000 * MS);
        }
        m.arrived(BLOCK, 1000 * MS, 1270 * MS);
        m.arrived(BLOCK, 1000 * MS, 1280 * MS);
        m.arrived(BLOCK, 1000 * MS, 1290 * MS);
        assertThat(m.isMeasured()).as("two spaced answers say little").isFalse();
        m.arrived(BLOCK, 1000 * MS, 1300 * MS);
        assertThat(m.isMeasured()).isTrue();
        assertThat(m.measuredRate()).isCloseTo(BLOCK / 0.01, within(1.0));
        assertThat(m.delayNanos()).isBetween(200 * MS, 270 * MS);
    }

    @Test
    void aPeerSilentWhileOwingUsDataIsExpectedSlowerTheLongerItIsSilent() {
        for (int i = 0; i < 5; i++) {
            m.requested(BLOCK, 0);
        }
        for (int i = 0; i < 4; i++) {
            m.arrived(BLOCK, 0, (10 + 5 * i) * MS); // 3.28 MB/s, one block still owed
        }
        double fast = m.rate(25 * MS, 1);
        assertThat(fast).isCloseTo(BLOCK / 0.005, within(1.0));
        assertThat(m.rate(26 * MS, 1)).isEqualTo(fast);
        assertThat(m.rate(1025 * MS, 1)).isCloseTo(BLOCK, within(1.0)); // one block per silent second
        assertThat(m.arrival(BLOCK, 0, 1025 * MS, 1)).isGreaterThan(2000 * MS);
        // once nothing is owed, silence says nothing
        m.withdrawn(BLOCK, 1025 * MS);
        assertThat(m.owed()).isZero();
        assertThat(m.rate(5000 * MS, 1)).isEqualTo(fast);
    }

    @Test
    void aQueuedBlockArrivesAfterTheBytesAheadOfIt() {
        for (int i = 0; i < 6; i++) {
            m.requested(BLOCK, 0);
        }
        for (int i = 0; i < 4; i++) {
            m.arrived(BLOCK, 0, (20 + 10 * i) * MS); // 1.64 MB/s, delay ~10 ms
        }
        double rate = m.rate(50 * MS, 1);
        long delay = m.delayNanos();
        // the last of the two still owed: 2 blocks through it, sent long ago
        assertThat(m.arrival(2L * BLOCK, 0, 50 * MS, 1)).isEqualTo(50 * MS + (long) (2 * BLOCK * 1e9 / rate));
        // a new request waits the delay, then for what is ahead of it
        assertThat(m.arrivalOfNew(2L * BLOCK, BLOCK, 50 * MS, 1))
                .isEqualTo(50 * MS + delay + (long) (3 * BLOCK * 1e9 / rate));
    }

    @Test
    void withdrawnRequestsAreNoLongerOwed() {
        m.requested(BLOCK, 0);
        m.requested(BLOCK, 0);
        m.withdrawn(BLOCK, 1);
        assertThat(m.owed()).isEqualTo(BLOCK);
        m.withdrawn(BLOCK, 2);
        m.withdrawn(BLOCK, 3);
        assertThat(m.owed()).isZero();
        assertThat(m.received()).isZero();
    }

    @Test
    void worksOnANegativeClock() {
        long t = Long.MIN_VALUE / 2; // System.nanoTime() may be negative
        for (int i = 0; i < 4; i++) {
            m.requested(BLOCK, t);
        }
        for (int i = 0; i < 4; i++) {
            m.arrived(BLOCK, t, t + (30 + 10 * i) * MS);
        }
        assertThat(m.measuredRate()).isCloseTo(BLOCK / 0.01, within(1.0));
        assertThat(m.delayNanos()).isEqualTo(20 * MS);
    }
}
