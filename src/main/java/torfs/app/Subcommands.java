package torfs.app;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * The subcommands of {@code torfs}, registered by name. picocli models a command by reflection
 * when it is added, ~15 ms a command on a cold JVM, and every launch (a mount's included) pays
 * it before its first step: so a command line that names one gets that one only; any other
 * (no command, an unknown one, {@code --help}) gets them all, for the usage and the suggestions.
 */
final class Subcommands {
    /** In the order the usage lists them; aliases map to the same command. */
    private static final Map<String, Supplier<Object>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("info", InfoCommand::new);
        ALL.put("create", CreateCommand::new);
        ALL.put("verify", VerifyCommand::new);
        ALL.put("mount", MountCommand::new);
        ALL.put("unmount", UnmountCommand::new);
        ALL.put("download", DownloadCommand::new);
        ALL.put("seed", SeedCommand::new);
        ALL.put("add", AddCommand::new);
        ALL.put("remove", RemoveCommand::new);
        ALL.put("pause", PauseCommand.Pause::new);
        ALL.put("resume", PauseCommand.Resume::new);
        ALL.put("list", ListCommand::new);
        ALL.put("status", StatusCommand::new);
        ALL.put("limits", LimitsCommand::new);
    }

    private Subcommands() {
    }

    /** Adds to {@code cl} the command {@code args} names, or all of them. */
    static void register(CommandLine cl, String[] args) {
        String named = named(args);
        if (named != null) {
            cl.addSubcommand(ALL.get(named).get());
            return;
        }
        for (Supplier<Object> c : ALL.values()) {
            cl.addSubcommand(c.get());
        }
    }

    /** The command the first word that is not an option names (through an alias too), else null. */
    static String named(String[] args) {
        for (String a : args) {
            if (!a.startsWith("-")) {
                String name = a.equals("umount") ? "unmount" : a;
                return ALL.containsKey(name) ? name : null;
            }
        }
        return null;
    }
}
