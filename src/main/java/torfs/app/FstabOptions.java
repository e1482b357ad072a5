package torfs.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The options of an fstab line or of {@code mount -t fuse.torfs -o ...}, as the arguments of
 * {@code torfs mount}: {@code a=b} is {@code --a b}, {@code flag} is {@code --flag}, and
 * {@code watch} makes the source a watched directory ({@code --watch SOURCE MNT}). What
 * belongs to FUSE (allow_other, nodev, ...) goes to FUSE with -o; what belongs to mount(8),
 * systemd or the fstab itself (noauto, nofail, x-systemd.*, rw, ...) is dropped. The mapping
 * knows no torfs option by name: a new mount option works in fstab as soon as the command has it.
 */
final class FstabOptions {
    /** mount(8)'s, systemd's and the fstab's own; rw because a torrent is always read-only. */
    private static final Set<String> DROPPED = Set.of("defaults", "auto", "noauto", "user", "users", "nouser",
            "owner", "group", "nofail", "_netdev", "rw", "loop");
    private static final List<String> DROPPED_PREFIXES = List.of("x-", "comment=");
    /** libfuse 2's flags and the VFS flags it understands (its mount.c and fuse.c option tables). */
    private static final Set<String> FUSE_FLAGS = Set.of("allow_other", "allow_root", "default_permissions",
            "auto_unmount", "nonempty", "ro", "dev", "nodev", "suid", "nosuid", "exec", "noexec", "async", "sync",
            "dirsync", "atime", "noatime", "kernel_cache", "auto_cache", "noauto_cache", "direct_io", "large_read",
            "hard_remove", "use_ino", "readdir_ino", "intr", "big_writes", "no_remote_lock", "blkdev");
    /** libfuse 2's options with a value. */
    private static final Set<String> FUSE_VALUED = Set.of("max_read", "uid", "gid", "umask", "fsname", "subtype",
            "blksize", "entry_timeout", "negative_timeout", "attr_timeout", "ac_attr_timeout", "max_readahead",
            "max_write", "max_background", "congestion_threshold", "intr_signal", "modules");
    /** The source is a directory of .torrent files to watch, not a torrent. */
    static final String WATCH = "watch";
    /** Options that would keep mount(8) from returning, or not mount at all. */
    private static final Set<String> REFUSED = Set.of("foreground", "help", "version");

    private FstabOptions() {
    }

    /**
     * The {@code torfs mount} command line for SOURCE on MNT with these -o entries (each may
     * hold several, comma-separated).
     *
     * @param mount the mount command's model: each torfs option must be one of its options, a
     *              flag without a value, a valued one with one; null checks nothing
     * @throws UserError naming the -o entry that is not an option, lacks or has a stray value
     */
    static List<String> toMountArgs(String source, String mnt, List<String> options, CommandSpec mount) {
        List<String> torfs = new ArrayList<>();
        List<String> fuse = new ArrayList<>();
        boolean watch = false;
        for (String group : options) {
            for (String raw : group.split(",")) {
                String opt = raw.trim();
                int eq = opt.indexOf('=');
                String name = eq < 0 ? opt : opt.substring(0, eq);
                if (opt.isEmpty() || DROPPED.contains(name) || DROPPED_PREFIXES.stream().anyMatch(opt::startsWith)) {
                    continue;
                }
                if (isFuse(opt)) {
                    fuse.add(opt);
                } else if (name.equals(WATCH) && eq < 0) {
                    watch = true;
                } else {
                    String value = eq < 0 ? null : opt.substring(eq + 1);
                    check(opt, name, value, mount);
                    torfs.add("--" + name);
                    if (value != null) {
                        torfs.add(value);
                    }
                }
            }
        }
        List<String> args = new ArrayList<>();
        args.add("mount");
        if (watch) {
            // `--watch SOURCE MNT` reads right whether --watch is a flag or takes SOURCE as its DIR
            if (mount != null && mount.findOption("--" + WATCH) == null) {
                throw new UserError("unknown mount option '" + WATCH + "' (see torfs mount --help)");
            }
            args.add("--" + WATCH);
        }
        args.add(source);
        args.add(mnt);
        args.addAll(torfs);
        if (!fuse.isEmpty()) {
            args.add("-o");
            args.add(String.join(",", fuse));
        }
        return args;
    }

    /** Whether one -o entry ({@code name} or {@code name=value}) is libfuse's. */
    static boolean isFuse(String opt) {
        int eq = opt.indexOf('=');
        return eq < 0 ? FUSE_FLAGS.contains(opt) : FUSE_VALUED.contains(opt.substring(0, eq));
    }

    private static void check(String opt, String name, String value, CommandSpec mount) {
        if (REFUSED.contains(name) || name.isEmpty() || name.startsWith("-")) {
            throw new UserError("mount option '" + opt + "' cannot be used with mount -t fuse.torfs or in fstab");
        }
        if (mount == null) {
            return;
        }
        OptionSpec spec = mount.findOption("--" + name);
        if (spec == null) {
            throw new UserError("unknown mount option '" + opt + "' (see torfs mount --help)");
        }
        boolean flag = spec.arity().max() == 0;
        if (flag && value != null) {
            throw new UserError("mount option '" + opt + "': " + name + " takes no value");
        }
        if (!flag && value == null) {
            throw new UserError("mount option '" + opt + "' needs a value: " + name + "=" + spec.paramLabel());
        }
    }
}
