package torfs.fuse;

import java.util.function.BooleanSupplier;
import jnr.ffi.LibraryLoader;

/**
 * Asks libfuse whether the request served by the current thread was interrupted (the reading
 * process got a signal). libfuse records FUSE_INTERRUPT for every request, whether or not the
 * 'intr' option (which signals threads, unsafe in a JVM) is on, so a blocked read can poll it
 * and give up with EINTR. The kernel sends FUSE_INTERRUPT only for requests a process waits
 * on directly; page-cache reads (readahead, readpage) are background requests that are never
 * interrupted, so those end by the read timeout or unmount.
 */
final class FuseInterrupt {
    /** The one libfuse function jnr-fuse does not declare. */
    public interface Lib {
        int fuse_interrupted();
    }

    private static final Lib LIB = load();
    private static final BooleanSupplier CHECK = LIB == null ? () -> false : () -> LIB.fuse_interrupted() != 0;

    private FuseInterrupt() {
    }

    /**
     * A check of the calling FUSE thread's current request (libfuse keeps the request per
     * thread, so the check must be polled on the thread that serves it). One shared instance.
     */
    static BooleanSupplier forCurrentRequest() {
        return CHECK;
    }

    private static Lib load() {
        try {
            return LibraryLoader.create(Lib.class).failImmediately().load("fuse");
        } catch (Throwable e) {
            try {
                return LibraryLoader.create(Lib.class).failImmediately().load("libfuse.so.2");
            } catch (Throwable e2) {
                return null;
            }
        }
    }
}
