package torfs.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class OneLineFormatTest {
    private static final Instant AT = Instant.parse("2026-12-01T05:48:24.125Z");
    private static final String NL = System.lineSeparator();

    private static LogRecord record(Level level, String message, Object... params) {
        LogRecord r = new LogRecord(level, message);
        r.setParameters(params);
        r.setInstant(AT);
        r.setLoggerName("torfs.session.PieceWriter");
        r.setSourceClassName("torfs.session.PieceWriter");
        r.setSourceMethodName("process");
        return r;
    }

    @Test
    void aRecordIsOnePrefixedLineWithoutLoggerOrLevel() {
        OneLineFormat f = new OneLineFormat(ZoneOffset.UTC, false);
        assertThat(f.format(record(Level.WARNING, "write failed: {0}", "No space left on device")))
                .isEqualTo("torfs: write failed: No space left on device" + NL);
    }

    @Test
    void aMessageThatCarriesThePrefixGetsItOnce() {
        OneLineFormat f = new OneLineFormat(ZoneOffset.UTC, false);
        assertThat(f.format(record(Level.INFO, "torfs: writing through the page cache")))
                .isEqualTo("torfs: writing through the page cache" + NL);
    }

    @Test
    void logFileLinesStartWithTheLocalTime() {
        OneLineFormat f = new OneLineFormat(ZoneOffset.ofHours(1), false);
        f.useTimestamps(true);
        assertThat(f.format(record(Level.WARNING, "disk full")))
                .isEqualTo("2026-12-01 06:48:24.125 torfs: disk full" + NL);
    }

    @Test
    void aCauseFollowsOnTheSameLineAndItsTraceOnlyWithDebug() {
        LogRecord r = record(Level.WARNING, "closing store");
        r.setThrown(new IOException("Input/output error"));
        assertThat(new OneLineFormat(ZoneOffset.UTC, false).format(r))
                .isEqualTo("torfs: closing store: IOException: Input/output error" + NL);
        assertThat(new OneLineFormat(ZoneOffset.UTC, true).format(r))
                .startsWith("torfs: closing store: IOException: Input/output error" + NL
                        + "java.io.IOException: Input/output error" + NL + "\tat ")
                .endsWith(NL);
    }

    @Test
    void lineBreaksInsideAMessageBecomeSpaces() {
        OneLineFormat f = new OneLineFormat(ZoneOffset.UTC, false);
        assertThat(f.format(record(Level.WARNING, "first\n  second\r\nthird\n")))
                .isEqualTo("torfs: first second third" + NL);
    }
}
