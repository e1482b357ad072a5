package torfs.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class RepeatCollapserTest {
    /** A clock the test moves by hand. */
    private Instant now = Instant.parse("2026-12-01T05:48:24Z");
    private final InstantSource clock = () -> now;
    private final List<String> lines = new ArrayList<>();
    private final OneLineFormat format = new OneLineFormat(ZoneOffset.UTC, false);
    private final RepeatCollapser handler = new RepeatCollapser(format, lines::add, clock);

    private void log(String message) {
        LogRecord r = new LogRecord(Level.WARNING, message);
        r.setInstant(now);
        handler.publish(r);
    }

    private void advance(long millis) {
        now = now.plus(Duration.ofMillis(millis));
    }

    @Test
    void differentMessagesAreEachWritten() {
        log("one");
        log("two");
        log("one");
        assertThat(lines).containsExactly("torfs: one", "torfs: two", "torfs: one");
    }

    @Test
    void copiesAreCountedAndSummedUpWhenAnotherMessageComes() {
        log("write failed: No space left on device");
        for (int i = 0; i < 120; i++) {
            advance(50);
            log("write failed: No space left on device");
        }
        log("disk full at /data; downloading paused");
        assertThat(lines).containsExactly(
                "torfs: write failed: No space left on device",
                "torfs: write failed: No space left on device (repeated 120 times in 6.0 s)",
                "torfs: disk full at /data; downloading paused");
    }

    @Test
    void anEndlessFloodShowsOneLinePerWindow() {
        log("flood");
        for (int i = 0; i < 250; i++) { // 25 s of ten a second
            advance(100);
            log("flood");
        }
        assertThat(lines).containsExactly(
                "torfs: flood",
                "torfs: flood (repeated 100 times in 10 s)",
                "torfs: flood (repeated 100 times in 10 s)");
        handler.close();
        assertThat(lines).hasSize(4).last().isEqualTo("torfs: flood (repeated 50 times in 5.0 s)");
    }

    @Test
    void flushWritesHeldCopiesOnlyOnceTheWindowHasPassed() {
        log("x");
        advance(1000);
        log("x");
        handler.flush();
        assertThat(lines).containsExactly("torfs: x");
        advance(9000);
        handler.flush();
        assertThat(lines).containsExactly("torfs: x", "torfs: x (repeated 1 time in 1.0 s)");
        handler.flush();
        handler.close();
        assertThat(lines).hasSize(2);
    }

    @Test
    void aSummaryInALogFileCarriesTheTimeItIsWritten() {
        format.useTimestamps(true);
        log("x");
        advance(2500);
        log("x");
        handler.close();
        assertThat(lines).containsExactly(
                "2026-12-01 05:48:24.000 torfs: x",
                "2026-12-01 05:48:26.500 torfs: x (repeated 1 time in 2.5 s)");
    }

    @Test
    void recordsBelowTheHandlersLevelAreDropped() {
        handler.setLevel(Level.INFO);
        handler.publish(new LogRecord(Level.FINE, "detail"));
        assertThat(lines).isEmpty();
    }
}
