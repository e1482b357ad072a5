package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.metainfo.Torrent;
import torfs.storage.PieceChecker;
import torfs.transport.mse.Encryption;

/**
 * A peer that connects while a torrent's data is still being checked (a seeder just started)
 * waits for the check and is then answered, instead of being closed: a torfs dialler closed
 * there waited 30 s for its retry, which made the demo's first read take 31 s.
 */
class HandshakeDuringCheckTest {
    private static final int PIECE = 16384;

    @TempDir
    Path tmp;

    /** A check that stops at its start until {@code release} opens; {@code started} tells it got there. */
    private record HeldCheck(CountDownLatch started, CountDownLatch release, RuntimeException failure)
            implements PieceChecker.Progress {
        HeldCheck(RuntimeException failure) {
            this(new CountDownLatch(1), new CountDownLatch(1), failure);
        }

        @Override
        public void update(int done, int total) {
            if (started.getCount() == 0) {
                return;
            }
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    private static CompletableFuture<TorrentSession> addAsync(Client client, Torrent t, Path dir, HeldCheck check) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return client.add(t, dir, check);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Connects and handshakes on another thread: the constructor returns once we answer. */
    private static CompletableFuture<RawPeer> connectAsync(Client client, Torrent t) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new RawPeer(client, t, new byte[8], "-XX0001-raw-peer-123", 30_000);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    @Timeout(60)
    void aHandshakeWaitsForTheCheckThenGetsTheBitfield() throws Exception {
        Path dir = tmp.resolve("seed");
        Torrent t = TestTorrents.create(dir, "held", PIECE, new long[] {5L * PIECE}, 3);
        HeldCheck check = new HeldCheck(null);
        try (Client client = Client.start(SeedToDownloadTest.on("127.0.0.1"))) {
            CompletableFuture<TorrentSession> added = addAsync(client, t, dir, check);
            assertThat(check.started().await(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<RawPeer> peer = connectAsync(client, t);
            // nothing to wait on that says "parked": give the handshake time to arrive, then
            // check it was neither answered nor closed while the check held
            Thread.sleep(500);
            assertThat(peer).as("no answer while the data is checked").isNotDone();
            check.release().countDown();
            try (RawPeer p = peer.get(30, TimeUnit.SECONDS)) {
                byte[] bitfield = p.next(5);
                assertThat(bitfield[0] & 0xff).as("all five pieces").isEqualTo(0b1111_1000);
            }
            assertThat(added.get(30, TimeUnit.SECONDS).isComplete()).isTrue();
        }
    }

    @Test
    @Timeout(60)
    void aHandshakeForATorrentWhoseAddFailsIsClosed() throws Exception {
        Path dir = tmp.resolve("seed");
        Torrent t = TestTorrents.create(dir, "failing", PIECE, new long[] {3L * PIECE}, 4);
        HeldCheck check = new HeldCheck(new IllegalStateException("the check broke"));
        try (Client client = Client.start(SeedToDownloadTest.on("127.0.0.1"))) {
            CompletableFuture<TorrentSession> added = addAsync(client, t, dir, check);
            assertThat(check.started().await(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<RawPeer> peer = connectAsync(client, t);
            Thread.sleep(500);
            check.release().countDown();
            assertThatThrownBy(() -> added.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            assertThatThrownBy(() -> peer.get(30, TimeUnit.SECONDS))
                    .as("closed, not answered").hasRootCauseInstanceOf(java.io.EOFException.class);
            assertThat(client.arriving(t.infoHash())).as("nothing left waiting").isNull();
        }
    }

    @Test
    @Timeout(90)
    void anEncryptedDiallerIsHeldTooAndDownloadsWithoutARetry() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Torrent t = TestTorrents.create(seedDir, "enc", 32768, new long[] {200_000}, 6);
        HeldCheck check = new HeldCheck(null);
        try (Client seeder = Client.start(SeedToDownloadTest.on("127.0.0.2").withEncryption(Encryption.REQUIRE));
             Client leecher = Client.start(SeedToDownloadTest.on("127.0.0.1").withEncryption(Encryption.REQUIRE))) {
            CompletableFuture<TorrentSession> added = addAsync(seeder, t, seedDir, check);
            assertThat(check.started().await(30, TimeUnit.SECONDS)).isTrue();
            TorrentSession l = leecher.add(t, tmp.resolve("leech"));
            InetSocketAddress seed = new InetSocketAddress("127.0.0.2", seeder.port());
            l.addPeers(List.of(seed));
            // the MSE exchange (its SKEY names a torrent being checked) and the handshake arrive;
            // refused, the dial would count a failure at once (and wait 5 s to retry)
            Thread.sleep(1000);
            int failures = CompletableFuture.supplyAsync(() -> l.addresses.failures(seed), leecher.loop())
                    .get(10, TimeUnit.SECONDS);
            assertThat(failures).as("the connection is held, not closed").isZero();
            check.release().countDown();
            added.get(30, TimeUnit.SECONDS);
            l.whenComplete().get(60, TimeUnit.SECONDS);
            l.stop().get(30, TimeUnit.SECONDS);
        }
        assertThat(TestTorrents.sha256(tmp.resolve("leech/enc/file0.bin")))
                .isEqualTo(TestTorrents.sha256(seedDir.resolve("enc/file0.bin")));
    }
}
