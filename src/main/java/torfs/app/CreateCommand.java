package torfs.app;

import java.io.Console;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import torfs.metainfo.MetainfoParser;
import torfs.metainfo.Torrent;
import torfs.metainfo.TorrentBuilder;

/**
 * {@code torfs create PATH -o OUT.torrent}: a v1 torrent whose info-hash equals mktorrent's for
 * the same input, piece size and private flag.
 */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Make a .torrent of a file or directory (same info-hash as mktorrent).")
public final class CreateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PATH", description = "File or directory to share.")
    Path source;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.torrent",
            description = "Where to write the torrent (default: NAME.torrent here). Never overwritten.")
    Path output;

    @Option(names = "--piece-size", paramLabel = "BYTES|auto", defaultValue = "auto",
            description = "Piece size: a power of two from 16K to 32M (suffix K or M allowed), "
                    + "or auto (1000-2000 pieces, 16 KiB to 16 MiB). Default: ${DEFAULT-VALUE}.")
    String pieceSize;

    @Option(names = "--tracker", paramLabel = "URL", description = "Tracker; repeat for more (one tier each).")
    List<String> trackers = new ArrayList<>();

    @Option(names = "--webseed", paramLabel = "URL", description = "BEP 19 web seed; repeat for more.")
    List<String> webSeeds = new ArrayList<>();

    @Option(names = "--private", description = "Set the private flag (no DHT/PEX).")
    boolean isPrivate;

    @Option(names = "--comment", paramLabel = "TEXT", description = "A comment.")
    String comment = "";

    @Override
    public Integer call() throws Exception {
        if (!Files.exists(source)) {
            throw new UserError(source + ": no such file or directory");
        }
        Path out = output != null ? output
                : Path.of(source.toAbsolutePath().normalize().getFileName() + ".torrent");
        if (Files.exists(out)) {
            throw new UserError(out + " exists already; remove it or choose another -o");
        }
        Path outDir = out.toAbsolutePath().getParent();
        if (!Files.isDirectory(outDir) || !Files.isWritable(outDir)) { // before hashing, not after
            throw new UserError(out + ": cannot write there (" + outDir
                    + (Files.isDirectory(outDir) ? " is not writable)" : " is not a directory)"));
        }
        TorrentBuilder builder = TorrentBuilder.of(source)
                .privateFlag(isPrivate)
                .comment(comment)
                .createdBy("torfs " + Version.VERSION)
                .creationDate(Instant.now().getEpochSecond());
        int length = parsePieceSize(pieceSize);
        if (length == 0) {
            builder.autoPieceLength();
        } else {
            builder.pieceLength(length);
        }
        trackers.forEach(builder::tracker);
        webSeeds.forEach(builder::webSeed);
        Console console = System.console();
        if (console != null) {
            builder.progress(new TerminalProgress());
        }
        byte[] torrent = builder.build();
        if (console != null) {
            System.err.print("\r\033[K");
        }
        write(torrent, out);
        Torrent t = MetainfoParser.parse(torrent);
        System.out.println(out + ": " + t.infoHash().hex() + "  " + t.name() + "  "
                + t.pieceCount() + " pieces of " + Sizes.format(t.pieceLength()) + ", "
                + Sizes.format(t.totalLength()));
        return ExitCodes.OK;
    }

    /** 0 for auto; otherwise a {@link Sizes} byte count (16K, 1MiB, 4m, 65536). */
    static int parsePieceSize(String text) {
        if (text.trim().equalsIgnoreCase("auto")) {
            return 0;
        }
        long v = Sizes.parse("--piece-size", text);
        if (Long.bitCount(v) != 1 || v < TorrentBuilder.MIN_PIECE_LENGTH
                || v > TorrentBuilder.MAX_PIECE_LENGTH) {
            throw new UserError("--piece-size must be a power of two from 16K to 32M, got " + text);
        }
        return (int) v;
    }

    /** Writes next to the target and renames, so a failed run leaves no half torrent. */
    private static void write(byte[] torrent, Path out) throws IOException {
        Path abs = out.toAbsolutePath();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".part");
        try {
            Files.write(tmp, torrent);
        } catch (FileSystemException e) { // named by the path asked for, not by the .part
            String why = e instanceof NoSuchFileException ? "no such file or directory"
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
            throw new UserError(out + ": cannot write it: " + why, e);
        }
        try {
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** One self-overwriting line on stderr, at most ten updates a second. */
    private static final class TerminalProgress implements TorrentBuilder.Progress {
        private final AtomicLong lastNanos = new AtomicLong();

        @Override
        public void hashed(long done, long total) {
            long now = System.nanoTime();
            long last = lastNanos.get();
            if (done < total && now - last < 100_000_000L) {
                return;
            }
            if (lastNanos.compareAndSet(last, now)) {
                System.err.printf("\rhashing: %d%% of %s", done * 100 / total, Sizes.format(total));
                System.err.flush();
            }
        }
    }
}
