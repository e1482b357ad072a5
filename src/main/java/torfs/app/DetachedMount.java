package torfs.app;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import torfs.natives.LibC;

/**
 * The mount when the launcher script (scripts/torfs) already started this JVM in the
 * background with the mount's own JVM flags, instead of this JVM starting a second one
 * ({@link MountDaemon}): one JVM start less before the tree shows. Until the mount is ready,
 * stderr is a pipe the launcher relays to the user (so failures read as everywhere else);
 * once it is, {@link #READY_LINE} tells the launcher to return, and stdout and stderr move
 * to the log file under the data directory.
 */
final class DetachedMount {
    /** Set by the launcher: this JVM is the background mount. */
    static final String PROPERTY = "torfs.mount.detached";
    /** The line the launcher waits for on stderr. */
    static final String READY_LINE = "torfs: mounted";

    private DetachedMount() {
    }

    static boolean requested() {
        return Boolean.getBoolean(PROPERTY);
    }

    /**
     * Reports readiness, then points file descriptors 1 and 2 at {@code log}. Both happen under
     * stderr's lock, which every log line takes to print: a line another thread logged between
     * the ready line and the switch went to the launcher's pipe after the launcher had stopped
     * reading it, and was lost (a mount's "not enough space" warning, once in CI).
     */
    static void ready(Path log) {
        System.out.flush();
        int fd = -1;
        LibC.Calls c = null;
        try {
            c = LibC.get();
            fd = c == null ? -1 : c.open(log.toString(), LibC.O_WRONLY | LibC.O_CREAT | LibC.O_APPEND, 0644);
        } catch (RuntimeException | LinkageError e) {
            // below: at least what Java prints reaches the log
        }
        PrintStream err = System.err;
        synchronized (err) {
            err.println(READY_LINE);
            err.flush();
            torfs.log.Logging.toLogFile(); // whichever way below works, the lines go to a file
            if (fd >= 0) {
                // whatever writes to stderr from now on (logging, the JVM itself) lands in the log
                c.dup2(fd, 1);
                c.dup2(fd, 2);
                c.close(fd);
                return;
            }
            toLogStreams(log);
        }
    }

    /** Without libc: at least what Java prints reaches the log. */
    private static void toLogStreams(Path log) {
        try {
            PrintStream p = new PrintStream(new FileOutputStream(log.toFile(), true), true, StandardCharsets.UTF_8);
            System.setOut(p);
            System.setErr(p);
        } catch (IOException e) {
            // nowhere to log: the launcher is gone and writes to its pipe are dropped
        }
    }
}
