package torfs.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import torfs.control.ControlClient;
import torfs.control.Json;
import torfs.fuse.MountTable;

/**
 * {@code torfs unmount MNT}: ends a torfs mount (fusermount -u; a lazy unmount when it is busy,
 * which makes the filesystem release blocked reads and exit), then waits for the process that
 * served it to save its state and exit, as {@code umount} of a disk returns once it is written:
 * a script may mount the same data again or remove it right after. A stale mount left by a
 * killed process ("Transport endpoint is not connected") is cleared.
 */
@Command(name = "unmount", aliases = "umount", mixinStandardHelpOptions = true,
        description = "Unmount a torfs mount; returns once its background process has saved its state and exited.")
public final class UnmountCommand implements Callable<Integer> {
    /** The longest a mount's process takes to stop (a mount of many: LibraryMount's bound). */
    private static final long EXIT_WAIT_SECONDS = 60;

    @Parameters(index = "0", paramLabel = "MNT", description = "The mount point.")
    Path mountPoint;

    @Override
    public Integer call() {
        Path mnt = mountPoint.toAbsolutePath().normalize();
        if (MountTable.isStale(mnt)) {
            if (!MountTable.fusermount(mnt, "-u", "-z")) {
                throw new IllegalStateException(mnt + ": could not clear the stale mount");
            }
            return ExitCodes.OK;
        }
        Optional<MountTable.Entry> entry = MountTable.find(mnt);
        if (entry.isEmpty()) {
            throw new UserError(mnt + ": not mounted");
        }
        if (!entry.get().fsType().equals("fuse.torfs")) {
            throw new UserError(mnt + ": not a torfs mount (" + entry.get().fsType() + ")");
        }
        OptionalLong server = servingPid(mnt);
        Path stat = server.isPresent() ? Path.of("/proc", Long.toString(server.getAsLong()), "stat") : null;
        String started = stat == null ? null : startTime(stat); // told apart from a later process with its pid
        if (!MountTable.fusermount(mnt, "-u") && !MountTable.fusermount(mnt, "-u", "-z")) {
            throw new IllegalStateException(mnt + ": fusermount failed");
        }
        if (started != null) {
            awaitExit(mnt, server.getAsLong(), stat, started);
        }
        return ExitCodes.OK;
    }

    /** The pid of the process behind the mount, as its control socket tells it; empty when it has none. */
    private static OptionalLong servingPid(Path mnt) {
        ControlClient client = ControlTarget.clientIfAny(mnt);
        if (client == null) {
            return OptionalLong.empty();
        }
        // a process too busy to answer within a second is unmounted without the wait, as before
        CompletableFuture<ControlClient.Answer> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return client.request("GET", "/api/session", null);
            } catch (IOException e) {
                return null;
            }
        });
        try {
            ControlClient.Answer a = answer.get(1, TimeUnit.SECONDS);
            if (a != null && a.status() == 200 && Json.parse(a.body()) instanceof Map<?, ?> m
                    && m.get("pid") instanceof Long pid && pid != ProcessHandle.current().pid()) {
                return OptionalLong.of(pid); // (a mount served by this very process, as the CDS training's, ends after us)
            }
        } catch (TimeoutException | ExecutionException | IllegalArgumentException e) {
            // no pid (an older process, or none that answers): no wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OptionalLong.empty();
    }

    /**
     * Waits until the process has exited: gone from /proc, a zombie (its files, and so the data's
     * lock, are closed; reaping it is its parent's business, which may be slow), or another
     * process by now under the same pid.
     */
    private static void awaitExit(Path mnt, long pid, Path stat, String started) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EXIT_WAIT_SECONDS);
        while (true) {
            String[] now = statFields(stat);
            if (now == null || !now[19].equals(started) || now[0].equals("Z") || now[0].equals("X")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                System.err.println("torfs: " + mnt + " is unmounted; its process " + pid + " is still stopping");
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String startTime(Path stat) {
        String[] f = statFields(stat);
        return f == null ? null : f[19];
    }

    /** /proc/PID/stat's fields after the command's name: [0] the state, [19] the start time; null when gone. */
    private static String[] statFields(Path stat) {
        try {
            String line = Files.readString(stat);
            String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
            return f.length > 19 ? f : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
