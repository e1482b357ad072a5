package torfs.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunLengthsTest {
    private static final long MIB = 1L << 20;

    @Test
    void oneRunPredictsNothingTwoPredictTheLonger() {
        RunLengths runs = new RunLengths();
        assertThat(runs.predicted()).isEqualTo(-1);
        runs.record(4 * MIB);
        assertThat(runs.predicted()).as("a probe of a header says little").isEqualTo(-1);
        runs.record(3 * MIB);
        assertThat(runs.predicted()).isEqualTo(4 * MIB);
    }

    @Test
    void aLongRunLiftsThePredictionForTheNextRunOnly() {
        RunLengths runs = new RunLengths();
        runs.record(384 * MIB); // a file read through
        runs.record(4 * MIB);
        assertThat(runs.predicted()).as("one short run after it").isEqualTo(384 * MIB);
        runs.record(4 * MIB + 4096);
        assertThat(runs.predicted()).as("the long one is two runs back").isEqualTo(4 * MIB + 4096);
        runs.record(2 * MIB);
        assertThat(runs.predicted()).isEqualTo(4 * MIB + 4096);
    }

    @Test
    void oneShortRunAmidLongOnesDoesNotCutTheNext() {
        RunLengths runs = new RunLengths();
        runs.record(300 * MIB);
        runs.record(200 * MIB);
        runs.record(5 * MIB); // a seek back in a film played through
        assertThat(runs.predicted()).isEqualTo(200 * MIB);
    }

    @Test
    void runsCanGrowAndShrinkButOnlyTheLastTwoCount() {
        RunLengths runs = new RunLengths();
        long[] lengths = {1, 2, 3, 4, 5, 6};
        for (long l : lengths) {
            runs.record(l * MIB);
        }
        assertThat(runs.predicted()).isEqualTo(6 * MIB);
        runs.record(MIB);
        assertThat(runs.predicted()).isEqualTo(6 * MIB);
        runs.record(MIB);
        assertThat(runs.predicted()).isEqualTo(MIB);
    }

    @Test
    void anEmptyRunIsNotARun() {
        RunLengths runs = new RunLengths();
        runs.record(0);
        runs.record(5 * MIB);
        runs.record(-1);
        assertThat(runs.predicted()).isEqualTo(-1);
        runs.record(2 * MIB);
        assertThat(runs.predicted()).isEqualTo(5 * MIB);
    }
}
