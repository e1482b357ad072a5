package torfs.app;

import sun.misc.Signal;

/**
 * SIGINT and SIGTERM end a long-running command cleanly: the command's main thread is told and
 * returns its own exit code (0 for a seed stopped on purpose). A shutdown hook still runs
 * {@code cleanup} if the JVM exits another way.
 */
final class Signals {
    private Signals() {
    }

    static void onInterrupt(Runnable notify, Runnable cleanup) {
        try {
            Signal.handle(new Signal("INT"), s -> notify.run());
            Signal.handle(new Signal("TERM"), s -> notify.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // signals not available here: the shutdown hook below still cleans up
        }
        Runtime.getRuntime().addShutdownHook(new Thread(cleanup, "torfs-shutdown"));
    }
}
