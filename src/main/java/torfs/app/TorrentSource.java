package torfs.app;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import torfs.metainfo.InfoHash;
import torfs.metainfo.MagnetLink;
import torfs.metainfo.MetainfoException;
import torfs.metainfo.MetainfoParser;
import torfs.metainfo.Torrent;
import torfs.session.Client;

/**
 * A command's SOURCE: a .torrent file or the http(s) URL of one, parsed at once, or a magnet
 * link, whose metadata comes from the data directory when an earlier run saved it, else from
 * the swarm.
 */
final class TorrentSource {
    private final Torrent parsed;
    /** The .torrent's bytes when they were fetched from a URL (null otherwise). */
    private final byte[] fetched;
    private final MagnetLink magnet;
    private List<InetSocketAddress> metadataPeers = List.of();

    private TorrentSource(Torrent parsed, byte[] fetched, MagnetLink magnet) {
        this.parsed = parsed;
        this.fetched = fetched;
        this.magnet = magnet;
    }

    /** True when SOURCE is meant as a magnet link (then it must parse as one). */
    static boolean isMagnet(String source) {
        return source.regionMatches(true, 0, "magnet:", 0, 7);
    }

    /** Parses SOURCE; a malformed magnet or .torrent is a one-line error (exit 2). */
    static TorrentSource of(String source) throws IOException, MetainfoException {
        if (TorrentSource.isMagnet(source)) {
            return new TorrentSource(null, null, MagnetLink.parse(source));
        }
        if (TorrentUrl.isUrl(source)) {
            TorrentUrl.Fetched f = TorrentUrl.load(source);
            return new TorrentSource(f.torrent(), f.file(), null);
        }
        return new TorrentSource(MetainfoParser.parse(Path.of(source)), null, null);
    }

    /**
     * SOURCE as a .torrent file that exists; else a one-line {@link UserError}: no such file, or
     * a directory (a watch folder wants --watch).
     */
    static Path file(String source) {
        Path p = Path.of(source).toAbsolutePath();
        if (Files.isDirectory(p)) {
            throw new UserError(source + ": a directory, not a .torrent file (to serve the .torrent files in it: --watch "
                    + source + ")");
        }
        if (!Files.isRegularFile(p)) {
            throw new UserError(source + ": no such file");
        }
        return p;
    }

    InfoHash infoHash() {
        return parsed != null ? parsed.infoHash() : magnet.infoHash();
    }

    boolean isMagnet() {
        return magnet != null;
    }

    /**
     * The torrent: the parsed .torrent, or the magnet's saved metadata, or its metadata fetched
     * through {@code client} (then saved under {@code dataDir} unless that is null).
     */
    Torrent torrent(Client client, List<InetSocketAddress> extraPeers, Duration timeout, Path dataDir)
            throws IOException, InterruptedException {
        if (parsed != null) {
            return parsed;
        }
        if (dataDir != null) {
            Torrent saved = MagnetMetadata.loadSaved(magnet, dataDir);
            if (saved != null) {
                return saved;
            }
        }
        MagnetMetadata.Fetched f = MagnetMetadata.fetch(client, magnet, extraPeers, timeout, dataDir);
        metadataPeers = f.peers();
        return f.torrent();
    }

    /**
     * A .torrent file's bytes for {@code torrent}: this magnet's metadata (trackers, web seeds),
     * or the file as fetched or read from {@code source}.
     */
    byte[] torrentFile(Torrent torrent, String source) throws MetainfoException, IOException {
        if (magnet != null) {
            return magnet.torrentFile(torrent.rawInfo());
        }
        return fetched != null ? fetched : Files.readAllBytes(Path.of(source));
    }

    /** The peers that served the metadata (empty when it was not fetched). */
    List<InetSocketAddress> metadataPeers() {
        return metadataPeers;
    }

    /** The files a magnet's {@code so=} selects (BEP 53); empty: all of them. */
    Set<Integer> selectedFiles() {
        return magnet == null ? Set.of() : magnet.selectedFiles();
    }
}
