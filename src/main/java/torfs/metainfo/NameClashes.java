package torfs.metainfo;

import java.util.Arrays;

/**
 * Whether a file table names anything twice: two files of one path, or a file where a
 * directory of the same path is. Pad files do not count (they are never shown or written).
 * Sorting file numbers by (directory, name) finds both without a String per path.
 */
final class NameClashes {
    private NameClashes() {
    }

    static boolean any(FileTable t) {
        Utf8Names names = t.fileNames();
        Integer[] order = new Integer[t.size()];
        int n = 0;
        for (int i = 0; i < t.size(); i++) {
            if (!t.pad(i)) {
                order[n++] = i;
            }
        }
        Integer[] files = Arrays.copyOf(order, n);
        Arrays.sort(files, (a, b) -> {
            int c = Integer.compare(t.dirOf(a), t.dirOf(b));
            return c != 0 ? c : names.compare(a, b);
        });
        for (int k = 1; k < n; k++) {
            if (t.dirOf(files[k - 1]) == t.dirOf(files[k]) && names.compare(files[k - 1], files[k]) == 0) {
                return true;
            }
        }
        for (int d = 1; d < t.dirCount(); d++) {
            if (holds(t, files, t.dirParent(d), t.dirNames().bytes(d))) {
                return true;
            }
        }
        return false;
    }

    /** Whether directory {@code dir} holds a file named {@code name}: a binary search. */
    private static boolean holds(FileTable t, Integer[] files, int dir, byte[] name) {
        int lo = 0;
        int hi = files.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int f = files[mid];
            int c = t.dirOf(f) != dir ? Integer.compare(t.dirOf(f), dir) : t.fileNames().compareTo(f, name);
            if (c == 0) {
                return true;
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return false;
    }
}
