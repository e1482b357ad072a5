package torfs.webseed;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.bencode.BDict;
import torfs.bencode.BInt;
import torfs.bencode.BList;
import torfs.bencode.BString;
import torfs.bencode.BValue;
import torfs.bencode.BencodeEncoder;
import torfs.geometry.PieceRange;
import torfs.metainfo.MetainfoParser;
import torfs.metainfo.Torrent;
import torfs.metainfo.TorrentBuilder;
import torfs.session.Client;
import torfs.session.ClientSettings;
import torfs.picker.Priority;
import torfs.session.RequestPolicy;
import torfs.session.TorrentSession;
import torfs.webseed.FakeWebSeedServer.Misbehaviour;

/** A session whose only source is a web seed: honest ones complete it, misbehaving ones go. */
class WebSeedDownloadTest {
    @TempDir
    Path tmp;

    private Path source;

    /** Random files under tmp/src/tree: a multi-file torrent whose pieces cross files. */
    private Path makeTree(long... sizes) throws Exception {
        source = tmp.resolve("src");
        Path tree = Files.createDirectories(source.resolve("tree/sub dir"));
        Random r = new Random(7);
        for (int i = 0; i < sizes.length; i++) {
            byte[] b = new byte[(int) sizes[i]];
            r.nextBytes(b);
            Files.write((i % 2 == 0 ? tree : tree.getParent()).resolve("file #" + i + ".bin"), b);
        }
        return tree.getParent();
    }

    private Torrent torrent(Path tree, String url, int pieceLength) throws Exception {
        return MetainfoParser.parse(TorrentBuilder.of(tree).pieceLength(pieceLength).webSeed(url).build());
    }

    private static Client client() throws Exception {
        return Client.start(ClientSettings.defaults().withPort(0).withBind(InetAddress.getByName("127.0.0.1")));
    }

