package torfs.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import torfs.geometry.Bitfield;
import torfs.session.DhtLookupStatus;
import torfs.session.PeerStatus;
import torfs.storage.PieceCache;
import torfs.tracker.TrackerStatus;

/** The API's answers against fixed examples, over a library that records what it was asked. */
class ControlApiTest {
    private static final String HASH = "0123456789abcdef0123456789abcdef01234567";

    /** A half-done two-file torrent: pieces 0-1 and 3 verified of 5 (16 KiB each). */
    static TorrentView album() {
        Bitfield v = new Bitfield(5);
        v.set(0);
        v.set(1);
        v.set(3);
        return new TorrentView("Album", HASH, "downloading", null, 70_000, 49_152, 16_384, 60_000, 1_000, 500,
                10_000, 2_000, 3, 0, 1, "/data/" + HASH,
                List.of(new TorrentView.FileView("cd1/01.flac", 40_000, 32_768),
                        new TorrentView.FileView("cd1/02.flac", 30_000, 16_384)), v,
                List.of(new PeerStatus("127.0.0.2:16881", "libtorrent/2.0.8", "DU", 10_000, 2_000, 0.5, "tcp")), null,
                List.of(new TrackerStatus("http://127.0.0.1:6969/announce", 0, true, false, Optional.empty(),
                                Optional.empty(), 1_700_001_800_000L, 1, 0, 1, 1_700_000_000_500L),
                        new TrackerStatus("udp://127.0.0.1:1", 1, false, false, Optional.of("connection refused"),
                                Optional.empty(), 1_700_000_015_000L, -1, -1, 0, 1_700_000_000_250L),
                        new TrackerStatus("http://never.example/announce", 1, false, false, Optional.empty(),
                                Optional.empty(), -1, -1, -1, 0, 0)),
                new DhtLookupStatus(false, 1_700_000_001_000L, 4, 8, 7, 1_700_000_901_000L),
                new PieceCache.Refetches(49_152, 16_384, 32_768, 0));
    }

    static TorrentView withState(TorrentView t, String state) {
        return new TorrentView(t.name(), t.hashString(), state, t.error(), t.totalSize(), t.haveValid(), t.pieceSize(),
                t.downloadedEver(), t.uploadedEver(), t.wastedEver(), t.rateDownload(), t.rateUpload(),
                t.peersConnected(), t.hashFailures(), t.openHandles(), t.downloadDir(), t.files(), t.verified(),
                t.peers(), t.pieceStates(), t.trackers(), t.dht(), t.cache());
    }

    static final class RecordingLibrary implements Library {
        final Map<String, TorrentView> torrents = new LinkedHashMap<>();
        final List<String> calls = new ArrayList<>();

        @Override
        public List<TorrentView> list() {
            return List.copyOf(torrents.values());
        }

        @Override
        public TorrentView find(String id) {
            return torrents.get(id);
        }

        @Override
        public TorrentView add(String source, boolean paused) throws ControlException {
            calls.add("add " + source + (paused ? " paused" : ""));
            if (source.equals("bad")) {
                throw new ControlException(400, "bad: not a torrent");
            }
            return album();
        }

        @Override
        public TorrentView addMetainfo(byte[] torrentFile, boolean paused) {
            calls.add("metainfo " + new String(torrentFile) + (paused ? " paused" : ""));
            return album();
        }

        @Override
        public List<TorrentView> setPaused(List<String> ids, boolean paused) throws ControlException {
            calls.add((paused ? "stop " : "start ") + (ids == null ? "all" : String.join(",", ids)));
            List<TorrentView> out = new ArrayList<>();
            for (String id : ids == null ? List.copyOf(torrents.keySet()) : ids) {
                TorrentView t = torrents.get(id);
                if (t == null) {
                    throw new ControlException(404, "no torrent " + id);
                }
                out.add(t);
            }
            for (TorrentView t : List.copyOf(out)) {
                TorrentView changed = withState(t, paused ? "stopped" : "downloading");
                torrents.put(t.name(), changed);
                out.set(out.indexOf(t), changed);
            }
            return out;
        }

        @Override
        public TorrentView remove(String id, boolean deleteData) {
            calls.add("remove " + id + " " + deleteData);
            return torrents.remove(id);
        }

        long up;
        long down = 1000;

        @Override
        public SessionView session() {
            return new SessionView(6881, up, down, torrents.size(), "off", 0, 4242);
        }

