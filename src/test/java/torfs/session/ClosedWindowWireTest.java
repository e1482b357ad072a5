package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.geometry.PieceRange;
import torfs.metainfo.Torrent;
import torfs.picker.Priority;

/**
 * A lazy session's readahead window whose reader went away is not fetched for nobody: a raw
 * seeder that holds our requests unanswered gets a CANCEL for each once the window is dropped
 * (the handle closed), and no new request for it.
 */
class ClosedWindowWireTest {
    private static final int PIECE = 32768;

    @TempDir
    Path tmp;

    private static String key(byte[] p) {
        ByteBuffer b = ByteBuffer.wrap(p);
        return b.getInt() + "." + b.getInt() + "." + b.getInt();
    }

    @Test
    @Timeout(60)
    void theRequestsOfADroppedWindowAreCancelled() throws Exception {
        Torrent t = TestTorrents.create(tmp.resolve("seed"), "win", PIECE, new long[] {16L * PIECE}, 7);
        try (Client leecher = Client.start(SeedToDownloadTest.on("127.0.0.1"))) {
            TorrentSession s = leecher.add(t, tmp.resolve("leech"));
            s.setDefaultPriority(Priority.NONE);
            byte[] reserved = new byte[8];
            reserved[7] = 0x04; // BEP 6
            try (RawPeer peer = new RawPeer(leecher, t, reserved, "-XX0001-raw-seed-123", 20_000)) {
                peer.send(14, new byte[0]); // HAVE_ALL
                peer.send(1, new byte[0]); // UNCHOKE

                Object window = new Object();
                s.want(window, new PieceRange(4, 12), Priority.READAHEAD, System.nanoTime(), 1_000_000);
                byte[][] p = new byte[1][];
                Set<String> requested = new HashSet<>();
                while (requested.isEmpty()) {
                    if (peer.next(p) == 6) {
                        requested.add(key(p[0]));
                    }
                }
                Thread.sleep(200); // the rest of the first batch
                while (peer.in.available() > 0) {
                    if (peer.next(p) == 6) {
                        requested.add(key(p[0]));
                    }
                }
                s.forget(window); // the file was closed
                Set<String> cancelled = new HashSet<>();
                while (!cancelled.containsAll(requested)) {
                    int type = peer.next(p);
                    assertThat(type).as("no new request once the window is gone").isNotEqualTo(6);
                    if (type == 8) {
                        cancelled.add(key(p[0]));
                    }
                }
                assertThat(cancelled).isEqualTo(requested);
            }
            s.stop().get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
