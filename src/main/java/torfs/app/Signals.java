package torfs.app;

import java.util.function.IntConsumer;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM end a long-running command cleanly: the command's main thread is told
 * (with the signal's number) and returns its own exit code (0 for a seed stopped on purpose,
 * {@link ExitCodes#interrupted} for a download cut short). A shutdown hook still runs
 * {@code cleanup} if the JVM exits another way.
 */
final class Signals {
    private Signals() {
    }

    static void onInterrupt(IntConsumer notify, Runnable cleanup) {
        try {
            Signal.handle(new Signal("INT"), s -> notify.accept(s.getNumber()));
            Signal.handle(new Signal("TERM"), s -> notify.accept(s.getNumber()));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // signals not available here: the shutdown hook below still cleans up
        }
        Runtime.getRuntime().addShutdownHook(new Thread(cleanup, "torfs-shutdown"));
    }
}
