package torfs.app;

import java.io.PrintStream;
import java.util.Locale;
import torfs.storage.PieceChecker;

/**
 * A self-overwriting "LABEL: done/total pieces (n%)" line while data on disk is hashed: the
 * "checking data" line at start (a resume state that did not match, or a directory another
 * client downloaded) and the "verifying" line of {@code torfs verify}. Only on a terminal:
 * scripts and logs get no carriage-return noise.
 */
final class CheckProgressLine implements PieceChecker.Progress, AutoCloseable {
    private final String label;
    private final PrintStream out;
    private int lastPercent = -1;

    /** A line labelled {@code label} on {@code out}; silence when {@code out} is null. */
    CheckProgressLine(String label, PrintStream out) {
        this.label = label;
        this.out = out;
    }

    /** A "checking data" line on stderr when stderr is a terminal, otherwise silence. */
    static CheckProgressLine forTerminal() {
        return new CheckProgressLine("checking data", System.console() != null ? System.err : null);
    }

    @Override
    public synchronized void update(int done, int total) {
        if (out == null || total == 0) {
            return;
        }
        int percent = (int) (100L * done / total);
        if (percent != lastPercent) {
            lastPercent = percent;
            out.print(String.format(Locale.ROOT, "\r\033[K%s: %d/%d pieces (%d%%)", label, done, total, percent));
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
