package torfs.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import torfs.metainfo.FileEntry;
import torfs.session.Client;
import torfs.metainfo.Torrent;

/**
 * {@code torfs info SOURCE [--json] [--save FILE.torrent]}: what a .torrent holds, after our
 * sanitising; for a magnet, its metadata fetched from the swarm first.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Show what a .torrent holds (paths as TorFS would create them).",
                "For a magnet link the metadata is fetched from its peers first."})
public final class InfoCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SOURCE", description = "A .torrent file, an http(s) URL of one or a magnet link.")
    String source;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--save", paramLabel = "FILE.torrent", description = "Also write the torrent to this file.")
    Path save;

    @Mixin
    DownloadCommand.NetworkOptions net;

    @Override
    public Integer call() throws Exception {
        TorrentSource src = TorrentSource.of(source);
        Torrent t;
        if (src.isMagnet()) {
            net.defaultPort = 0; // only asking: any free port, never a running client's
            try (Client client = Client.start(net.settings())) {
                t = src.torrent(client, net.peerAddresses(), net.metadataTimeout(), null);
            }
        } else {
            t = src.torrent(null, List.of(), net.metadataTimeout(), null);
        }
        if (save != null) {
            Files.write(save, src.torrentFile(t, source));
        }
        System.out.println(json ? Json.write(toMap(t)) : text(t));
        return ExitCodes.OK;
    }

    static Map<String, Object> toMap(Torrent t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("infoHash", t.infoHash().hex());
        m.put("hybrid", t.hybrid());
        m.put("singleFile", t.singleFile());
        m.put("pieceLength", t.pieceLength());
        m.put("pieceCount", t.pieceCount());
        m.put("totalSize", t.totalLength());
        m.put("private", t.isPrivate());
        m.put("comment", t.comment().isEmpty() ? null : t.comment());
        m.put("createdBy", t.createdBy().isEmpty() ? null : t.createdBy());
        m.put("creationDate", t.creationDate().isPresent() ? t.creationDate().getAsLong() : null);
        m.put("trackers", t.trackers());
        m.put("webSeeds", t.webSeeds());
        List<Object> files = new ArrayList<>();
        for (FileEntry f : t.files()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("path", f.pathString());
            fm.put("length", f.length());
            fm.put("offset", f.offset());
            fm.put("pad", f.pad());
            fm.put("executable", f.executable());
            fm.put("hidden", f.hidden());
            fm.put("symlink", f.symlinkTarget().map(p -> String.join("/", p)).orElse(null));
            files.add(fm);
        }
        m.put("files", files);
        return m;
    }

    static String text(Torrent t) {
        StringBuilder b = new StringBuilder();
        line(b, "name", t.name());
        line(b, "info-hash", t.infoHash().hex() + (t.hybrid() ? "  (v1 part of a hybrid v1+v2 torrent)" : ""));
        line(b, "piece length", t.pieceLength() + " (" + Sizes.format(t.pieceLength()) + ")");
        line(b, "pieces", Integer.toString(t.pieceCount()));
        line(b, "total size", t.totalLength() + " (" + Sizes.format(t.totalLength()) + ")");
        line(b, "private", t.isPrivate() ? "yes" : "no");
        if (!t.comment().isEmpty()) {
            line(b, "comment", oneLine(t.comment()));
        }
        if (!t.createdBy().isEmpty()) {
            line(b, "created by", oneLine(t.createdBy()));
        }
        if (t.creationDate().isPresent()) {
            long s = t.creationDate().getAsLong();
            String when;
            try {
                when = Instant.ofEpochSecond(s) + " (" + s + ")";
            } catch (java.time.DateTimeException e) {
                when = Long.toString(s);
            }
            line(b, "creation date", when);
        }
        b.append("trackers:").append(t.trackers().isEmpty() ? " none\n" : "\n");
        for (int i = 0; i < t.trackers().size(); i++) {
            b.append("  tier ").append(i + 1).append(": ")
                    .append(oneLine(String.join(" ", t.trackers().get(i)))).append('\n');
        }
        b.append("web seeds:").append(t.webSeeds().isEmpty() ? " none\n" : "\n");
        for (String w : t.webSeeds()) {
            b.append("  ").append(oneLine(w)).append('\n');
        }
        b.append("files (").append(t.visibleFiles().size()).append(", ")
                .append(t.files().size() - t.visibleFiles().size()).append(" pad):\n");
        for (FileEntry f : t.files()) {
            b.append(String.format("  %15d  %s", f.length(), oneLine(f.pathString())));
            List<String> marks = new ArrayList<>();
            if (f.pad()) {
                marks.add("pad");
            }
            if (f.executable()) {
                marks.add("executable");
            }
            if (f.hidden()) {
                marks.add("hidden");
            }
            f.symlinkTarget().ifPresent(p -> marks.add("symlink -> " + oneLine(String.join("/", p))));
            if (!marks.isEmpty()) {
                b.append("  [").append(String.join(", ", marks)).append(']');
            }
            b.append('\n');
        }
        return b.toString().stripTrailing();
    }

    private static void line(StringBuilder b, String label, String value) {
        b.append(String.format("%-14s %s%n", label + ":", value));
    }

    /** Text from a torrent must not fake extra lines on the terminal. */
    private static String oneLine(String s) {
        return s.replaceAll("\\p{Cntrl}", "?");
    }
}
