package torfs.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import torfs.geometry.PieceGeometry;
import torfs.geometry.PieceRange;
import torfs.metainfo.FileEntry;
import torfs.metainfo.MetainfoParser;
import torfs.metainfo.Torrent;
import torfs.storage.DataLayout;
import torfs.storage.PieceChecker;
import torfs.storage.PieceStore;

/** {@code torfs verify FILE.torrent --data DIR}: hashes the data on disk and reports per file. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check the data of a torrent on disk against its piece hashes.",
                "Exit 0 when every piece is present and correct, 1 otherwise."})
public final class VerifyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE.torrent", description = "The .torrent file.")
    Path torrentFile;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "Directory holding the torrent's file or top directory.")
    Path dataDir;

    @Option(names = "--threads", paramLabel = "N", description = "Hashing threads (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dataDir)) {
            throw new UserError(dataDir + ": no such directory");
        }
        if (threads < 1) {
            throw new UserError("--threads must be at least 1");
        }
        Torrent torrent = MetainfoParser.parse(Files.readAllBytes(torrentFile));
        PrintStream progress = System.console() != null ? System.err : null;
        return verify(torrent, dataDir, threads, System.out, progress);
    }

    /**
     * Verifies and prints the report to {@code out}; a progress line goes to {@code progressOut}
     * when it is not null (a terminal). Returns the exit code.
     */
    static int verify(Torrent torrent, Path dataDir, int threads, PrintStream out,
                      PrintStream progressOut) throws IOException, InterruptedException {
        DataLayout layout = DataLayout.of(torrent, dataDir);
        PieceChecker.Result result;
        try (PieceStore store = PieceStore.open(layout);
             CheckProgressLine progress = new CheckProgressLine("verifying", progressOut)) {
            result = PieceChecker.check(layout, store, threads, progress);
        }
        PieceGeometry g = layout.geometry();
        int good = result.verified().cardinality();
        out.println("verified " + good + "/" + g.pieceCount() + " pieces");
        for (FileEntry f : torrent.files()) {
            if (!f.pad()) {
                out.println(fileLine(layout, result, f));
            }
        }
        return good == g.pieceCount() ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private static String fileLine(DataLayout layout, PieceChecker.Result r, FileEntry f)
            throws IOException {
        PieceGeometry g = layout.geometry();
        PieceRange range = g.piecesOfFile(f.index());
        long start = g.fileStart(f.index());
        long end = start + f.length();
        long goodBytes = 0;
        int bad = 0;
        int missing = 0;
        for (int p = range.first(); p < range.end(); p++) {
            if (r.verified().get(p)) {
                long ps = g.pieceStart(p);
                goodBytes += Math.min(end, ps + g.pieceSize(p)) - Math.max(start, ps);
            } else if (r.bad().get(p)) {
                bad++;
            } else {
                missing++;
            }
        }
        double pct = f.length() == 0 ? 100.0 : 100.0 * goodBytes / f.length();
        if (pct > 99.9 && goodBytes < f.length()) {
            pct = 99.9; // never round an incomplete file up to 100.0%
        }
        String shown = layout.dataDir().relativize(layout.pathOf(f.index())).toString();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%7.1f%%  %s  (%s)",
                pct, shown, Sizes.format(f.length())));
        if (bad > 0) {
            line.append("  ").append(bad).append(bad == 1 ? " bad piece" : " bad pieces");
        }
        if (missing > 0) {
            long onDisk = PieceChecker.sizeOnDisk(layout.pathOf(f.index()));
            if (onDisk < 0) {
                line.append("  missing");
            } else if (onDisk < f.length()) {
                line.append("  too short (").append(Sizes.format(onDisk)).append(")");
            } else {
                line.append("  ").append(missing).append(missing == 1 ? " piece" : " pieces")
                        .append(" missing (never written, or in a neighbour file)");
            }
        }
        return line.toString();
    }
}
