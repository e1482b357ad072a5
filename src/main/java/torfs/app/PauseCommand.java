package torfs.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import torfs.control.ControlClient;
import torfs.control.Json;

/**
 * {@code torfs pause NAME|INFOHASH... | --all [--mount MNT]} and {@code torfs resume ...}: the
 * control API's torrent-stop and torrent-start. One class, two commands, told apart by
 * {@link #resume}.
 */
public class PauseCommand implements Callable<Integer> {
    /** The torrents named, or all of them: exactly one of the two. */
    static final class Which {
        @Parameters(arity = "1..*", paramLabel = "NAME|INFOHASH",
                description = "Its name in the mount, its info-hash or a unique prefix of 8 hex digits.")
        List<String> ids = new ArrayList<>();

        @Option(names = "--all", required = true, description = "Every torrent of the mount.")
        boolean all;
    }

    @ArgGroup(multiplicity = "1")
    Which which;

    @Option(names = "--mount", paramLabel = "MNT", description = "The mount (default: the only one running).")
    Path mount;

    private final boolean resume;

    PauseCommand(boolean resume) {
        this.resume = resume;
    }

    public PauseCommand() {
        this(false);
    }

    @Override
    public Integer call() {
        ControlClient client = ControlTarget.client(mount, true);
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("ids", which.all ? "all" : which.ids);
        try {
            String body = ControlTarget.call(client, "POST", resume ? "/api/torrent-start" : "/api/torrent-stop",
                    Json.write(req));
            if (Json.parse(body) instanceof Map<?, ?> m && m.get("torrents") instanceof List<?> all) {
                for (Object o : all) {
                    if (o instanceof Map<?, ?> t) {
                        System.out.println((resume ? "resumed " : "paused ") + t.get("name") + " (" + t.get("hashString")
                                + ")");
                    }
                }
            }
            return ExitCodes.OK;
        } catch (UserError e) {
            System.err.println("torfs: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
    }

    /** {@code torfs pause}. */
    @Command(name = "pause", mixinStandardHelpOptions = true, description = {
            "Pause torrents of a running mount.",
            "A paused torrent stays mounted and serves the data it has, but closes its peers, tells",
            "its trackers \"stopped\" and fetches nothing; a read of data it lacks fails at once (EIO).",
            "It stays paused across remounts of the same data directory."})
    public static final class Pause extends PauseCommand {
        public Pause() {
            super(false);
        }
    }

    /** {@code torfs resume}. */
    @Command(name = "resume", mixinStandardHelpOptions = true, description = {
            "Resume paused torrents of a running mount.",
            "They announce to their trackers and the DHT again and reconnect to their peers."})
    public static final class Resume extends PauseCommand {
        public Resume() {
            super(true);
        }
    }
}
