package torfs.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Build step (exec-maven-plugin, before the jar is made): the man pages, as AsciiDoc that
 * scripts/package-deb.sh turns into troff, and the bash completion script, both from the same
 * command model users get, so they cannot drift from the options. Not in the shaded jar:
 * picocli-codegen is a build-time dependency only.
 */
public final class CommandDocs {
    /** How mount(8) and fstab reach `torfs mount` (torfs.app.MountHelperArgs, FstabOptions). */
    private static final String[] FSTAB = {
        "mount -t fuse.torfs SOURCE MNT -o OPTIONS, and fstab lines of type fuse.torfs, run torfs mount: "
                + "an option a=b is --a b, a flag is --flag, watch makes SOURCE a watched directory "
                + "(--watch SOURCE MNT); FUSE's options (allow_other, nodev, uid=N, ...) go to FUSE; those of "
                + "mount and systemd (noauto, nofail, _netdev, x-systemd.automount, ...) are left out. mount "
                + "returns once the tree is visible; umount MNT ends the mount. For example:",
        "",
        "/srv/films.torrent /mnt/films fuse.torfs data=/var/cache/torfs/films,no-dht,allow_other 0 0",
        "",
        "The torfs@.service template mounts on the path its instance names (systemd-escape --path) what "
                + "/etc/torfs/INSTANCE.conf names: TORFS_SOURCE=... and TORFS_OPTIONS=...",
    };

    private CommandDocs() {
    }

    /** Writes TARGET/man/*.adoc (one page per command) and TARGET/completion/torfs. */
    public static void main(String[] args) throws IOException {
        Path target = Path.of(args.length > 0 ? args[0] : "target");
        CommandLine cl = new CommandLine(new Main());
        Subcommands.register(cl, new String[0]); // every command, as `torfs --help` lists them
        cl.setUsageHelpWidth(160); // long synopsis lines: AsciiDoc and man wrap them again
        cl.getSubcommands().get("mount").getCommandSpec().usageMessage().footerHeading("Mounting from fstab").footer(FSTAB);
        Path man = Files.createDirectories(target.resolve("man"));
        int rc = ManPageGenerator.generateManPage(man.toFile(), null, new boolean[0], false, cl.getCommandSpec());
        if (rc != 0) {
            throw new IOException("man page generation failed (" + rc + ")");
        }
        Path completion = Files.createDirectories(target.resolve("completion")).resolve("torfs");
        Files.writeString(completion, AutoComplete.bash("torfs", cl), StandardCharsets.UTF_8);
    }
}
