package torfs.control;

import java.util.List;
import torfs.geometry.Bitfield;
import torfs.session.DhtLookupStatus;
import torfs.session.PeerStatus;
import torfs.storage.PieceCache;
import torfs.tracker.TrackerStatus;

/**
 * What the API tells of one torrent, gathered at one moment by whoever serves it. Field names
 * follow Transmission's RPC ({@code hashString}, {@code haveValid}, {@code rateDownload}) and
 * qBittorrent's WebUI ({@code state}) where they fit.
 *
 * @param name           its name in the mount
 * @param hashString     the info-hash, 40 lowercase hex digits
 * @param state          metadata, checking, downloading, seeding, stopped (paused) or error
 * @param error          what went wrong (state error), else null
 * @param totalSize      bytes of the torrent (0 while its metadata is fetched)
 * @param haveValid      verified bytes
 * @param pieceSize      bytes per piece (0 while its metadata is fetched)
 * @param downloadedEver payload bytes received and kept, this run
 * @param uploadedEver   payload bytes sent, this run
 * @param wastedEver     payload bytes received and dropped (duplicates, unrequested), this run
 * @param rateDownload   bytes per second, all peers
 * @param rateUpload     bytes per second, all peers
 * @param peersConnected open peer connections
 * @param hashFailures   pieces that failed their hash
 * @param openHandles    files of it open through the mount
 * @param downloadDir    where its data lives
 * @param files          each file's progress (empty while its metadata is fetched)
 * @param verified       the verified pieces (null while its metadata is fetched)
 * @param peers          the connected peers
 * @param pieceStates    one letter a piece once the session runs (see
 *                       {@link torfs.session.TorrentSession#pieceStates()}), else null: then the
 *                       map tells verified from missing only
 * @param trackers       its trackers with their last results (empty before its session runs)
 * @param dht            its DHT lookups, or null when it has none (no DHT, private, not started)
 * @param cache          what a capped cache's evictions cost it, or null without a cap
 */
public record TorrentView(String name, String hashString, String state, String error, long totalSize,
                          long haveValid, long pieceSize, long downloadedEver, long uploadedEver, long wastedEver,
                          long rateDownload, long rateUpload, int peersConnected, int hashFailures,
                          int openHandles, String downloadDir, List<FileView> files, Bitfield verified,
                          List<PeerStatus> peers, String pieceStates, List<TrackerStatus> trackers,
                          DhtLookupStatus dht, PieceCache.Refetches cache) {
    public TorrentView {
        files = List.copyOf(files);
        peers = List.copyOf(peers);
        trackers = List.copyOf(trackers);
    }

    /** One file: its path in the torrent, its length and its verified bytes. */
    public record FileView(String name, long length, long bytesCompleted) {
    }
}
