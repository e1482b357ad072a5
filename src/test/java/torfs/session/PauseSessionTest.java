package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * A paused session serves what it has, fails reads of the rest at once and talks to nobody;
 * resumed, it reconnects and fetches again. Two real clients on loopback.
 */
class PauseSessionTest {
    private static final int PIECE = 32768;

    @TempDir
    Path tmp;

    @Test
    @Timeout(60)
    void pausedItKeepsItsPiecesDropsItsPeersAndFailsMissingReadsAtOnce() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Torrent t = TestTorrents.create(seedDir, "p", PIECE, new long[] {20L * PIECE + 7}, 5);
        byte[] original = Files.readAllBytes(seedDir.resolve("p/file0.bin"));
        try (Client seeder = Client.start(SeedToDownloadTest.on("127.0.0.2"));
             Client leecher = Client.start(SeedToDownloadTest.on("127.0.0.1"))) {
            TorrentSession seed = seeder.add(t, seedDir);
            TorrentSession s = leecher.add(t, tmp.resolve("leech"));
            s.setDefaultPriority(Priority.NONE); // only what is asked for
            s.addPeers(List.of(new InetSocketAddress("127.0.0.2", seeder.port())));
            SessionSteps.fetch(s, 0);
            SessionSteps.fetch(s, 1);

            CompletableFuture<Void> waiting = s.whenVerified(15); // nobody asked for it: it waits
            assertThat(waiting).isNotDone();
            s.pause().get(30, TimeUnit.SECONDS);
            assertThat(s.isPaused()).isTrue();
            assertThat(waiting).as("a read already waiting fails with the pause").isCompletedExceptionally();
            assertThat(s.peerStatus().get(5, TimeUnit.SECONDS)).as("its peers are closed").isEmpty();
            SessionSteps.until(() -> peers(seed) == 0, "the seeder saw the connection end");
            CompletableFuture<Void> missing = s.whenVerified(10);
            assertThat(missing).as("a read of a missing piece fails at once").isCompletedExceptionally();
            assertThat(missing.handle((v, e) -> e).get()).isInstanceOf(IOException.class)
                    .hasMessage(t.name() + " is paused");
            assertThat(s.whenVerified(1)).as("a verified piece is still served").isCompleted();
            ByteBuffer first = ByteBuffer.allocate(2 * PIECE);
            s.readVerified(0, first);
            assertThat(first.array()).isEqualTo(Arrays.copyOfRange(original, 0, 2 * PIECE));
            s.want(new Object(), new PieceRange(10, 11), Priority.NOW, System.nanoTime()); // asked for, not fetched
            s.addPeers(List.of(new InetSocketAddress("127.0.0.2", seeder.port()))); // nor dialled
            assertThat(s.pause().get(5, TimeUnit.SECONDS)).as("a second pause is a no-op").isNull();
            assertThat(peers(seed)).isZero();
            assertThat(s.verifiedSnapshot().get(10)).isFalse();

            s.resume().get(5, TimeUnit.SECONDS);
            s.whenVerified(10).get(30, TimeUnit.SECONDS); // the wish made while paused is served now
            assertThat(s.isPaused()).isFalse();
            assertThat(peers(s)).isEqualTo(1);
            s.setDefaultPriority(Priority.NORMAL);
            s.whenComplete().get(30, TimeUnit.SECONDS);
            ByteBuffer all = ByteBuffer.allocate(original.length);
            s.readVerified(0, all);
            assertThat(all.array()).isEqualTo(original);
        }
    }

    @Test
    @Timeout(60)
    void addedPausedItDialsNobodyUntilResumed() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Torrent t = TestTorrents.create(seedDir, "q", PIECE, new long[] {6L * PIECE}, 6);
        try (Client seeder = Client.start(SeedToDownloadTest.on("127.0.0.2"));
             Client leecher = Client.start(SeedToDownloadTest.on("127.0.0.1"))) {
            seeder.add(t, seedDir);
            TorrentSession s = leecher.add(t, tmp.resolve("leech"), true);
            assertThat(s.isPaused()).isTrue();
            s.addPeers(List.of(new InetSocketAddress("127.0.0.2", seeder.port())));
            assertThat(s.whenVerified(0)).isCompletedExceptionally();
            assertThat(peers(s)).isZero();
            assertThat(s.stats().downloaded()).isZero();

            s.resume().get(5, TimeUnit.SECONDS);
            s.whenComplete().get(30, TimeUnit.SECONDS);
            assertThat(s.verifiedSnapshot().isComplete()).isTrue();
        }
    }

    /** The session's peer count; unchecked so that a poll can ask it. */
    private static int peers(TorrentSession s) {
        try {
            return s.peerStatus().get(5, TimeUnit.SECONDS).size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
