package torfs.tracker;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Where the {@link Announcer} runs: its state is only touched from tasks run here, so a test can
 * drive it with a hand-cranked clock.
 */
interface AnnounceClock {
    long nowMillis();

    void execute(Runnable task);

    Cancellable schedule(Runnable task, long delayMillis);

    interface Cancellable {
        void cancel();
    }

    /** A single-threaded executor (e.g. a Netty event loop) and the wall clock. */
    static AnnounceClock of(ScheduledExecutorService executor) {
        return new AnnounceClock() {
            @Override
            public long nowMillis() {
                return System.currentTimeMillis();
            }

            @Override
            public void execute(Runnable task) {
                executor.execute(task);
            }

            @Override
            public Cancellable schedule(Runnable task, long delayMillis) {
                ScheduledFuture<?> f = executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
                return () -> f.cancel(false);
            }
        };
    }
}
