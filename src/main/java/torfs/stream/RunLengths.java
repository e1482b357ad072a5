package torfs.stream;

/**
 * Where read runs on one file end: the lengths of its last {@link #KEPT} completed runs (a run
 * is the bytes a handle read in a row, ended by a seek or by the handle's release), shared by
 * the file's handles and kept across open and close. {@link #predicted()} is the longer of the
 * last two once {@link #MIN_KNOWN} are known: the longer rather than the latest, because
 * cutting a window short costs the reader a stall (its next pieces come one read at a time), so
 * a single short run amid long ones (a seek back in a film played through) does not cut the
 * next; and no further back than two, because cutting long costs pieces fetched and not read
 * (with a capped cache, pieces read before and evicted: fetched twice for nothing), so one long
 * run lifts the prediction for the next run only. One run alone predicts nothing (a probe of a
 * header says little). Thread-safe.
 */
final class RunLengths {
    /** How many of the latest runs are kept. */
    static final int KEPT = 2;
    /** How many runs must be known before they predict anything. */
    static final int MIN_KNOWN = 2;

    private final long[] last = new long[KEPT];
    private int next;
    private int known;

    /** Records a completed run of {@code length} bytes (an empty one is not a run). */
    synchronized void record(long length) {
        if (length <= 0) {
            return;
        }
        last[next] = length;
        next = (next + 1) % KEPT;
        known = Math.min(KEPT, known + 1);
    }

    /** The length the next run is expected to stop at, -1 while too few runs are known. */
    synchronized long predicted() {
        if (known < MIN_KNOWN) {
            return -1;
        }
        long longest = 0;
        for (int i = 0; i < known; i++) {
            longest = Math.max(longest, last[i]);
        }
        return longest;
    }
}
