package torfs.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point: parses the command line and turns failures into one line and an exit code. */
@Command(name = "torfs", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Mount a torrent and read its files while they download.")
public final class Main implements Runnable {
    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of failures.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        torfs.log.StartTrace.mark("main");
        torfs.log.Logging.install(java.util.Arrays.asList(args).contains("--debug"));
        torfs.tracker.NettyDefaults.apply();
        StartWarmup.startFor(args);
        int code = run(args);
        torfs.log.StartTrace.mark("exit");
        System.exit(code);
    }

    /** Runs the command and returns its exit code (no System.exit, so tests can call it). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        if (args.length == 1 && args[0].equals(CdsTraining.OPTION)) {
            return CdsTraining.run(); // the build's training run for the class-data archive
        }
        if (args.length > 0 && args[0].equals(MountHelperArgs.TRANSLATE)) {
            return MountHelperArgs.translate(java.util.Arrays.copyOfRange(args, 1, args.length), cl, System.out);
        }
        if (MountHelperArgs.matches(args)) { // mount -t fuse.torfs, an fstab line
            try {
                args = MountHelperArgs.mountArgs(args, cl).toArray(new String[0]);
            } catch (UserError e) {
                System.err.println("torfs: " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            if (args.length == 0) {
                return ExitCodes.OK; // mount -f: checked, nothing to mount
            }
        } else {
            Subcommands.register(cl, args); // before the handlers: they are inherited by subcommands
        }
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        if (debug) {
            // torfs.* properties travel to the background mount process
            System.setProperty("torfs.debug", "true");
        }
        cl.setExecutionExceptionHandler(new FailureHandler(debug));
        cl.setParameterExceptionHandler(FailureHandler::usageError);
        OutOfMemory.reportOnAnyThread();
        torfs.log.StartTrace.mark("command line ready");
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("torfs: " + OutOfMemory.describe());
            return ExitCodes.FAILURE;
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
