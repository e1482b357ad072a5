package torfs.storage;

import java.nio.file.Path;
import java.util.function.LongBinaryOperator;
import torfs.natives.LibC;

/**
 * Where a sparse file holds data ({@code lseek} with {@code SEEK_DATA} and {@code SEEK_HOLE}):
 * a data check need not hash a piece that lies wholly in holes, which is every missing piece of
 * a download stopped half-way (its files are created at full length, sparse). A file system
 * without the two (or a file libc cannot open) reports its whole length as data, so nothing is
 * skipped that might be there.
 */
final class DataExtents {
    /** A file split into more runs than this is hashed whole: reading it costs less than walking it. */
    static final int MAX_RUNS = 65_536;
    private static final int ENXIO = 6;

    private DataExtents() {
    }

    /**
     * Calls {@code run(from, to)} for each run of data in the first {@code length} bytes of
     * {@code file}, in order; the whole length as one run when the holes cannot be found.
     */
    static void forEachRun(Path file, long length, LongBinaryOperator run) {
        LibC.Calls c = LibC.get();
        int fd = c == null ? -1 : c.open(file.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        if (fd < 0) {
            run.applyAsLong(0, length);
            return;
        }
        try {
            long[] runs = new long[16];
            int n = 0;
            for (long at = 0; at < length; ) {
                long data = c.lseek(fd, at, LibC.SEEK_DATA);
                if (data < 0) {
                    if (LibC.errno(c) == ENXIO) {
                        break; // only holes from here to the end
                    }
                    run.applyAsLong(0, length); // SEEK_DATA not supported: everything may be data
                    return;
                }
                if (data >= length) {
                    break;
                }
                long hole = c.lseek(fd, data, LibC.SEEK_HOLE);
                long end = hole < 0 ? length : Math.min(hole, length);
                if (n + 2 > runs.length) {
                    if (runs.length >= 2 * MAX_RUNS) {
                        run.applyAsLong(0, length);
                        return;
                    }
                    runs = java.util.Arrays.copyOf(runs, runs.length * 2);
                }
                runs[n++] = data;
                runs[n++] = end;
                at = end;
            }
            for (int i = 0; i < n; i += 2) {
                run.applyAsLong(runs[i], runs[i + 1]);
            }
        } finally {
            c.close(fd);
        }
    }
}
