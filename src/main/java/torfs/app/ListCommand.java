package torfs.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code torfs list [--mount MNT]}: the torrents of a running mount, one a line. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the torrents of a running mount.")
public final class ListCommand implements Callable<Integer> {
    @Option(names = "--mount", paramLabel = "MNT", description = "The mount (default: the only one running).")
    Path mount;

    @Override
    public Integer call() {
        String body = ControlTarget.call(ControlTarget.client(mount), "GET", "/api/torrents", null);
        System.out.print(StatusTable.render(body));
        return ExitCodes.OK;
    }
}
