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
    private static final long READY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private MountDaemon() {
    }

    /** @param childArgs the arguments after the main class, e.g. [mount, SOURCE, MNT, ..., -f] */
    static int start(MountOptions opts, List<String> childArgs) throws IOException, InterruptedException {
        Files.createDirectories(opts.dataDir());
        Path log = opts.dataDir().resolve(LOG_FILE);
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid"))) {
            cmd.add("setsid");
        }
        cmd.addAll(javaCommand());
        cmd.addAll(childArgs);
        Process child = new ProcessBuilder(cmd)
                .redirectInput(new File("/dev/null"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long end = System.nanoTime() + READY_TIMEOUT_NANOS;
        while (true) {
            if (MountTable.isMounted(opts.mountPoint())) {
                return ExitCodes.OK;
            }
            if (child.waitFor(50, TimeUnit.MILLISECONDS)) {
                throw new UserError(childError(log, child.exitValue()));
            }
            if (System.nanoTime() > end) {
                child.destroy();
                throw new UserError(opts.mountPoint() + ": mount did not become ready; see " + log);
            }
        }
    }

    /** java, its JVM options, UTF-8 for names whatever the locale, torfs.* properties, class path. */
    static List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib:jdwp") && !a.startsWith("-Dfile.encoding")
                    && !a.startsWith("-Dsun.jnu.encoding")) {
                cmd.add(a);
            }
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
        cmd.add(Main.class.getName());
        return cmd;
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
