package torfs.app;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import torfs.fuse.MountTable;

/**
 * {@code torfs unmount MNT}: ends a torfs mount (fusermount -u; a lazy unmount when it is busy,
 * which makes the filesystem release blocked reads and exit). A stale mount left by a killed
 * process ("Transport endpoint is not connected") is cleared.
 */
@Command(name = "unmount", aliases = "umount", mixinStandardHelpOptions = true,
        description = "Unmount a torfs mount; its background process saves its state and exits.")
public final class UnmountCommand implements Callable<Integer> {
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
        if (!MountTable.fusermount(mnt, "-u") && !MountTable.fusermount(mnt, "-u", "-z")) {
            throw new IllegalStateException(mnt + ": fusermount failed");
        }
        return ExitCodes.OK;
    }
}
