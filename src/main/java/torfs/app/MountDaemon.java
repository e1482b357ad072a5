package torfs.app;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import torfs.fuse.MountTable;

/**
 * Starts the filesystem in the background, as sshfs and btfs do: the same java command again
 * with -f, in its own session (setsid), output to a log in the data directory. Returns once the
 * kernel lists the mount, or reports the child's one-line error when it dies first.
 */
final class MountDaemon {
    static final String LOG_FILE = "torfs.log";
    /**
     * The mount process's memory: a long-lived server whose reads go from the store into the
     * kernel's buffers, so a small serial-collected heap (no G1 region and remembered-set
     * overhead), Netty's direct buffers capped, small thread stacks. Measured streaming a 3 GiB
     * file while downloading it: peak RSS ~240 MB, against 332-360 MB with G1 and -Xmx256m.
     * jnr-ffi's x86 assembler is left to the interpreter: it only runs while the native stubs
     * are made, and C1's compile of its one 7.9 KB method, which happens in some starts and not
     * in others, left 13 MB of compiler arena with glibc for good (as scripts/torfs).
     */
    static final List<String> CHILD_JVM_OPTIONS = List.of(
            "-XX:+UseSerialGC", "-XX:MaxDirectMemorySize=64m", "-Xss512k",
            "-XX:CompileCommand=quiet", "-XX:CompileCommand=exclude,jnr.x86asm.Assembler::_emitX86");
    /** Heap of a mount: the session, the tree and requests' garbage. */
    static final long BASE_HEAP_MIB = 48;
    /**
     * Parsing holds the .torrent, its info dictionary's copy and one file entry at a time; the
     * compact file table and tree keep ~40 bytes a file: a 1,000,000-file torrent (39 MB)
     * mounts in a 150 MB heap. As scripts/torfs.
     */
    static final long HEAP_PER_TORRENT_BYTE = 4;

    private static final long READY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** The .torrent size assumed for a magnet whose metadata is not known yet. */
    static final long MAGNET_METADATA_GUESS = 8L << 20;

    private MountDaemon() {
    }

    static int start(MountOptions opts) throws IOException, InterruptedException {
        Files.createDirectories(opts.dataDir());
        Path state = torfs.storage.StateLocation.create(opts.dataDir());
        Path log = state.resolve(LOG_FILE);
        Path ready = state.resolve(".torfs-ready-" + Long.toHexString(System.nanoTime()));
        Files.deleteIfExists(ready);
        // a magnet's metadata may not be here yet: size the heap for a large one
        long heap = heapMib(Files.isRegularFile(opts.source()) ? Files.size(opts.source()) : MAGNET_METADATA_GUESS);
        try {
            return awaitChild(opts, log, ready, command(opts, ready, heap));
        } catch (ChildCrashed e) {
            throw new UserError(e.getMessage());
        } finally {
            Files.deleteIfExists(ready);
        }
    }

    /** The child JVM died of a signal (exit code above 128) before it was ready. */
    private static final class ChildCrashed extends Exception {
        ChildCrashed(String message) {
            super(message);
        }
    }

    private static List<String> command(MountOptions opts, Path ready, long heapMib) {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid"))) {
            cmd.add("setsid");
        }
        cmd.addAll(javaCommand(heapMib));
        // a crash report belongs with the log, not in whatever directory the user was in
        cmd.add(cmd.size() - 3, "-XX:ErrorFile=" + opts.stateDir().resolve("hs_err_pid%p.log"));
        cmd.addAll(MountChild.args(opts, ready));
        return cmd;
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Ready = the kernel lists the mount and the child says its session runs. */
    private static int awaitChild(MountOptions opts, Path log, Path ready, List<String> cmd)
            throws IOException, InterruptedException, ChildCrashed {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // glibc's per-thread malloc arenas (up to 8 per core) add RSS for nothing here
        pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
        Process child = pb
                .redirectInput(new File("/dev/null"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long end = System.nanoTime() + READY_TIMEOUT_NANOS;
        while (true) {
            if (Files.exists(ready) && MountTable.isMounted(opts.mountPoint())) {
                return ExitCodes.OK;
            }
            if (child.waitFor(50, TimeUnit.MILLISECONDS)) {
                if (child.exitValue() > 128) {
                    throw new ChildCrashed(childError(log, child.exitValue()));
                }
                throw new UserError(childError(log, child.exitValue()));
            }
            if (System.nanoTime() > end) {
                child.destroy();
                throw new UserError(opts.mountPoint() + ": mount did not become ready; see " + log);
            }
        }
    }

    /**
     * java, this JVM's options except those set for a short command (memory, GC, compiler
     * tiers: the mount hashes, and SHA-1 is fast only in C2), the mount's own settings, then
     * $TORFS_MOUNT_JAVA_OPTS (which win), UTF-8 for names whatever the locale, torfs.*
     * properties, class path and the child's entry point.
     */
    static List<String> javaCommand(long heapMib) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib:jdwp") && !a.startsWith("-Dfile.encoding")
                    && !a.startsWith("-Dsun.jnu.encoding") && !isShortCommandOption(a)) {
                cmd.add(a);
            }
        }
        cmd.add("-Xmx" + heapMib + "m");
        for (String o : CHILD_JVM_OPTIONS) {
            if (!cmd.contains(o)) { // scripts/torfs passes some of them to this JVM too
                cmd.add(o);
            }
        }
        String extra = System.getenv("TORFS_MOUNT_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.add("-Dfile.encoding=UTF-8");
        cmd.add("-Dsun.jnu.encoding=UTF-8");
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("torfs.") && !cmd.contains("-D" + name + "=" + System.getProperty(name))) {
                cmd.add("-D" + name + "=" + System.getProperty(name));
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(MountChild.class.getName());
        return cmd;
    }

    /** -Xmx of the mount process for a .torrent of {@code torrentFileBytes}. */
    static long heapMib(long torrentFileBytes) {
        return BASE_HEAP_MIB + (torrentFileBytes * HEAP_PER_TORRENT_BYTE + (1 << 20) - 1) / (1 << 20);
    }

    /** Options a wrapper script sets for short commands; the mount process sets its own. */
    static boolean isShortCommandOption(String a) {
        return a.startsWith("-Xmx") || a.startsWith("-Xms") || a.startsWith("-Xss")
                || a.startsWith("-XX:MaxDirectMemorySize") || a.matches("-XX:[+-]Use\\w+GC")
                || a.startsWith("-XX:TieredStopAtLevel") || a.matches("-XX:[+-]TieredCompilation");
    }

    private static String childError(Path log, int exit) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith("torfs: ")) {
                    return lines.get(i).substring("torfs: ".length());
                }
            }
        } catch (IOException e) {
            // fall through to the generic message
        }
        return "the background process exited with code " + exit + "; see " + log;
    }
}
