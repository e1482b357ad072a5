package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.metainfo.Torrent;
import torfs.picker.Priority;
import torfs.storage.HolePunch;

/**
 * Two torfs over loopback: a capped session evicts, and a torfs peer of it learns through BEP 54
 * (lt_donthave, both ends ours) that the pieces are gone: its piece map stops counting the capped
 * peer for them ('U': nobody has it) and keeps counting it for the pieces it holds ('M').
 */
class DontHaveBetweenTorfsTest {
    private static final int PIECE = 32768;

    @TempDir
    Path tmp;

    private static String states(TorrentSession s) {
        try {
            return s.pieceStates().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    @Timeout(120)
    void aTorfsPeerHearsOfEvictionsAndCountsThePiecesGone() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Torrent t = TestTorrents.create(seedDir, "dh", PIECE, new long[] {8L * PIECE}, 41);
        try (Client seeder = Client.start(SeedToDownloadTest.on("127.0.0.2"));
             Client capped = Client.start(SeedToDownloadTest.on("127.0.0.1"));
             Client watcher = Client.start(SeedToDownloadTest.on("127.0.0.3"))) {
            seeder.add(t, seedDir);
            TorrentSession c = capped.add(t, tmp.resolve("capped"));
            c.setDefaultPriority(Priority.NONE);
            c.limitCache(new CacheBudget(4L * PIECE), HolePunch.open(c.layout()));
            c.addPeers(List.of(new InetSocketAddress("127.0.0.2", seeder.port())));
            TorrentSession w = watcher.add(t, tmp.resolve("watcher"));
            w.setDefaultPriority(Priority.NONE); // it only watches what the capped peer has
            w.addPeers(List.of(new InetSocketAddress("127.0.0.1", capped.port())));

            for (int p = 0; p < 4; p++) {
                SessionSteps.fetch(c, p);
            }
            SessionSteps.until(() -> states(w).equals("MMMMUUUU"), "the watcher sees 0-3 at the capped peer: " + states(w));
            for (int p = 4; p < 8; p++) {
                SessionSteps.fetch(c, p);
            }
            SessionSteps.until(() -> c.verifiedSnapshot().toString().equals("00001111"), "0-3 evicted: " + c.verifiedSnapshot());
            SessionSteps.until(() -> states(w).equals("UUUUMMMM"),
                    "the watcher hears 0-3 are gone, 4-7 there: " + states(w));
        }
    }
}
