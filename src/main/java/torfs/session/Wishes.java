package torfs.session;

import java.util.IdentityHashMap;
import java.util.Map;
import torfs.geometry.PieceRange;
import torfs.picker.PiecePicker;
import torfs.picker.Priority;

/**
 * Who wants which pieces how urgently: each owner (a file handle, a blocked read) holds one
 * wish; a piece's priority in the picker is the highest wish covering it (for NOW, with the
 * earliest deadline), or the picker's default when none does. Confined to the torrent's loop.
 */
final class Wishes {
    record Wish(PieceRange range, Priority priority, long deadlineNanos) {
    }

    private final Map<Object, Wish> byOwner = new IdentityHashMap<>();

    void set(Object owner, Wish wish, PiecePicker picker) {
        Wish old = byOwner.put(owner, wish);
        if (old != null) {
            apply(old.range(), picker);
        }
        apply(wish.range(), picker);
    }

    void remove(Object owner, PiecePicker picker) {
        Wish old = byOwner.remove(owner);
        if (old != null) {
            apply(old.range(), picker);
        }
    }

    int size() {
        return byOwner.size();
    }

    /** Recomputes the effective priority of every piece in {@code r}, in runs of equal wishes. */
    private void apply(PieceRange r, PiecePicker picker) {
        int runStart = r.first();
        Priority runPriority = null;
        long runDeadline = 0;
        for (int p = r.first(); p <= r.end(); p++) {
            Priority pr = null;
            long deadline = Long.MAX_VALUE;
            if (p < r.end()) {
                for (Wish w : byOwner.values()) {
                    if (!w.range().contains(p)) {
                        continue;
                    }
                    if (pr == null || w.priority().compareTo(pr) > 0) {
                        pr = w.priority();
                        deadline = w.deadlineNanos();
                    } else if (w.priority() == pr && w.deadlineNanos() - deadline < 0) {
                        deadline = w.deadlineNanos();
                    }
                }
            }
            boolean same = p < r.end() && p > runStart && pr == runPriority
                    && (pr != Priority.NOW || deadline == runDeadline);
            if (!same) {
                if (p > runStart) {
                    PieceRange run = new PieceRange(runStart, p);
                    if (runPriority == null) {
                        picker.clearPriority(run);
                    } else {
                        picker.setPriority(run, runPriority, runDeadline);
                    }
                }
                runStart = p;
                runPriority = pr;
                runDeadline = deadline;
            }
        }
    }
}
