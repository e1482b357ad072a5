package torfs.transport.utp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** LEDBAT, the base delay and the retransmission timer, from tables. */
class UtpCongestionTest {
    @ParameterizedTest(name = "cwnd {0}, {1} B acked at {2} us delay -> {3}")
    @CsvSource({
            // window, acked, queuing delay (us), window after: gain 3000 * (100ms - delay)/100ms * acked/window
            "30000, 1400, 0, 30140",        // no queue: +3000 * 1 * 1400/30000
            "30000, 30000, 0, 33000",       // a whole window acked with no queue: +3000
            "30000, 30000, 50000, 31500",   // half the target: +1500
            "30000, 30000, 100000, 30000",  // at the target: unchanged
            "30000, 30000, 200000, 27000",  // 100 ms over: -3000
            "2000, 1400, 1000000, 1400",    // never under one packet
            "4194304, 1400, 0, 4194304",    // never over the cap
    })
    void ledbatWindowFollowsTheDelayTarget(long window, long acked, long delay, long after) {
        Ledbat l = new Ledbat(window);
        l.onAck(acked, delay);
        assertThat(l.window()).isEqualTo(after);
    }

    @Test
    void lossHalvesTheWindowAndTimeoutDropsItToOnePacket() {
        Ledbat l = new Ledbat(40_000);
        l.onLoss();
        assertThat(l.window()).isEqualTo(20_000);
        l.onTimeout();
        assertThat(l.window()).isEqualTo(UtpConnection.MAX_PAYLOAD);
        l.onLoss();
        assertThat(l.window()).isEqualTo(UtpConnection.MAX_PAYLOAD);
    }

    @Test
    void baseDelayIsTheLeastOfTheLastTwoMinutes() {
        long min = BaseDelay.MINUTE_MICROS;
        BaseDelay d = new BaseDelay();
        d.add(5_000, 0);
        d.add(3_000, 1_000);
        assertThat(d.above(53_000)).isEqualTo(50_000);
        d.add(9_000, min + 1);       // a new minute: the previous one's 3000 still counts
        assertThat(d.above(53_000)).isEqualTo(50_000);
        d.add(8_000, 2 * min + 2);   // two minutes on: 3000 has aged out
        assertThat(d.above(53_000)).isEqualTo(45_000);
        assertThat(d.above(7_000)).as("below the base: no queue").isZero();
    }

    @Test
    void baseDelayComparesAcrossThe32BitWrap() {
        BaseDelay d = new BaseDelay();
        d.add(0xffff_fff0L, 0);   // the clocks' difference sits just under 2^32
        d.add(0x10, 10);          // ... and wraps: 0x20 later than the first sample
        assertThat(d.above(0x10)).isEqualTo(0x20);
        d.add(0xffff_ffe0L, 20);
        assertThat(d.above(0x10)).isEqualTo(0x30);
    }

    @ParameterizedTest(name = "samples {0} -> timeout {1} us")
    @CsvSource({
            "'', 1000000",                      // no sample yet: 1 s
            "'100000', 500000",                  // 100 ms + 4 * 50 ms = 300 ms, floored at 500 ms
            "'400000', 1200000",                 // 400 + 4 * 200
            "'400000 400000', 1000000",          // rtt_var shrinks by a quarter: 400 + 4 * 150
            "'400000 800000', 1450000",          // rtt 450, var 250: 450 + 1000
            "'70000000', 6000000",               // an inflated sample: capped, the next loss is resent within 6 s
    })
    void roundTripTimerFollowsTheBep(String samples, long timeout) {
        RoundTripTimer t = new RoundTripTimer();
        for (String s : samples.split(" ")) {
            if (!s.isEmpty()) {
                t.sample(Long.parseLong(s));
            }
        }
        assertThat(t.timeoutMicros()).isEqualTo(timeout);
    }

    @Test
    void anAckEndsTheBackOff() {
        RoundTripTimer t = new RoundTripTimer();
        t.sample(400_000); // 1.2 s
        t.backOff();
        t.backOff();
        assertThat(t.timeoutMicros()).isEqualTo(4_800_000);
        t.acked(); // a resent packet acked: no sample, but the path works again
        assertThat(t.timeoutMicros()).isEqualTo(1_200_000);
    }

    @Test
    void timeoutDoublesUpToAMinute() {
        RoundTripTimer t = new RoundTripTimer();
        t.backOff();
        assertThat(t.timeoutMicros()).isEqualTo(2_000_000);
        for (int i = 0; i < 10; i++) {
            t.backOff();
        }
        assertThat(t.timeoutMicros()).isEqualTo(RoundTripTimer.MAX_TIMEOUT_MICROS);
    }
}
