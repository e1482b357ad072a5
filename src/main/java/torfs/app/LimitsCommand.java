package torfs.app;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import torfs.control.Json;

/** {@code torfs limits [--mount MNT] [--max-up BYTES/S] [--max-down BYTES/S]}. */
@Command(name = "limits", mixinStandardHelpOptions = true, description = {
        "Show or set the upload and download limits a running mount shares among its torrents."})
public final class LimitsCommand implements Callable<Integer> {
    @Option(names = "--mount", paramLabel = "MNT", description = "The mount (default: the only one running).")
    Path mount;

    @Option(names = "--max-up", paramLabel = "BYTES/S", description = "Upload limit, e.g. 500K; 0 for none.")
    String maxUp;

    @Option(names = "--max-down", paramLabel = "BYTES/S", description = "Download limit, e.g. 10M; 0 for none.")
    String maxDown;

    @Override
    public Integer call() {
        String body;
        if (maxUp == null && maxDown == null) {
            body = ControlTarget.call(ControlTarget.client(mount), "GET", "/api/session", null);
        } else {
            Map<String, Object> req = new LinkedHashMap<>();
            if (maxUp != null) {
                req.put("uploadLimit", Sizes.parse("--max-up", maxUp));
            }
            if (maxDown != null) {
                req.put("downloadLimit", Sizes.parse("--max-down", maxDown));
            }
            body = ControlTarget.call(ControlTarget.client(mount), "POST", "/api/session", Json.write(req));
        }
        Map<?, ?> s = (Map<?, ?>) Json.parse(body);
        System.out.println("upload limit: " + limit(s.get("uploadLimit")) + ", download limit: "
                + limit(s.get("downloadLimit")) + " (shared by " + s.get("torrentCount")
                + (String.valueOf(s.get("torrentCount")).equals("1") ? " torrent)" : " torrents)"));
        return ExitCodes.OK;
    }

    private static String limit(Object v) {
        long n = v instanceof Number x ? x.longValue() : 0;
        return n == 0 ? "none" : Sizes.format(n) + "/s";
    }
}
