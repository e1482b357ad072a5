package torfs.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The command line a mount helper gets: {@code SOURCE MNT [-o OPTIONS]... [-n] [-s] [-v] [-f]
 * [-t TYPE]}. mount(8) runs /sbin/mount.fuse.torfs so for {@code -t fuse.torfs} and fstab lines
 * (the package links it to torfs); without that link mount.fuse3 runs {@code torfs SOURCE MNT -o
 * OPTIONS}. Either way torfs reads it as {@code torfs mount} with the options mapped by
 * {@link FstabOptions}, and returns once mounted, as mount(8) expects.
 *
 * @param source  the torrent, magnet or watched directory
 * @param mnt     the mount point
 * @param options the -o entries, as given
 * @param fake    mount -f: check everything, mount nothing
 */
record MountHelperArgs(String source, String mnt, List<String> options, boolean fake) {
    MountHelperArgs {
        options = List.copyOf(options);
    }

    /**
     * Whether {@code args} is a helper's command line: a first word that is no command and no
     * option, then an existing directory (mount(8) checks the mount point before it runs a
     * helper, so a mistyped command still gets the usual usage error).
     */
    static boolean matches(String[] args) {
        return args.length >= 2 && !args[0].startsWith("-") && !args[1].startsWith("-")
                && Subcommands.named(args) == null && Files.isDirectory(Path.of(args[1]));
    }

    /**
     * The launcher's first step for a helper's command line: {@code torfs --mount-helper-args
     * SOURCE MNT -o ...} prints the {@code torfs mount} arguments, each ended by a NUL, so the
     * launcher starts the mount as it starts any other (a watch folder or several torrents in
     * the background need it); nothing for mount's fake mode ({@code -f}); exit 3 when the
     * arguments are a command after all (the launcher's quick check only guesses).
     */
    static final String TRANSLATE = "--mount-helper-args";
    /** {@link #translate}'s answer when the arguments are no helper's command line. */
    static final int NOT_HELPER_FORM = 3;

    static int translate(String[] args, picocli.CommandLine cl, java.io.PrintStream out) {
        if (!matches(args)) {
            return NOT_HELPER_FORM; // a command after all: the launcher runs it as it is
        }
        List<String> mountArgs;
        try {
            mountArgs = mountArgs(args, cl);
        } catch (UserError e) {
            System.err.println("torfs: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        for (String a : mountArgs) {
            out.print(a);
            out.print('\0');
        }
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * The {@code torfs mount} arguments of a helper's command line, checked against the mount
     * command (registered on {@code cl} for it); empty for mount's fake mode ({@code -f}), which
     * checks them and mounts nothing.
     */
    static List<String> mountArgs(String[] args, picocli.CommandLine cl) {
        Subcommands.register(cl, new String[] {"mount"});
        MountHelperArgs helper = parse(args);
        List<String> mountArgs = helper.toMountArgs(cl.getSubcommands().get("mount").getCommandSpec());
        return helper.fake() ? List.of() : mountArgs;
    }

    /** Parses what follows SOURCE MNT; anything else is a one-line error. */
    static MountHelperArgs parse(String[] args) {
        List<String> options = new ArrayList<>();
        boolean fake = false;
        for (int i = 2; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-o", "-t" -> {
                    if (i + 1 >= args.length) {
                        throw new UserError("mount helper: " + a + " needs a value");
                    }
                    if (a.equals("-o")) {
                        options.add(args[i + 1]);
                    }
                    i++; // -t fuse.torfs: we are that type
                }
                case "-n", "-s", "-v" -> {
                    // no mtab to write (the kernel's table is the truth), sloppy, verbose: nothing to do
                }
                case "-f" -> fake = true;
                default -> throw new UserError("mount helper: unsupported argument '" + a
                        + "' (usage: torfs SOURCE MNT [-o OPTIONS])");
            }
        }
        return new MountHelperArgs(args[0], args[1], options, fake);
    }

    /** The {@code torfs mount} command line, each torfs option checked against {@code mount}. */
    List<String> toMountArgs(CommandSpec mount) {
        return FstabOptions.toMountArgs(source, mnt, options, mount);
    }
}
