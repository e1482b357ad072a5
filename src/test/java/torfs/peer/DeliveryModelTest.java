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
        // the first answer's bytes count with no time of their own: a little high at first
        assertThat(m.measuredRate()).isCloseTo(BLOCK / 0.005, within(BLOCK / 0.005 * 0.15));
        assertThat(m.delayNanos()).as("an upper bound until a rate was known").isEqualTo(50 * MS);
        // ten idle seconds, then a new busy spell at the same pace: the rate does not sag
        long t0 = t + 10_000 * MS;
        m.requested(BLOCK, t0);
        m.requested(BLOCK, t0);
        m.arrived(BLOCK, t0, t0 + 50 * MS);
        m.arrived(BLOCK, t0, t0 + 55 * MS);
        assertThat(m.measuredRate()).isCloseTo(BLOCK / 0.005, within(BLOCK / 0.005 * 0.15));
        assertThat(m.delayNanos()).as("now less the block's transfer").isBetween(44 * MS, 47 * MS);
    }

    @Test
    void aSingleAnswerGivesADelayButNoRate() {
        assertThat(m.isMeasured()).isFalse();
        assertThat(m.rate(0, 123_456)).isEqualTo(123_456);
        m.requested(BLOCK, 0);
        m.arrived(BLOCK, 0, 270 * MS);
        assertThat(m.isMeasured()).isFalse();
        assertThat(m.delayNanos()).isEqualTo(270 * MS); // an upper bound until a rate is known
        // no measured rate, but that one answer already shows at most 16 KiB per 220 ms (its
        // latency less the 50 ms delay assumed): less than the prior, so that is believed
        assertThat(m.rate(300 * MS, 123_456)).isCloseTo(BLOCK / 0.22, within(1.0));
        assertThat(m.rate(300 * MS, 50_000)).isEqualTo(50_000);
        assertThat(m.isMeasured()).isFalse();
        // the next spell's answers give the rate once four came over 20 ms
        for (int i = 0; i < 4; i++) {
            m.requested(BLOCK, 1000 * MS);
        }
        m.arrived(BLOCK, 1000 * MS, 1060 * MS);
        m.arrived(BLOCK, 1000 * MS, 1070 * MS);
        assertThat(m.isMeasured()).as("few answers say little").isFalse();
        m.arrived(BLOCK, 1000 * MS, 1080 * MS);
        m.arrived(BLOCK, 1000 * MS, 1090 * MS);
        assertThat(m.isMeasured()).isTrue();
        // below the spacing's 1.6 MB/s: the lone first answer's 270 ms counted, less the 50 ms
        // delay assumed while nothing better was known
        assertThat(m.measuredRate()).isBetween(250_000.0, BLOCK / 0.01);
    }

    @Test
    void aStallThenAClumpOfAnswersIsNotTakenForSpeed() {
        for (int i = 0; i < 4; i++) {
            m.requested(BLOCK, 0);
        }
        // nothing for two seconds (a lost packet, a retransmission timeout), then all at once
        m.arrived(BLOCK, 0, 2000 * MS);
        m.arrived(BLOCK, 0, 2001 * MS);
        m.arrived(BLOCK, 0, 2001 * MS);
        m.arrived(BLOCK, 0, 2100 * MS);
        assertThat(m.isMeasured()).isTrue();
        assertThat(m.measuredRate()).isLessThan(4 * BLOCK / 1.9);
    }

    @Test
    void aPeerSilentWhileOwingUsDataIsExpectedSlowerTheLongerItIsSilent() {
        for (int i = 0; i < 8; i++) {
            m.requested(BLOCK, 0);
        }
        for (int i = 0; i < 7; i++) {
            m.arrived(BLOCK, 0, (10 + 5 * i) * MS); // 3.28 MB/s, one block still owed
        }
        double fast = m.rate(40 * MS, 1);
        assertThat(fast).isCloseTo(BLOCK / 0.005, within(BLOCK / 0.005 * 0.35));
        assertThat(m.rate(41 * MS, 1)).isEqualTo(fast);
        // one block per second of silence beyond the grace
        assertThat(m.rate(1040 * MS + DeliveryModel.SILENCE_GRACE_NANOS, 1)).isCloseTo(BLOCK, within(1.0));
        assertThat(m.arrival(BLOCK, 0, 1040 * MS, 1)).isGreaterThan(1900 * MS);
        // once nothing is owed, silence says nothing
        m.withdrawn(BLOCK, 1040 * MS);
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
        assertThat(m.measuredRate()).isCloseTo(BLOCK / 0.01, within(BLOCK / 0.01 * 0.35));
        assertThat(m.delayNanos()).isEqualTo(30 * MS); // the first latency: no rate was known
    }

    @Test
    void aPeerStillSendingWhatWeWithdrewIsNotSilent() {
        for (int i = 0; i < 8; i++) {
            m.requested(BLOCK, 0);
        }
        for (int i = 0; i < 8; i++) {
            m.arrived(BLOCK, 0, (10 + 5 * i) * MS);
        }
        double fast = m.measuredRate();
        // a seek: new requests, while the peer drains 300 ms of data we cancelled
        m.requested(BLOCK, 100 * MS);
        for (int i = 1; i <= 60; i++) {
            m.arrivedLate(BLOCK, (100 + 5 * i) * MS);
        }
        assertThat(m.rate(400 * MS, 1)).as("not capped as a silent peer").isGreaterThan(fast / 2);
        assertThat(m.owed()).isEqualTo(BLOCK);
        assertThat(m.received()).isEqualTo(68L * BLOCK);
    }
}
