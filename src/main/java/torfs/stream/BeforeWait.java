package torfs.stream;

/**
 * Tells the thread serving a read, once per wait, that the read is about to wait for pieces: a
 * FUSE worker answers reads of pieces at hand itself, and hands reading /dev/fuse to another
 * worker only when one has to wait (the FUSE request loop). Threads that set nothing hear nothing.
 */
public final class BeforeWait {
    private static final ThreadLocal<Runnable> HOOK = new ThreadLocal<>();

    private BeforeWait() {
    }

    /** Runs {@code hook} on this thread before each wait of a read it serves from now on. */
    public static void onThisThread(Runnable hook) {
        HOOK.set(hook);
    }

    static void aboutToWait() {
        Runnable hook = HOOK.get();
        if (hook != null) {
            hook.run();
        }
    }
}
