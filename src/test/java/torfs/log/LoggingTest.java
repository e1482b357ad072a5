package torfs.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LoggingTest {
    @Test
    void systemLoggerRecordsBecomeOneTorfsLineOnStderr() {
        Logging.install(false);
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            System.Logger log = System.getLogger("torfs.session.PieceWriter");
            log.log(System.Logger.Level.WARNING, "torfs: write failed: No space left on device");
            log.log(System.Logger.Level.DEBUG, "not shown without a debug level");
        } finally {
            System.setErr(saved);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .isEqualTo("torfs: write failed: No space left on device" + System.lineSeparator());
    }
}
