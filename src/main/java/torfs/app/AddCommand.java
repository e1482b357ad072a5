package torfs.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import torfs.control.ControlClient;
import torfs.control.Json;

/** {@code torfs add SOURCE... [--mount MNT] [--paused]}: adds torrents to a running mount of many. */
@Command(name = "add", mixinStandardHelpOptions = true,
        description = "Add torrents to a running mount; each shows as MNT/<name> at once (a magnet once its metadata came).")
public final class AddCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "SOURCE", description = "A .torrent file, a magnet link or an http(s) URL of a .torrent.")
    List<String> sources = new ArrayList<>();

    @Option(names = "--mount", paramLabel = "MNT", description = "The mount (default: the only one running).")
    Path mount;

    @Option(names = "--paused", description = "Add it paused: it shows in the mount but fetches nothing until `torfs resume`.")
    boolean paused;

    @Override
    public Integer call() {
        ControlClient client = ControlTarget.client(mount, true);
        int exit = ExitCodes.OK;
        for (String s : sources) {
            String source = s;
            if (!TorrentSource.isMagnet(s) && !TorrentUrl.isUrl(s)) {
                Path p = Path.of(s).toAbsolutePath().normalize();
                if (!Files.isRegularFile(p)) {
                    System.err.println("torfs: " + s + ": no such file");
                    exit = Math.max(exit, ExitCodes.BAD_INPUT);
                    continue;
                }
                source = p.toString();
            }
            Map<String, Object> req = new LinkedHashMap<>();
            req.put("filename", source);
            if (paused) {
                req.put("paused", true);
            }
            try {
                String body = ControlTarget.call(client, "POST", "/api/torrents", Json.write(req));
                if (Json.parse(body) instanceof Map<?, ?> m && m.get("torrentAdded") instanceof Map<?, ?> t) {
                    System.out.println("added " + t.get("name") + " (" + t.get("hashString") + ")"
                            + ("stopped".equals(t.get("state")) ? ", paused" : ""));
                }
            } catch (UserError e) {
                System.err.println("torfs: " + e.getMessage());
                exit = Math.max(exit, ExitCodes.BAD_INPUT);
            }
        }
        return exit;
    }
}
