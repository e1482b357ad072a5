package torfs.picker;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;

/**
 * The pieces readers need by a deadline (NOW and READAHEAD), in the order they are served:
 * pieces a read is blocked on first, then earliest deadline, then lowest index. Each piece
 * has one entry; updating it reorders it in O(log n).
 */
final class CriticalPieces implements Iterable<CriticalPieces.Entry> {
    record Entry(int piece, boolean blocked, long deadline) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry o) {
            if (blocked != o.blocked) {
                return blocked ? -1 : 1;
            }
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : Integer.compare(piece, o.piece);
        }
    }

    private final Map<Integer, Entry> byPiece = new HashMap<>();
    private final TreeSet<Entry> ordered = new TreeSet<>();
    private int blockedCount;

    void put(int piece, boolean blocked, long deadline) {
        Entry e = new Entry(piece, blocked, deadline);
        Entry old = byPiece.put(piece, e);
        if (old != null) {
            if (old.equals(e)) {
                return;
            }
            ordered.remove(old);
            if (old.blocked()) {
                blockedCount--;
            }
        }
        ordered.add(e);
        if (blocked) {
            blockedCount++;
        }
    }

    void remove(int piece) {
        Entry old = byPiece.remove(piece);
        if (old != null) {
            ordered.remove(old);
            if (old.blocked()) {
                blockedCount--;
            }
        }
    }

    Entry get(int piece) {
        return byPiece.get(piece);
    }

    boolean contains(int piece) {
        return byPiece.containsKey(piece);
    }

    boolean isEmpty() {
        return byPiece.isEmpty();
    }

    int size() {
        return byPiece.size();
    }

    /** True while a read is blocked on some piece. */
    boolean anyBlocked() {
        return blockedCount > 0;
    }

    @Override
    public Iterator<Entry> iterator() {
        return ordered.iterator();
    }
}
