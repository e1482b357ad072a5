package torfs.session;

import java.util.concurrent.atomic.AtomicLongArray;
import torfs.geometry.Bitfield;

/**
 * A set of piece indexes that any thread may read while others add to it. Removal is for a
 * capped cache's eviction only, done under its lock (see {@link CacheEviction}).
 */
final class ConcurrentBits {
    private final int size;
    private final AtomicLongArray words;

    ConcurrentBits(Bitfield initial) {
        this.size = initial.size();
        this.words = new AtomicLongArray((size + 63) >>> 6);
        for (int i = initial.nextSet(0); i >= 0; i = initial.nextSet(i + 1)) {
            set(i);
        }
    }

    boolean get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("piece " + i + " of " + size);
        }
        return (words.get(i >>> 6) & (1L << (i & 63))) != 0;
    }

    void set(int i) {
        long bit = 1L << (i & 63);
        int w = i >>> 6;
        long old;
        do {
            old = words.get(w);
        } while ((old & bit) == 0 && !words.compareAndSet(w, old, old | bit));
    }

    void clear(int i) {
        long bit = 1L << (i & 63);
        int w = i >>> 6;
        long old;
        do {
            old = words.get(w);
        } while ((old & bit) != 0 && !words.compareAndSet(w, old, old & ~bit));
    }

    Bitfield snapshot() {
        Bitfield b = new Bitfield(size);
        for (int w = 0; w < words.length(); w++) {
            long v = words.get(w);
            while (v != 0) {
                int bit = Long.numberOfTrailingZeros(v);
                b.set((w << 6) + bit);
                v &= v - 1;
            }
        }
        return b;
    }
}
