package torfs.tracker;

import java.util.PriorityQueue;

/** A hand-cranked {@link AnnounceClock}: tasks run only when a test advances time. */
final class ManualClock implements AnnounceClock {
    private final class Task implements Comparable<Task>, Cancellable {
        final long at;
        final long seq;
        final Runnable run;
        boolean cancelled;

        Task(long at, long seq, Runnable run) {
            this.at = at;
            this.seq = seq;
            this.run = run;
        }

        @Override
        public int compareTo(Task o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long now = 1_000_000;
    private long seq;

    @Override
    public synchronized long nowMillis() {
        return now;
    }

    @Override
    public synchronized void execute(Runnable task) {
        schedule(task, 0);
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, long delayMillis) {
        Task t = new Task(now + delayMillis, seq++, task);
        queue.add(t);
        return t;
    }

    /** Runs everything due now, including what those tasks schedule for now. */
    void runDue() {
        advance(0);
    }

    /** Moves time forward, running each task at its own time. */
    void advance(long millis) {
        long end;
        synchronized (this) {
            end = now + millis;
        }
        while (true) {
            Task t;
            synchronized (this) {
                t = queue.peek();
                if (t == null || t.at > end) {
                    now = end;
                    return;
                }
                queue.poll();
                now = Math.max(now, t.at);
            }
            if (!t.cancelled) {
                t.run.run();
            }
        }
    }
}
