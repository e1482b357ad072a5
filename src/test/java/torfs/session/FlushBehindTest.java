package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** When a download's files are flushed behind its writes: every N bytes, one flush at a time. */
class FlushBehindTest {
    private final FlushBehind f = new FlushBehind(100);

    @Test
    void noFlushBeforeTheIntervalIsWritten() {
        assertThat(f.wrote(40)).isFalse();
        assertThat(f.wrote(59)).isFalse();
        assertThat(f.wrote(1)).as("100 bytes written").isTrue();
    }

    @Test
    void theCountStartsAgainWithEachFlush() {
        assertThat(f.wrote(150)).isTrue(); // more than the interval in one write: one flush
        assertThat(f.flushed()).isFalse();
        assertThat(f.wrote(99)).as("the 50 over the first flush were in it").isFalse();
        assertThat(f.wrote(1)).isTrue();
    }

    @Test
    void noSecondFlushWhileOneRuns() {
        assertThat(f.wrote(100)).isTrue();
        assertThat(f.wrote(100)).as("one is running").isFalse();
        assertThat(f.wrote(500)).isFalse();
    }

    @Test
    void bytesWrittenDuringAFlushStartTheNextWhenItEnds() {
        assertThat(f.wrote(100)).isTrue();
        f.wrote(120);
        assertThat(f.flushed()).as("120 written while it ran").isTrue();
        assertThat(f.flushed()).isFalse();
    }

    @Test
    void fewBytesDuringAFlushWaitForMore() {
        assertThat(f.wrote(100)).isTrue();
        f.wrote(30);
        assertThat(f.flushed()).isFalse();
        assertThat(f.wrote(69)).isFalse();
        assertThat(f.wrote(1)).as("the 30 count toward the next").isTrue();
    }

    @Test
    void aFailedFlushAlsoEndsIt() {
        assertThat(f.wrote(100)).isTrue();
        f.flushed(); // failed: the resume save's flush reports it; flushing goes on
        assertThat(f.wrote(100)).isTrue();
    }

    @Test
    void theIntervalMustBePositive() {
        assertThatThrownBy(() -> new FlushBehind(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
