package torfs.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import torfs.control.TorrentView;
import torfs.geometry.Bitfield;
import torfs.metainfo.FileEntry;
import torfs.metainfo.InfoHash;
import torfs.metainfo.Torrent;
import torfs.session.SessionStats;
import torfs.session.TorrentSession;
import torfs.stream.TorrentReader;

/**
 * A torrent, and the process, as the control API shows them, from what a mount holds: the same
 * views for a mount of many ({@link MountedLibrary}) and a mount of one ({@link SingleMountLibrary}).
 */
final class TorrentViews {
    private TorrentViews() {
    }

    /**
     * @param torrent  null while a magnet's metadata is awaited
     * @param session  null until its data is checked and it runs
     * @param reader   null until it is in the mount
     * @param state    Transmission's / qBittorrent's word for it (downloading, seeding, ...)
     */
    static TorrentView of(String name, InfoHash hash, String state, String error, Torrent torrent,
                          TorrentSession session, TorrentReader reader, int openHandles, Path dataDir) {
        SessionStats st = session == null ? null : session.stats();
        Bitfield verified = null;
        long have = 0;
        List<TorrentView.FileView> files = new ArrayList<>();
        if (torrent != null && reader != null) {
            verified = reader.source().verifiedSnapshot();
            for (int p = verified.nextSet(0); p >= 0; p = verified.nextSet(p + 1)) {
                have += torrent.pieceSize(p);
            }
            for (FileEntry f : torrent.files()) {
                if (!f.pad() && !f.isSymlink()) {
                    files.add(new TorrentView.FileView(f.pathString(), f.length(), reader.verifiedBytes(f.offset(), f.end())));
                }
            }
        }
        TorrentSession s = session;
        return new TorrentView(name, hash.hex(), state, error,
                torrent == null ? 0 : torrent.totalLength(), have, torrent == null ? 0 : torrent.pieceLength(),
                st == null ? 0 : st.downloaded(), st == null ? 0 : st.uploaded(), st == null ? 0 : st.wasted(),
                st == null ? 0 : st.downloadRate(), st == null ? 0 : st.uploadRate(),
                st == null ? 0 : st.peers(), st == null ? 0 : st.hashFailures(),
                openHandles, dataDir.toString(), files, verified,
                s == null ? List.of() : withinASecond(s.peerStatus(), List.of()),
                s == null ? null : withinASecond(s.pieceStates(), null),
                s == null ? List.of() : s.trackerStatus(), s == null ? null : s.dhtStatus(),
                s == null ? null : s.cacheRefetches());
    }

    /** The process as the API shows it: the client's port, limits and DHT, and {@code torrents}. */
    static torfs.control.SessionView session(torfs.session.Client client, int torrents) {
        torfs.dht.DhtNode dht = client.dht();
        return new torfs.control.SessionView(client.port(), client.maxUpload(), client.maxDownload(), torrents,
                dht == null ? "off" : dht.isBootstrapped() ? "ready" : "bootstrapping",
                dht == null ? 0 : dht.routingTableSize(), ProcessHandle.current().pid());
    }

    /** What a session's loop answers, or {@code none} when it does not within a second. */
    private static <T> T withinASecond(CompletableFuture<T> answer, T none) {
        try {
            return answer.get(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return none;
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            return none;
        }
    }
}