        @Override
        public SessionView setLimits(Long uploadLimit, Long downloadLimit) {
            calls.add("limits " + uploadLimit + " " + downloadLimit);
            up = uploadLimit == null ? up : uploadLimit;
            down = downloadLimit == null ? down : downloadLimit;
            return session();
        }
    }

    private final RecordingLibrary library = new RecordingLibrary();
    private final ControlApi api = new ControlApi(library);

    @Test
    void listGivesEachTorrentsSummary() {
        library.torrents.put("Album", album());
        ControlApi.Response r = api.handle("GET", "/api/torrents", "");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).isEqualTo("{\"torrents\":[{\"name\":\"Album\",\"hashString\":\"" + HASH + "\","
                + "\"state\":\"downloading\",\"totalSize\":70000,\"haveValid\":49152,\"percentDone\":0.7021,"
                + "\"rateDownload\":10000,\"rateUpload\":2000,\"eta\":3,\"peersConnected\":3}]}");
    }

    @Test
    void statusGivesFilesAndARunLengthPieceMap() {
        library.torrents.put("Album", album());
        ControlApi.Response r = api.handle("GET", "/api/torrents/Album", "");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).isEqualTo("{\"name\":\"Album\",\"hashString\":\"" + HASH + "\","
                + "\"state\":\"downloading\",\"totalSize\":70000,\"haveValid\":49152,\"percentDone\":0.7021,"
                + "\"rateDownload\":10000,\"rateUpload\":2000,\"eta\":3,\"peersConnected\":3,\"error\":null,"
                + "\"downloadedEver\":60000,\"uploadedEver\":1000,\"wastedEver\":500,\"hashFailures\":0,"
                + "\"openHandles\":1,\"downloadDir\":\"/data/" + HASH + "\",\"pieceSize\":16384,\"pieceCount\":5,"
                + "\"files\":[{\"name\":\"cd1/01.flac\",\"length\":40000,\"bytesCompleted\":32768},"
                + "{\"name\":\"cd1/02.flac\",\"length\":30000,\"bytesCompleted\":16384}],"
                + "\"pieceChunks\":[{\"status\":\"complete\",\"numPieces\":2},{\"status\":\"missing\",\"numPieces\":1},"
                + "{\"status\":\"complete\",\"numPieces\":1},{\"status\":\"missing\",\"numPieces\":1}],"
                + "\"peers\":[{\"address\":\"127.0.0.2:16881\",\"clientName\":\"libtorrent/2.0.8\",\"flagStr\":\"DU\","
                + "\"rateToClient\":10000,\"rateToPeer\":2000,\"progress\":0.5,\"transport\":\"tcp\"}],"
                + "\"trackerStats\":[{\"announce\":\"http://127.0.0.1:6969/announce\",\"tier\":0,\"hasAnnounced\":true,"
                + "\"lastAnnounceTime\":1700000000,\"lastAnnounceSucceeded\":true,\"lastAnnounceResult\":\"Success\","
                + "\"lastAnnouncePeerCount\":1,\"isUpdating\":false,\"nextAnnounceTime\":1700001800,\"seederCount\":1,"
                + "\"leecherCount\":0},"
                + "{\"announce\":\"udp://127.0.0.1:1\",\"tier\":1,\"hasAnnounced\":true,\"lastAnnounceTime\":1700000000,"
                + "\"lastAnnounceSucceeded\":false,\"lastAnnounceResult\":\"connection refused\",\"lastAnnouncePeerCount\":0,"
                + "\"isUpdating\":false,\"nextAnnounceTime\":1700000015,\"seederCount\":-1,\"leecherCount\":-1},"
                + "{\"announce\":\"http://never.example/announce\",\"tier\":1,\"hasAnnounced\":false,\"lastAnnounceTime\":0,"
                + "\"lastAnnounceSucceeded\":false,\"lastAnnounceResult\":\"\",\"lastAnnouncePeerCount\":0,"
                + "\"isUpdating\":false,\"nextAnnounceTime\":0,\"seederCount\":-1,\"leecherCount\":-1}],"
                + "\"dht\":{\"lookingUp\":false,\"lastLookupTime\":1700000001,\"lastLookupPeerCount\":4,"
                + "\"lastLookupNodeCount\":8,\"lastAnnounceNodeCount\":7,\"nextLookupTime\":1700000901},"
                + "\"cache\":{\"evicted\":49152,\"evictedUnread\":16384,\"refetched\":32768,\"refetchedWasted\":0}}");
        assertThat(api.handle("GET", "/api/status", "").json()).startsWith("{\"torrents\":[{\"name\":\"Album\"")
                .contains("\"pieceChunks\":[").endsWith("],\"dht\":{\"enabled\":false,\"state\":\"off\",\"nodes\":0}}");
    }

    @Test
    void aRunningSessionsMapTellsReadsReadaheadDownloadsAndTheSwarm() {
        TorrentView a = album();
        TorrentView running = new TorrentView(a.name(), a.hashString(), a.state(), null, a.totalSize(), a.haveValid(),
                a.pieceSize(), 0, 0, 0, 0, 0, 0, 0, 0, "/d", a.files(), a.verified(), List.of(), "CCRAADDMMU", List.of(), null, null);
        library.torrents.put("Album", running);
        assertThat(api.handle("GET", "/api/torrents/Album", "").json()).contains("\"pieceChunks\":["
                + "{\"status\":\"complete\",\"numPieces\":2},{\"status\":\"reading\",\"numPieces\":1},"
                + "{\"status\":\"readahead\",\"numPieces\":2},{\"status\":\"downloading\",\"numPieces\":2},"
                + "{\"status\":\"missing\",\"numPieces\":2},{\"status\":\"unavailable\",\"numPieces\":1}]");
    }

    @Test
    void aTorrentInItsMetadataPhaseHasNoPiecesAndNoEta() {
        TorrentView t = new TorrentView("x", HASH, "metadata", null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "/d",
                List.of(), null, List.of(), null, List.of(), null, null);
        library.torrents.put("x", t);
        assertThat(api.handle("GET", "/api/torrents/x", "").json())
                .contains("\"percentDone\":0.0,", "\"eta\":-1,", "\"pieceCount\":0,",
                        "\"files\":[],\"pieceChunks\":[],\"peers\":[],\"trackerStats\":[],\"dht\":null,\"cache\":null}");
    }

    @Test
    void addTakesAFilenameOrBase64Metainfo() {
        ControlApi.Response r = api.handle("POST", "/api/torrents", "{\"filename\":\"/t/a.torrent\"}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).startsWith("{\"torrentAdded\":{\"name\":\"Album\",");
        String b64 = Base64.getEncoder().encodeToString("d4:infoe".getBytes());
        assertThat(api.handle("POST", "/api/torrents", "{\"metainfo\":\"" + b64 + "\"}").status()).isEqualTo(200);
        assertThat(library.calls).containsExactly("add /t/a.torrent", "metainfo d4:infoe");
    }

    @Test
    void refusalsAreOneLineErrorsWithTheirStatus() {
        assertThat(api.handle("POST", "/api/torrents", "{\"filename\":\"bad\"}"))
                .isEqualTo(new ControlApi.Response(400, "{\"error\":\"bad: not a torrent\"}"));
        assertThat(api.handle("POST", "/api/torrents", "{\"filename\":").status()).isEqualTo(400);
        assertThat(api.handle("POST", "/api/torrents", "[]").json()).isEqualTo("{\"error\":\"the body must be a JSON object\"}");
        assertThat(api.handle("POST", "/api/torrents", "{}").status()).isEqualTo(400);
        assertThat(api.handle("POST", "/api/torrents", "{\"metainfo\":\"%%%\"}").json())
                .isEqualTo("{\"error\":\"metainfo is not base64\"}");
        assertThat(api.handle("GET", "/api/torrents/nope", ""))
                .isEqualTo(new ControlApi.Response(404, "{\"error\":\"no torrent nope\"}"));
        assertThat(api.handle("PUT", "/api/torrents", "").status()).isEqualTo(405);
        assertThat(api.handle("GET", "/etc/passwd", "").status()).isEqualTo(404);
    }

    @Test
    void removeDecodesTheIdAndTakesDeleteData() {
        library.torrents.put("A b", album());
        ControlApi.Response r = api.handle("DELETE", "/api/torrents/A%20b?deleteData=true", "");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).startsWith("{\"removed\":{\"name\":\"Album\"");
        assertThat(library.calls).containsExactly("remove A b true");
        assertThat(api.handle("DELETE", "/api/torrents/A%20b", "").status()).isEqualTo(404);
    }

    @Test
    void theSessionTellsAndSetsTheSharedLimits() {
        assertThat(api.handle("GET", "/api/session", "").json())
                .isEqualTo("{\"port\":6881,\"uploadLimit\":0,\"downloadLimit\":1000,\"torrentCount\":0,"
                        + "\"dht\":{\"enabled\":false,\"state\":\"off\",\"nodes\":0},\"pid\":4242}");
        assertThat(api.handle("POST", "/api/session", "{\"uploadLimit\":524288}").json())
                .isEqualTo("{\"port\":6881,\"uploadLimit\":524288,\"downloadLimit\":1000,\"torrentCount\":0,"
                        + "\"dht\":{\"enabled\":false,\"state\":\"off\",\"nodes\":0},\"pid\":4242}");
        assertThat(api.handle("POST", "/api/session", "{\"downloadLimit\":-1}"))
                .isEqualTo(new ControlApi.Response(400,
                        "{\"error\":\"downloadLimit must be a whole number of bytes/s, 0 for none\"}"));
        assertThat(api.handle("POST", "/api/session", "{\"downloadLimit\":1.5}").status()).isEqualTo(400);
        assertThat(api.handle("POST", "/api/session", "[]").status()).isEqualTo(400);
        assertThat(library.calls).containsExactly("limits 524288 null");
    }

    @Test
    void addCanAddPaused() {
        assertThat(api.handle("POST", "/api/torrents", "{\"filename\":\"/t/a.torrent\",\"paused\":true}").status())
                .isEqualTo(200);
        String b64 = Base64.getEncoder().encodeToString("d4:infoe".getBytes());
        assertThat(api.handle("POST", "/api/torrents", "{\"metainfo\":\"" + b64 + "\",\"paused\":false}").status())
                .isEqualTo(200);
        assertThat(api.handle("POST", "/api/torrents", "{\"filename\":\"/t/a.torrent\",\"paused\":\"yes\"}"))
                .isEqualTo(new ControlApi.Response(400, "{\"error\":\"paused must be true or false\"}"));
        assertThat(library.calls).containsExactly("add /t/a.torrent paused", "metainfo d4:infoe");
    }

    @Test
    void stopAndStartNameTorrentsOrAllAndAnswerTheirSummaries() {
        library.torrents.put("Album", album());
        library.torrents.put("Other", withState(album(), "seeding"));
        ControlApi.Response r = api.handle("POST", "/api/torrent-stop", "{\"ids\":[\"Album\"]}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).isEqualTo("{\"torrents\":[{\"name\":\"Album\",\"hashString\":\"" + HASH + "\","
                + "\"state\":\"stopped\",\"totalSize\":70000,\"haveValid\":49152,\"percentDone\":0.7021,"
                + "\"rateDownload\":10000,\"rateUpload\":2000,\"eta\":3,\"peersConnected\":3}]}");
        assertThat(api.handle("GET", "/api/torrents", "").json()).contains("\"state\":\"stopped\"");
        assertThat(api.handle("POST", "/api/torrent-start", "{\"ids\":\"all\"}").json())
                .startsWith("{\"torrents\":[{\"name\":\"Album\"").contains("\"state\":\"downloading\"")
                .doesNotContain("stopped");
        assertThat(library.calls).containsExactly("stop Album", "start all");
    }

    @Test
    void stopAndStartRefuseBadIdsAndOtherMethods() {
        library.torrents.put("Album", album());
        assertThat(api.handle("POST", "/api/torrent-stop", "{\"ids\":[\"nope\"]}"))
                .isEqualTo(new ControlApi.Response(404, "{\"error\":\"no torrent nope\"}"));
        String wantIds = "{\"error\":\"give \\\"ids\\\": a list of names or info-hashes, or \\\"all\\\"\"}";
        assertThat(api.handle("POST", "/api/torrent-stop", "{}")).isEqualTo(new ControlApi.Response(400, wantIds));
        assertThat(api.handle("POST", "/api/torrent-start", "{\"ids\":[]}").status()).isEqualTo(400);
        assertThat(api.handle("POST", "/api/torrent-start", "{\"ids\":[1]}").status()).isEqualTo(400);
        assertThat(api.handle("POST", "/api/torrent-start", "{\"ids\":\"some\"}").status()).isEqualTo(400);
        assertThat(api.handle("GET", "/api/torrent-stop", "").status()).isEqualTo(405);
        assertThat(api.handle("POST", "/api/torrent-stop", "[\"Album\"]"))
                .isEqualTo(new ControlApi.Response(400, "{\"error\":\"the body must be a JSON object\"}"));
        assertThat(library.torrents.get("Album").state()).isEqualTo("downloading");
    }
}