    private void assertSameFiles(Path tree, Path got) throws Exception {
        try (var files = Files.walk(tree)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path g = got.resolve(tree.relativize(f).toString());
                assertThat(sha256(g)).as("%s", g).isEqualTo(sha256(f));
            }
        }
    }

    private static byte[] sha256(Path p) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
    }

    @Test
    @Timeout(60)
    void honestSeedAloneDownloadsAMultiFileTorrent() throws Exception {
        Path tree = makeTree(100_000, 3, 700_000, 0, 250_001, 5 << 20);
        try (FakeWebSeedServer server = new FakeWebSeedServer(source, Misbehaviour.NONE);
             Client c = client()) {
            TorrentSession s = c.add(torrent(tree, server.url(), 65536), tmp.resolve("data"));
            s.whenComplete().get(40, TimeUnit.SECONDS);
            s.stop().get(30, TimeUnit.SECONDS);
            assertThat(s.stats().hashFailures()).isZero();
        }
        assertSameFiles(tree, tmp.resolve("data/tree"));
    }

    @Test
    @Timeout(60)
    void lazySessionFetchesWhatIsReadFromTheSeed() throws Exception {
        Path tree = makeTree(2 << 20, 1 << 20);
        try (FakeWebSeedServer server = new FakeWebSeedServer(source, Misbehaviour.NONE);
             Client c = Client.start(ClientSettings.defaults().withPort(0)
                     .withBind(InetAddress.getByName("127.0.0.1")).withRequests(RequestPolicy.STREAMING))) {
            TorrentSession s = c.add(torrent(tree, server.url(), 65536), tmp.resolve("data"));
            s.setDefaultPriority(Priority.NONE); // a lazy mount: only what is read (set within the hold)
            Object read = new Object();
            s.want(read, new PieceRange(20, 22), Priority.NOW, System.nanoTime());
            s.whenVerified(20).get(20, TimeUnit.SECONDS);
            s.whenVerified(21).get(20, TimeUnit.SECONDS);
            Thread.sleep(300);
            assertThat(s.verifiedSnapshot().cardinality()).isEqualTo(2);
            assertThat(server.requests.get()).isEqualTo(1); // pieces 20-21: one run, one range
            s.stop().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(90)
    void peerAndWebSeedTogetherCompleteTheTorrent() throws Exception {
        Path tree = makeTree(3 << 20, 777_777, 2 << 20);
        Torrent t;
        try (FakeWebSeedServer server = new FakeWebSeedServer(source, Misbehaviour.NONE);
             Client seeder = Client.start(ClientSettings.defaults().withPort(0)
                     .withBind(InetAddress.getByName("127.0.0.2")));
             Client c = client()) {
            t = torrent(tree, server.url(), 32768);
            seeder.add(t, source);
            TorrentSession s = c.add(t, tmp.resolve("data"));
            s.addPeers(java.util.List.of(new java.net.InetSocketAddress("127.0.0.2", seeder.port())));
            s.whenComplete().get(60, TimeUnit.SECONDS);
            s.stop().get(30, TimeUnit.SECONDS);
            assertThat(s.stats().hashFailures()).isZero();
            assertThat(server.requests.get()).isPositive();
        }
        assertSameFiles(tree, tmp.resolve("data/tree"));
    }

    @Test
    @Timeout(60)
    void padFilesAreZerosNeverAsked() throws Exception {
        // a.bin, a pad to the piece boundary, b.bin: the server has no .pad/ (asking would be a 404)
        source = Files.createDirectories(tmp.resolve("src/padded"));
        int piece = 32768;
        byte[] a = new byte[50_000];
        byte[] b = new byte[70_000];
        new Random(3).nextBytes(a);
        new Random(4).nextBytes(b);
        Files.write(source.resolve("a.bin"), a);
        Files.write(source.resolve("b.bin"), b);
        int pad = piece - a.length % piece;
        byte[] all = new byte[a.length + pad + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length + pad, b.length);
        try (FakeWebSeedServer server = new FakeWebSeedServer(source.getParent(), Misbehaviour.NONE);
             Client c = client()) {
            Torrent t = MetainfoParser.parse(paddedTorrent(server.url(), piece, all, a.length, pad, b.length));
            assertThat(t.files().get(1).pad()).isTrue();
            TorrentSession s = c.add(t, tmp.resolve("data"));
            s.whenComplete().get(40, TimeUnit.SECONDS);
            s.stop().get(30, TimeUnit.SECONDS);
        }
        assertThat(Files.readAllBytes(tmp.resolve("data/padded/a.bin"))).isEqualTo(a);
        assertThat(Files.readAllBytes(tmp.resolve("data/padded/b.bin"))).isEqualTo(b);
    }

    /** A .torrent "padded" of a.bin, a BEP 47 pad file and b.bin, with one web seed. */
    private static byte[] paddedTorrent(String url, int piece, byte[] all, long a, long pad, long b)
            throws Exception {
        java.util.Map<String, BValue> info = new java.util.TreeMap<>();
        info.put("files", new BList(java.util.List.of(file("a.bin", a, null),
                file(".pad/" + pad, pad, "p"), file("b.bin", b, null))));
        info.put("name", BString.of("padded"));
        info.put("piece length", new BInt(piece));
        int pieces = (all.length + piece - 1) / piece;
        byte[] hashes = new byte[20 * pieces];
        for (int p = 0; p < pieces; p++) {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(all, p * piece, Math.min(piece, all.length - p * piece));
            System.arraycopy(sha1.digest(), 0, hashes, 20 * p, 20);
        }
        info.put("pieces", new BString(hashes));
        java.util.Map<String, BValue> top = new java.util.TreeMap<>();
        top.put("info", new BDict(info));
        top.put("url-list", BString.of(url));
        return BencodeEncoder.encode(new BDict(top));
    }

    private static BValue file(String path, long length, String attr) {
        java.util.Map<String, BValue> f = new java.util.TreeMap<>();
        f.put("length", new BInt(length));
        f.put("path", new BList(java.util.Arrays.stream(path.split("/")).map(e -> (BValue) BString.of(e)).toList()));
        if (attr != null) {
            f.put("attr", BString.of(attr));
        }
        return new BDict(f);
    }

    @Test
    @Timeout(60)
    void unavailableThenPartialContentIsRetried() throws Exception {
        Path tree = makeTree(300_000, 200_000);
        try (FakeWebSeedServer server = new FakeWebSeedServer(source, Misbehaviour.UNAVAILABLE_AT_FIRST);
             Client c = client()) {
            TorrentSession s = c.add(torrent(tree, server.url(), 32768), tmp.resolve("data"));
            s.whenComplete().get(40, TimeUnit.SECONDS);
            s.stop().get(30, TimeUnit.SECONDS);
            assertThat(server.unavailableSent.get()).isEqualTo(FakeWebSeedServer.UNAVAILABLE_REQUESTS);
        }
        assertSameFiles(tree, tmp.resolve("data/tree"));
    }

    @Test
    @Timeout(60)
    void wrongBytesDropTheSeedAfterRepeatedHashFailures() throws Exception {
        Path tree = makeTree(4 << 20);
        try (FakeWebSeedServer server = new FakeWebSeedServer(source, Misbehaviour.WRONG_BYTES);
             Client c = client()) {
            TorrentSession s = c.add(torrent(tree, server.url(), 16384), tmp.resolve("data"));
            int asked = settledRequests(server);
            assertThat(s.isComplete()).isFalse();
            assertThat(s.verifiedSnapshot().cardinality()).isZero();
            // dropped at the third failure: what was already in flight may fail too, nothing more is asked
            assertThat(s.stats().hashFailures()).isBetween(WebSeeds.MAX_HASH_FAILURES,
                    (int) ((WebSeeds.BACKGROUND_BYTES + WebSeeds.URGENT_BYTES) / 16384));
            assertThat(asked).isLessThan(64);
            s.stop().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(60)
    void notFoundDropsTheSeed() throws Exception {
        Path tree = makeTree(1 << 20);
        try (FakeWebSeedServer server = new FakeWebSeedServer(source, Misbehaviour.NOT_FOUND);
             Client c = client()) {
            TorrentSession s = c.add(torrent(tree, server.url(), 16384), tmp.resolve("data"));
            int asked = settledRequests(server);
            assertThat(asked).isBetween(1, 8); // what was in flight when the first 404 came
            assertThat(s.isComplete()).isFalse();
            s.stop().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(60)
    void smallWholeFilesForRangesAreTaken() throws Exception {
        Path tree = makeTree(300_000, 1 << 20, 5);
        try (FakeWebSeedServer server = new FakeWebSeedServer(source, Misbehaviour.IGNORES_RANGE);
             Client c = client()) {
            TorrentSession s = c.add(torrent(tree, server.url(), 65536), tmp.resolve("data"));
            s.whenComplete().get(40, TimeUnit.SECONDS);
            s.stop().get(30, TimeUnit.SECONDS);
        }
        assertSameFiles(tree, tmp.resolve("data/tree"));
    }

    @Test
    @Timeout(60)
    void wholeLargeFileForARangeDropsTheSeed() throws Exception {
        Path tree = makeTree(4 << 20);
        try (FakeWebSeedServer server = new FakeWebSeedServer(source, Misbehaviour.IGNORES_RANGE);
             Client c = client()) {
            TorrentSession s = c.add(torrent(tree, server.url(), 65536), tmp.resolve("data"));
            int asked = settledRequests(server);
            assertThat(asked).isBetween(1, 8);
            assertThat(s.isComplete()).isFalse();
            assertThat(s.stats().downloaded()).isZero(); // not a byte of it taken
            s.stop().get(30, TimeUnit.SECONDS);
        }
    }

    /** Waits until the server saw no new request for 3 s (past the first backoffs); the count. */
    private static int settledRequests(FakeWebSeedServer server) throws InterruptedException {
        int last = -1;
        while (true) {
            Thread.sleep(3000);
            int now = server.requests.get();
            if (now == last && now > 0) {
                return now;
            }
            last = now;
        }
    }
}
