package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.geometry.PieceRange;
import torfs.metainfo.Torrent;
import torfs.picker.Priority;

/** The read path's view of a downloading session: wishes drive what is fetched. */
class PieceSourceTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(60)
    void lazySessionFetchesOnlyWantedPiecesAndServesThemOnceVerified() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Torrent t = TestTorrents.create(seedDir, "lazy", 32768, new long[] {20 * 32768 + 5}, 11);
        byte[] original = Files.readAllBytes(seedDir.resolve("lazy/file0.bin"));
        try (Client seeder = Client.start(SeedToDownloadTest.on("127.0.0.2"));
             Client leecher = Client.start(SeedToDownloadTest.on("127.0.0.1"))) {
            seeder.add(t, seedDir);
            TorrentSession s = leecher.add(t, tmp.resolve("leech"));
            s.setDefaultPriority(Priority.NONE);
            s.addPeers(List.of(new InetSocketAddress("127.0.0.2", seeder.port())));
            ByteBuffer early = ByteBuffer.allocate(10);
            assertThatThrownBy(() -> s.readVerified(5 * 32768, early)).isInstanceOf(IOException.class);

            Object reader = new Object();
            CompletableFuture<Void> five = s.whenVerified(5);
            CompletableFuture<Void> six = s.whenVerified(6);
            s.want(reader, new PieceRange(5, 7), Priority.NOW, System.nanoTime() + 1_000_000_000L);
            CompletableFuture.allOf(five, six).get(30, TimeUnit.SECONDS);
            assertThat(s.whenVerified(5)).isDone();

            ByteBuffer dst = ByteBuffer.allocate(2 * 32768);
            assertThat(s.readVerified(5 * 32768, dst)).isEqualTo(2 * 32768);
            assertThat(Arrays.copyOfRange(dst.array(), 0, dst.capacity()))
                    .isEqualTo(Arrays.copyOfRange(original, 5 * 32768, 7 * 32768));

            s.forget(reader);
            Thread.sleep(500); // nothing is wanted now: nothing more should arrive
            assertThat(s.verifiedSnapshot().toString()).isEqualTo("000001100000000000000");
            CompletableFuture<Void> never = s.whenVerified(9);
            s.stop().get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> never.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(java.util.concurrent.CancellationException.class);
        }
    }
}
