package torfs.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import torfs.geometry.Bitfield;
import torfs.session.DhtLookupStatus;
import torfs.session.PeerStatus;
import torfs.storage.PieceCache;
import torfs.tracker.TrackerStatus;

/**
 * A {@link TorrentView} as the API's JSON: a summary for {@code list}, the summary with files
 * and the piece map for {@code status}. The piece map is run-length, as distribyted's
 * {@code pieceChunks}: runs of pieces in one state, in piece order.
 */
public final class StatusJson {
    private StatusJson() {
    }

    /** The fields of {@code list}. */
    public static Map<String, Object> summary(TorrentView t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("hashString", t.hashString());
        m.put("state", t.state());
        m.put("totalSize", t.totalSize());
        m.put("haveValid", t.haveValid());
        m.put("percentDone", percent(t.haveValid(), t.totalSize()));
        m.put("rateDownload", t.rateDownload());
        m.put("rateUpload", t.rateUpload());
        m.put("eta", eta(t));
        m.put("peersConnected", t.peersConnected());
        return m;
    }

    /** The fields of {@code status}: the summary and everything else known of it. */
    public static Map<String, Object> detail(TorrentView t) {
        Map<String, Object> m = summary(t);
        m.put("error", t.error());
        m.put("downloadedEver", t.downloadedEver());
        m.put("uploadedEver", t.uploadedEver());
        m.put("wastedEver", t.wastedEver());
        m.put("hashFailures", t.hashFailures());
        m.put("openHandles", t.openHandles());
        m.put("downloadDir", t.downloadDir());
        m.put("pieceSize", t.pieceSize());
        m.put("pieceCount", t.verified() == null ? 0 : t.verified().size());
        List<Object> files = new ArrayList<>();
        for (TorrentView.FileView f : t.files()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("name", f.name());
            fm.put("length", f.length());
            fm.put("bytesCompleted", f.bytesCompleted());
            files.add(fm);
        }
        m.put("files", files);
        m.put("pieceChunks", t.pieceStates() != null && !t.pieceStates().isEmpty()
                ? pieceChunks(t.pieceStates()) : pieceChunks(t.verified()));
        List<Object> peers = new ArrayList<>();
        for (PeerStatus p : t.peers()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("address", p.address());
            pm.put("clientName", p.clientName());
            pm.put("flagStr", p.flagStr());
            pm.put("rateToClient", p.rateToClient());
            pm.put("rateToPeer", p.rateToPeer());
            pm.put("progress", Math.floor(10_000.0 * p.progress()) / 10_000.0);
            pm.put("transport", p.transport());
            peers.add(pm);
        }
        m.put("peers", peers);
        m.put("trackerStats", trackerStats(t.trackers()));
        m.put("dht", dht(t.dht()));
        m.put("cache", cache(t.cache()));
        return m;
    }

    /** A capped cache's cost to this torrent in bytes (null without a cap): see {@link PieceCache.Refetches}. */
    static Map<String, Object> cache(PieceCache.Refetches r) {
        if (r == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("evicted", r.evicted());
        m.put("evictedUnread", r.evictedUnread());
        m.put("refetched", r.refetched());
        m.put("refetchedWasted", r.refetchedWasted());
        return m;
    }

    /**
     * Each tracker with its last result, in Transmission's {@code trackerStats} names. Times are
     * epoch seconds, 0 for never (none scheduled); counts -1 when the tracker did not say.
     */
    static List<Object> trackerStats(List<TrackerStatus> trackers) {
        List<Object> out = new ArrayList<>();
        for (TrackerStatus s : trackers) {
            boolean announced = s.lastAnnounceMillis() > 0;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("announce", s.url());
            m.put("tier", s.tier());
            m.put("hasAnnounced", announced);
            m.put("lastAnnounceTime", s.lastAnnounceMillis() / 1000);
            m.put("lastAnnounceSucceeded", announced && s.working());
            m.put("lastAnnounceResult", !announced ? s.lastError().orElse("")
                    : s.working() ? s.warning().orElse("Success") : s.lastError().orElse("failed"));
            m.put("lastAnnouncePeerCount", announced && s.working() ? s.peers() : 0);
            m.put("isUpdating", s.updating());
            m.put("nextAnnounceTime", s.nextAnnounceMillis() > 0 ? s.nextAnnounceMillis() / 1000 : 0);
            m.put("seederCount", s.seeders());
            m.put("leecherCount", s.leechers());
            out.add(m);
        }
        return out;
    }

    /** A torrent's DHT lookups, or null when it has none. Times in epoch seconds, 0 for none. */
    static Map<String, Object> dht(DhtLookupStatus d) {
        if (d == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lookingUp", d.lookingUp());
        m.put("lastLookupTime", d.lastLookupMillis() / 1000);
        m.put("lastLookupPeerCount", d.lastPeerCount());
        m.put("lastLookupNodeCount", d.lastNodeCount());
        m.put("lastAnnounceNodeCount", d.lastAnnounceCount());
        m.put("nextLookupTime", d.nextLookupMillis() / 1000);
        return m;
    }

    /** Runs of pieces before the session runs: verified ("complete") or "missing". */
    static List<Object> pieceChunks(Bitfield verified) {
        List<Object> chunks = new ArrayList<>();
        if (verified == null) {
            return chunks;
        }
        int n = verified.size();
        int p = 0;
        while (p < n) {
            boolean have = verified.get(p);
            int next = have ? verified.nextClear(p) : verified.nextSet(p);
            int end = next < 0 || next > n ? n : next;
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("status", have ? "complete" : "missing");
            c.put("numPieces", end - p);
            chunks.add(c);
            p = end;
        }
        return chunks;
    }

    /**
     * Runs of pieces in one of the states the session tells: complete, reading (a read waits),
     * readahead, downloading, missing (some peer has it) and unavailable.
     */
    static List<Object> pieceChunks(String states) {
        List<Object> chunks = new ArrayList<>();
        int p = 0;
        while (p < states.length()) {
            char c = states.charAt(p);
            int end = p + 1;
            while (end < states.length() && states.charAt(end) == c) {
                end++;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", switch (c) {
                case 'C' -> "complete";
                case 'R' -> "reading";
                case 'A' -> "readahead";
                case 'D' -> "downloading";
                case 'M' -> "missing";
                default -> "unavailable";
            });
            m.put("numPieces", end - p);
            chunks.add(m);
            p = end;
        }
        return chunks;
    }

    /** Seconds until done at the current rate; 0 when done, -1 when it cannot be told. */
    static long eta(TorrentView t) {
        long left = t.totalSize() - t.haveValid();
        if (t.totalSize() > 0 && left <= 0) {
            return 0;
        }
        if (t.rateDownload() <= 0 || t.totalSize() == 0) {
            return -1;
        }
        return (left + t.rateDownload() - 1) / t.rateDownload();
    }

    private static Double percent(long have, long total) {
        if (total <= 0) {
            return 0.0;
        }
        return Math.floor(10_000.0 * have / total) / 10_000.0; // four digits: no float noise in the JSON
    }
}
