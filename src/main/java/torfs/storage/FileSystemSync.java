package torfs.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * Makes the writes to many files durable with one {@code syncfs(2)} per file system they are
 * on, instead of an {@code fdatasync} per file: each fdatasync of a file whose blocks were just
 * allocated commits ext4's journal, so 5,000 small files took 2.1-2.6 s to flush on the
 * development VM, one syncfs 0.1 s. The price is that syncfs also writes back whatever else
 * is dirty on that file system, so a store uses it only past a number of files. Files are
 * grouped by device ({@code unix:dev}, links followed), so a torrent directory that is a link
 * to another disk is synced there. libc through jnr-ffi, loaded on first use; without it
 * {@link #available()} is false and callers force file by file.
 */
final class FileSystemSync {
    /** What a sync needs of libc. */
    public interface LibC {
        int open(String path, int flags);

        int syncfs(int fd);

        int close(int fd);
    }

    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;

    private FileSystemSync() {
    }

    /** Loaded once, when first asked for. */
    private static final class Holder {
        static final LibC LIB = load();

        private static LibC load() {
            try {
                return LibraryLoader.create(LibC.class).failImmediately().load("c");
            } catch (RuntimeException | LinkageError e) {
                return null;
            }
        }
    }

    static boolean available() {
        return Holder.LIB != null;
    }

    /** One syncfs for each file system {@code files} are on; files that do not exist are skipped. */
    static void sync(Collection<Path> files) throws IOException {
        Map<Object, Path> byDevice = new LinkedHashMap<>();
        for (Path f : files) {
            try {
                byDevice.putIfAbsent(Files.getAttribute(f, "unix:dev"), f);
            } catch (java.nio.file.NoSuchFileException e) {
                // never written, or deleted under us: nothing of it to make durable
            }
        }
        LibC lib = Holder.LIB;
        for (Path f : byDevice.values()) {
            int fd = lib.open(f.toString(), O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                throw new IOException("cannot open " + f + " to sync its file system (errno "
                        + LastError.getLastError(Runtime.getRuntime(lib)) + ")");
            }
            try {
                if (lib.syncfs(fd) != 0) {
                    throw new IOException("syncfs of " + f + "'s file system failed (errno "
                            + LastError.getLastError(Runtime.getRuntime(lib)) + ")");
                }
            } finally {
                lib.close(fd);
            }
        }
    }
}
