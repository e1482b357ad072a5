package torfs.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import torfs.control.ControlClient;

/** {@code torfs status [--mount MNT] [--json] [--watch] [--trackers]}. */
@Command(name = "status", mixinStandardHelpOptions = true, description = {
        "The torrents of a running mount: progress, rates, peers.",
        "--trackers adds each tracker's last announce and the DHT's lookups; --json prints the",
        "API's answer (per torrent also its files, peers, trackers, DHT lookups and a run-length",
        "piece map); --watch redraws it every second, as top does, until interrupted."})
public final class StatusCommand implements Callable<Integer> {
    @Option(names = "--mount", paramLabel = "MNT", description = "The mount (default: the only one running).")
    Path mount;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    @Option(names = "--watch", description = "Redraw every second until interrupted.")
    boolean watch;

    @Option(names = "--trackers", description = "Under each torrent, its trackers' last announces and its DHT lookups.")
    boolean trackers;

    @Override
    public Integer call() throws InterruptedException {
        ControlClient client = ControlTarget.client(mount);
        while (true) {
            String body = ControlTarget.call(client, "GET", "/api/status", null);
            String text = json ? body : StatusTable.render(body, trackers, System.currentTimeMillis() / 1000);
            if (watch && !json && System.console() != null) {
                System.out.print("\033[H\033[2J"); // home and clear, as top redraws; a pipe gets tables one after another
            }
            System.out.print(text.endsWith("\n") ? text : text + "\n");
            System.out.flush();
            // System.out swallows EPIPE: without this `status --watch | head` never ended
            if (!watch || System.out.checkError()) {
                return ExitCodes.OK;
            }
            Thread.sleep(1000);
        }
    }
}
