package torfs.natives;

import java.util.function.Predicate;
import jnr.ffi.LibraryLoader;

/**
 * Binds an interface to OpenSSL's libcrypto, whichever of its usual names this machine has, and
 * only if the binding passes the caller's known-answer check: a wrong or half-working library
 * must fall back to the JDK's code, never produce wrong digests or keystreams.
 */
public final class LibCrypto {
    private static final String[] NAMES = {"libcrypto.so.3", "libcrypto.so.1.1", "crypto"};

    private LibCrypto() {
    }

    /** The bound library, or null when none loads or passes {@code knownAnswer}. */
    public static <T> T load(Class<T> calls, Predicate<T> knownAnswer) {
        for (String name : NAMES) {
            try {
                T lib = LibraryLoader.create(calls).failImmediately().load(name);
                if (knownAnswer.test(lib)) {
                    return lib;
                }
            } catch (RuntimeException | LinkageError e) {
                // not this one; try the next name, then the caller falls back to the JDK
            }
        }
        return null;
    }
}
