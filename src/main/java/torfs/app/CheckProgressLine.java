package torfs.app;

import java.io.PrintStream;
import java.util.Locale;
import torfs.storage.PieceChecker;

/**
 * The "checking data" line shown while existing data is re-hashed at start (a resume state that
 * did not match, or a directory another client downloaded). Only on a terminal: scripts and
 * logs get no carriage-return noise.
 */
final class CheckProgressLine implements PieceChecker.Progress, AutoCloseable {
    private final PrintStream out;
    private int lastPercent = -1;

    private CheckProgressLine(PrintStream out) {
        this.out = out;
    }

    /** A progress line on stderr when stderr is a terminal, otherwise silence. */
    static CheckProgressLine forTerminal() {
        return new CheckProgressLine(System.console() != null ? System.err : null);
    }

    @Override
    public synchronized void update(int done, int total) {
        if (out == null || total == 0) {
            return;
        }
        int percent = (int) (100L * done / total);
        if (percent != lastPercent) {
            lastPercent = percent;
            out.print(String.format(Locale.ROOT, "\r\033[Kchecking data: %d/%d pieces (%d%%)", done, total, percent));
            out.flush();
        }
    }

    /** Clears the line, if one was drawn. */
    @Override
    public synchronized void close() {
        if (out != null && lastPercent >= 0) {
            out.print("\r\033[K");
            out.flush();
        }
    }
}
