package torfs.stream;

import java.util.ArrayDeque;

/**
 * How fast one sequential reader consumes its file, in bytes/s: the distance its furthest read
 * moved over the last {@link #SPAN_NANOS}, known once {@link #MIN_SPAN_NANOS} of reading has
 * been seen since the last seek; right after a seek, the pace measured before it (a player
 * that seeks keeps its bitrate). A player filling its cache reads as fast as the bytes come, a
 * playing one at its bitrate, a paused one not at all; the figure follows each within seconds.
 * Not thread-safe.
 */
final class ReadRate {
    static final long SPAN_NANOS = 4_000_000_000L;
    static final long MIN_SPAN_NANOS = 1_000_000_000L;
    /** Samples closer together than this are merged. */
    private static final long SAMPLE_NANOS = 100_000_000L;

    /** (time, furthest offset) pairs, oldest first. */
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();
    /** Pace measured before the last seek, used until the new position has its own. */
    private double beforeSeek;

    /** The reader's furthest byte is now {@code position}. */
    void advanced(long position, long now) {
        long[] last = samples.peekLast();
        if (last != null && now - last[0] < SAMPLE_NANOS) {
            last[1] = Math.max(last[1], position);
        } else {
            samples.addLast(new long[] {now, last == null ? position : Math.max(last[1], position)});
        }
        while (samples.size() > 2 && now - samples.peekFirst()[0] > SPAN_NANOS) {
            samples.removeFirst();
        }
    }

    /** A seek: the reader starts over at {@code position}. */
    void restart(long position, long now) {
        double pace = measured(now);
        if (pace > 0) {
            beforeSeek = pace;
        }
        samples.clear();
        samples.addLast(new long[] {now, position});
    }

    /** Bytes per second, or 0 while not yet known. */
    double bytesPerSecond(long now) {
        double pace = measured(now);
        return pace > 0 ? pace : beforeSeek;
    }

    private double measured(long now) {
        if (samples.size() < 2) {
            return 0;
        }
        long[] first = samples.peekFirst();
        long[] last = samples.peekLast();
        // silence since the last read counts: a paused reader's rate falls
        long span = Math.max(last[0], now) - first[0];
        if (last[0] - first[0] < MIN_SPAN_NANOS || span <= 0) {
            return 0;
        }
        return (last[1] - first[1]) * 1e9 / span;
    }
}
