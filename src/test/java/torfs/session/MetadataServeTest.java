package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.bencode.BDict;
import torfs.bencode.BInt;
import torfs.bencode.BValue;
import torfs.bencode.BencodeDecoder;
import torfs.bencode.BencodeEncoder;
import torfs.metainfo.MagnetLink;
import torfs.metainfo.MetainfoParser;
import torfs.metainfo.Torrent;

/** Our seeding session serves its info dictionary to a second client's {@link MetadataFetch}. */
@Timeout(60)
class MetadataServeTest {
    @TempDir
    Path tmp;

    @Test
    void aSeederThatDialsAMagnetsFetcherServesItTheMetadata() throws Exception {
        // a seeder that came after the magnet's announce learns of us from the tracker and
        // dials us: the fetch takes it, and hands its listening port (BEP 10's p) to the session
        Torrent t = TestTorrents.create(tmp.resolve("seed"), "dialled", 16384, new long[] {100_000}, 8);
        try (Client seeder = Client.start(SeedToDownloadTest.on("127.0.0.2"));
             Client fetcher = Client.start(SeedToDownloadTest.on("127.0.0.1"))) {
            MetadataFetch f = fetcher.fetchMetadata(t.infoHash());
            TorrentSession s = seeder.add(t, tmp.resolve("seed"));
            s.addPeers(List.of(new InetSocketAddress("127.0.0.1", fetcher.port())));
            byte[] info = f.result().get(30, TimeUnit.SECONDS);
            assertThat(info).isEqualTo(t.rawInfo());
            assertThat(f.peersWithMetadata()).containsExactly(new InetSocketAddress("127.0.0.2", seeder.port()));
        }
    }

    @Test
    void seedingSessionServesItsMetadataToAnotherClient() throws Exception {
        // 1,500 small files: an info dictionary of a few 16 KiB blocks
        long[] sizes = new long[1500];
        java.util.Arrays.fill(sizes, 100);
        Torrent t = TestTorrents.create(tmp.resolve("seed"), "served", 16384, sizes, 3);
        assertThat(t.rawInfo().length).isGreaterThan(2 * 16384);
        try (Client seeder = Client.start(SeedToDownloadTest.on("127.0.0.2"));
             Client fetcher = Client.start(SeedToDownloadTest.on("127.0.0.1"))) {
            seeder.add(t, tmp.resolve("seed"));
            MetadataFetch f = fetcher.fetchMetadata(t.infoHash());
            InetSocketAddress seed = new InetSocketAddress("127.0.0.2", seeder.port());
            f.addPeers(List.of(seed));
            byte[] info = f.result().get(30, TimeUnit.SECONDS);
            assertThat(info).isEqualTo(t.rawInfo());
            assertThat(f.peersWithMetadata()).containsExactly(seed);
            Torrent back = MetainfoParser.parse(MagnetLink.of(t).torrentFile(info));
            assertThat(back.infoHash()).isEqualTo(t.infoHash());
        }
    }

    @Test
    void privateTorrentsMetadataIsNotServed() throws Exception {
        Torrent open = TestTorrents.create(tmp.resolve("seed"), "secret", 16384, new long[] {100_000}, 4);
        Torrent t = privateCopy(open);
        assertThat(t.isPrivate()).isTrue();
        try (Client seeder = Client.start(SeedToDownloadTest.on("127.0.0.2"));
             Client fetcher = Client.start(SeedToDownloadTest.on("127.0.0.1"))) {
            TorrentSession s = seeder.add(t, tmp.resolve("seed"));
            assertThat(s.isComplete()).isTrue();
            MetadataFetch f = fetcher.fetchMetadata(t.infoHash());
            f.addPeers(List.of(new InetSocketAddress("127.0.0.2", seeder.port())));
            Thread.sleep(3000);
            assertThat(f.result()).isNotDone();
            assertThat(f.peersWithMetadata()).isEmpty();
            f.close();
        }
    }

    /** The same files with {@code private=1} in the info dictionary (so another info-hash). */
    private static Torrent privateCopy(Torrent t) throws Exception {
        BDict info = (BDict) BencodeDecoder.decode(t.rawInfo());
        Map<String, BValue> entries = new LinkedHashMap<>(info.entries());
        entries.put("private", new BInt(1));
        byte[] raw = BencodeEncoder.encode(new BDict(entries));
        byte[] file = new byte[raw.length + 8];
        System.arraycopy("d4:info".getBytes(), 0, file, 0, 7);
        System.arraycopy(raw, 0, file, 7, raw.length);
        file[file.length - 1] = 'e';
        return MetainfoParser.parse(file);
    }
}
