package torfs.log;

import java.time.InstantSource;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Sets up java.util.logging (behind {@link System.Logger}, Netty's and jnr's loggers) for a
 * command: every record becomes one {@code torfs: } line on stderr ({@link OneLineFormat}),
 * repeats collapsed ({@link RepeatCollapser}). Installed once at start-up by the entry points.
 */
public final class Logging {
    /** How often held-back repeats are written out when nothing else is logged. */
    private static final long FLUSH_SECONDS = 5;
    private static volatile OneLineFormat installed;

    private Logging() {
    }

    /** Replaces the JDK's handlers with ours; {@code debug}: records carry their stack traces. */
    public static synchronized void install(boolean debug) {
        if (installed != null) {
            return;
        }
        OneLineFormat format = new OneLineFormat(ZoneId.systemDefault(), debug);
        RepeatCollapser handler = new RepeatCollapser(format,
                RepeatCollapser.printingTo(() -> System.err), InstantSource.system());
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(Level.INFO);
        root.addHandler(handler);
        installed = format;
        Thread flusher = new Thread(() -> {
            try {
                while (true) {
                    TimeUnit.SECONDS.sleep(FLUSH_SECONDS);
                    handler.flush();
                }
            } catch (InterruptedException e) {
                // the process is ending
            }
        }, "torfs-log-flush");
        flusher.setDaemon(true);
        flusher.start();
    }

    /** Lines go to a log file from now on: each starts with its time. */
    public static void toLogFile() {
        OneLineFormat f = installed;
        if (f != null) {
            f.useTimestamps(true);
        }
    }
}
