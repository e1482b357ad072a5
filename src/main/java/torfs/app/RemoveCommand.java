package torfs.app;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import torfs.control.ControlClient;
import torfs.control.Json;

/** {@code torfs remove NAME|INFOHASH... [--mount MNT] [--delete-data]}. */
@Command(name = "remove", mixinStandardHelpOptions = true, description = {
        "Remove torrents from a running mount; the data stays on disk unless --delete-data.",
        "New opens fail at once; files already open keep reading until closed."})
public final class RemoveCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "NAME|INFOHASH",
            description = "Its name in the mount, its info-hash or a unique prefix of 8 hex digits.")
    List<String> ids = new ArrayList<>();

    @Option(names = "--mount", paramLabel = "MNT", description = "The mount (default: the only one running).")
    Path mount;

    @Option(names = "--delete-data", description = "Delete its downloaded data too (once its open files are closed).")
    boolean deleteData;

    @Override
    public Integer call() {
        ControlClient client = ControlTarget.client(mount, true);
        int exit = ExitCodes.OK;
        for (String id : ids) {
            try {
                String body = ControlTarget.call(client, "DELETE", "/api/torrents/"
                        + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20")
                        + (deleteData ? "?deleteData=true" : ""), null);
                if (Json.parse(body) instanceof Map<?, ?> m && m.get("removed") instanceof Map<?, ?> t) {
                    System.out.println("removed " + t.get("name") + " (" + t.get("hashString") + ")");
                }
            } catch (UserError e) {
                System.err.println("torfs: " + e.getMessage());
                exit = Math.max(exit, ExitCodes.BAD_INPUT);
            }
        }
        return exit;
    }
}
