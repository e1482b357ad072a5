package torfs.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import torfs.geometry.PieceRange;
import torfs.metainfo.Torrent;
import torfs.picker.Priority;

@Timeout(30)
class DeferredPieceSourceTest {
    private static final int KIB = 1024;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final Torrent torrent = TestTorrents.singleFile("f", 64 * KIB, 16 * KIB);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private static ReaderConfig config(Duration timeout) {
        return ReaderConfig.defaults().withReadTimeout(timeout);
    }

    @Test
    void nothingIsVerifiedUntilTheSourceArrives() {
        DeferredPieceSource d = new DeferredPieceSource(torrent);
        assertThat(d.geometry().pieceCount()).isEqualTo(4);
        assertThat(d.isVerified(0)).isFalse();
        assertThat(d.verifiedSnapshot().cardinality()).isZero();
        assertThat(d.verifiedSnapshot().size()).isEqualTo(4);
        d.started(FakePieceSource.complete(torrent));
        assertThat(d.isVerified(0)).isTrue();
        assertThat(d.verifiedSnapshot().cardinality()).isEqualTo(4);
    }

    @Test
    void aReadBeforeTheStartWaitsAndItsWishReachesTheSource() throws Exception {
        DeferredPieceSource d = new DeferredPieceSource(torrent);
        try (TorrentReader r = new TorrentReader(d, config(Duration.ofSeconds(20)))) {
            Future<byte[]> read = pool.submit(() -> r.read(20 * KIB, 1000));
            FakePieceSource real = new FakePieceSource(torrent);
            Thread.sleep(200); // the read is waiting on the deferred source
            assertThat(read.isDone()).isFalse();
            d.started(real);
            // the blocked read's NOW wish was replayed to the real source
            assertThat(real.wantLog()).anySatisfy(w -> {
                assertThat(w.range()).isEqualTo(new PieceRange(1, 2));
                assertThat(w.priority()).isEqualTo(Priority.NOW);
            });
            real.verify(1);
            assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(TestTorrents.bytes(20 * KIB, 1000));
            assertThat(real.wishes()).isEmpty(); // forgotten after the read, through the delegate
        }
    }

    @Test
    void aWaitGivenUpAfterTheStartLetsGoOfTheSourcesWait() {
        DeferredPieceSource d = new DeferredPieceSource(torrent);
        java.util.concurrent.CompletableFuture<Void> wait = d.whenVerified(1); // a read while starting
        FakePieceSource real = new FakePieceSource(torrent);
        d.started(real);
        wait.cancel(false); // the read timed out
        assertThat(real.pendingWaits()).isZero();
    }

    @Test
    void wishesForgottenBeforeTheStartAreNotReplayed() {
        DeferredPieceSource d = new DeferredPieceSource(torrent);
        Object a = new Object();
        Object b = new Object();
        d.want(a, new PieceRange(0, 1), Priority.NOW, 0);
        d.want(b, new PieceRange(2, 3), Priority.READAHEAD, 0);
        d.want(b, new PieceRange(3, 4), Priority.READAHEAD, 0); // replaces b's first wish
        d.forget(a);
        FakePieceSource real = new FakePieceSource(torrent);
        d.started(real);
        assertThat(real.wishes()).containsOnlyKeys(b);
        assertThat(real.wishes().get(b).range()).isEqualTo(new PieceRange(3, 4));
    }

    @Test
    void aFailedStartFailsWaitingReadsWithItsCause() throws Exception {
        DeferredPieceSource d = new DeferredPieceSource(torrent);
        try (TorrentReader r = new TorrentReader(d, config(Duration.ofSeconds(20)))) {
            Future<byte[]> read = pool.submit(() -> r.read(0, 10));
            Thread.sleep(100);
            d.failed(new BindException("port 6881 in use"));
            assertThatThrownBy(() -> read.get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(ReadFailure.class)
                    .hasMessageContaining("port 6881 in use");
        }
    }

    @Test
    void aReadBeforeTheStartIsBoundedByItsTimeout() {
        DeferredPieceSource d = new DeferredPieceSource(torrent);
        try (TorrentReader r = new TorrentReader(d, config(Duration.ofMillis(300)))) {
            assertThatThrownBy(() -> r.read(0, 10)).isInstanceOfSatisfying(ReadFailure.class,
                    f -> assertThat(f.reason()).isEqualTo(ReadFailure.Reason.TIMEOUT));
        }
    }

    @Test
    void closingBeforeTheStartClosesTheSourceWhenItArrivesAndEndsWaits() throws Exception {
        DeferredPieceSource d = new DeferredPieceSource(torrent);
        var wait = d.whenVerified(0);
        d.want(new Object(), new PieceRange(0, 1), Priority.NOW, 0);
        d.close();
        assertThat(wait).isCompletedExceptionally();
        FakePieceSource real = new FakePieceSource(torrent);
        d.started(real);
        assertThat(real.isClosed()).isTrue();
        assertThat(real.wishes()).isEmpty();
        assertThat(d.isVerified(0)).isFalse();
    }
}
