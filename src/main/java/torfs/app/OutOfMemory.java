package torfs.app;

/**
 * What a user sees when the heap runs out: one line saying so and how to give more, never a
 * stack trace. A thread other than main that runs out ends the process (with exit code 1):
 * after an OutOfMemoryError no part of it can be trusted to go on.
 */
final class OutOfMemory {
    private OutOfMemory() {
    }

    /** The one line, without the "torfs: " prefix. */
    static String describe() {
        long mib = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        return "out of memory (Java heap of " + mib + " MiB); this torrent needs more: set"
                + " TORFS_MOUNT_JAVA_OPTS=-Xmx" + Math.max(256, mib * 2) + "m for mount,"
                + " TORFS_JAVA_OPTS for the other commands, or free memory";
    }

    /** Makes every thread's OutOfMemoryError end the process with the one line. */
    static void reportOnAnyThread() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (e instanceof OutOfMemoryError) {
                System.err.println("torfs: " + describe());
                Runtime.getRuntime().halt(ExitCodes.FAILURE);
            } else if (previous != null) {
                previous.uncaughtException(thread, e);
            } else {
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                e.printStackTrace();
            }
        });
    }
}
