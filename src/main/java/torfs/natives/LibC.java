package torfs.natives;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.types.off_t;

/**
 * The few libc calls the JDK does not offer (punching holes, finding them, syncing a whole file
 * system, moving stdout and stderr onto a log file, reading /dev/fuse without blocking), bound
 * once through jnr-ffi for every user: one binding, one load. {@link #get()} is null where libc
 * cannot be bound, and each user then falls back or says so.
 */
public final class LibC {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 01;
    public static final int O_CREAT = 0100;
    public static final int O_APPEND = 02000;
    public static final int O_CLOEXEC = 02000000;
    public static final int SEEK_DATA = 3;
    public static final int SEEK_HOLE = 4;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int O_NONBLOCK = 04000;

    /** The calls (jnr binds every method of this interface to the symbol of its name). */
    public interface Calls {
        /** {@code open(2)}; {@code mode} matters only with {@link LibC#O_CREAT}. */
        int open(String path, int flags, int mode);

        int close(int fd);

        int dup2(int oldFd, int newFd);

        int fallocate(int fd, int mode, @off_t long offset, @off_t long length);

        int syncfs(int fd);

        /** {@code lseek(2)}; with {@link LibC#SEEK_DATA} and {@link LibC#SEEK_HOLE} it finds a sparse file's data. */
        @off_t long lseek(int fd, @off_t long offset, int whence);

        /** {@code fcntl(2)} with an int argument ({@link LibC#F_GETFL} passes 0). */
        int fcntl(int fd, int cmd, int arg);
    }

    private LibC() {
    }

    /** libc, loaded on first use; null when it cannot be bound. */
    public static Calls get() {
        return Holder.LIB;
    }

    /** The errno of this thread's last failed call through {@code lib}. */
    public static int errno(Calls lib) {
        return LastError.getLastError(Runtime.getRuntime(lib));
    }

    /** Loads libc when first asked for, not with the class. */
    private static final class Holder {
        static final Calls LIB = load();

        private static Calls load() {
            try {
                return LibraryLoader.create(Calls.class).failImmediately().load("c");
            } catch (RuntimeException | LinkageError e) {
                return null;
            }
        }
    }
}
