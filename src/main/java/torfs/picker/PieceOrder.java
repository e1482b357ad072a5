package torfs.picker;

import java.util.Arrays;
import java.util.Random;
import java.util.function.IntUnaryOperator;

/**
 * The fresh background pieces (wanted, not had, not started, priority NORMAL or HIGH) in pick order:
 * one array cut into buckets, bucket = band * LEVELS + min(availability, LEVELS - 1), band 0 being
 * the most urgent. Order inside a bucket is random (the tie-break). Moving a piece to a
 * neighbouring bucket is one swap with the bucket boundary, so a HAVE costs O(1); a move across
 * k buckets costs O(k), which is why large priority changes rebuild the whole array instead.
 * This is libtorrent's piece_picker layout with fewer levels.
 */
final class PieceOrder {
    /** Availability beyond LEVELS - 1 peers sorts as equally common. */
    static final int LEVELS = 128;
    static final int BANDS = 2;
    static final int BUCKETS = BANDS * LEVELS;

    private final int[] list;
    /** piece -> index in list, or -1. */
    private final int[] pos;
    /** end[b] = one past the last index of bucket b; bucket b starts at end[b - 1] (or 0). */
    private final int[] end = new int[BUCKETS];
    private int size;

    PieceOrder(int pieceCount) {
        list = new int[pieceCount];
        pos = new int[pieceCount];
        Arrays.fill(pos, -1);
    }

    static int key(int band, int availability) {
        return band * LEVELS + Math.min(availability, LEVELS - 1);
    }

    int size() {
        return size;
    }

    boolean contains(int piece) {
        return pos[piece] >= 0;
    }

    int positionOf(int piece) {
        return pos[piece];
    }

    int at(int index) {
        return list[index];
    }

    int start(int bucket) {
        return bucket == 0 ? 0 : end[bucket - 1];
    }

    int end(int bucket) {
        return end[bucket];
    }

    /** The bucket holding list index {@code index}: the first bucket whose end is past it. */
    int bucketAt(int index) {
        int lo = 0;
        int hi = BUCKETS - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (end[mid] > index) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    int bucketOf(int piece) {
        return bucketAt(pos[piece]);
    }

    void insert(int piece, int key, Random random) {
        if (pos[piece] >= 0) {
            throw new IllegalStateException("piece " + piece + " already ordered");
        }
        list[size] = piece;
        pos[piece] = size;
        size++;
        end[BUCKETS - 1] = size;
        slide(piece, BUCKETS - 1, key);
        shuffleIn(piece, key, random);
    }

    void remove(int piece) {
        int p = pos[piece];
        if (p < 0) {
            return;
        }
        slide(piece, bucketAt(p), BUCKETS - 1);
        // now in the last bucket: swap with the array's last element and shrink
        swap(pos[piece], size - 1);
        size--;
        end[BUCKETS - 1] = size;
        pos[piece] = -1;
    }

    /** Moves an ordered piece to bucket {@code key}; no-op when it is already there. */
    void move(int piece, int key, Random random) {
        int from = bucketOf(piece);
        if (from != key) {
            slide(piece, from, key);
            shuffleIn(piece, key, random);
        }
    }

    /**
     * Refills the whole array in O(pieces + BUCKETS): {@code keyOf} gives each piece's bucket, or
     * -1 to leave it out. Buckets are then shuffled.
     */
    void rebuild(IntUnaryOperator keyOf, Random random) {
        int n = pos.length;
        int[] count = new int[BUCKETS];
        for (int i = 0; i < n; i++) {
            int k = keyOf.applyAsInt(i);
            pos[i] = k; // remember the key for the placing pass
            if (k >= 0) {
                count[k]++;
            }
        }
        int running = 0;
        for (int b = 0; b < BUCKETS; b++) {
            int c = count[b];
            count[b] = running; // now the cursor of bucket b
            running += c;
            end[b] = running;
        }
        size = running;
        for (int i = 0; i < n; i++) {
            int k = pos[i];
            if (k >= 0) {
                int at = count[k]++;
                list[at] = i;
                pos[i] = at;
            }
        }
        for (int b = 0; b < BUCKETS; b++) {
            int s = start(b);
            for (int i = end[b] - 1; i > s; i--) {
                swap(i, s + random.nextInt(i - s + 1));
            }
        }
    }

    /** Walks a piece bucket by bucket from {@code from} to {@code to}, one swap per step. */
    private void slide(int piece, int from, int to) {
        for (int b = from; b > to; b--) {
            int first = start(b); // swap to the front of b, then give that slot to b - 1
            swap(pos[piece], first);
            end[b - 1]++;
        }
        for (int b = from; b < to; b++) {
            int last = end[b] - 1; // swap to the back of b, then give that slot to b + 1
            swap(pos[piece], last);
            end[b]--;
        }
    }

    private void shuffleIn(int piece, int bucket, Random random) {
        int s = start(bucket);
        int n = end[bucket] - s;
        if (n > 1) {
            swap(pos[piece], s + random.nextInt(n));
        }
    }

    private void swap(int i, int j) {
        if (i != j) {
            int a = list[i];
            int b = list[j];
            list[i] = b;
            list[j] = a;
            pos[b] = i;
            pos[a] = j;
        }
    }
}
