package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.geometry.Bitfield;
import torfs.storage.DataLayout;
import torfs.storage.HolePunch;
import torfs.storage.PieceStore;
import torfs.storage.TestTorrents;

/**
 * A capped cache's eviction with a real store and real hole punches, on a disk thread held up:
 * while an evicted piece's punch has not run, a new piece that would not fit beside its bytes
 * may not start; the punch, once it runs, says so to the torrent that was refused.
 */
class CacheEvictionTest {
    private static final int PIECE = 65536;

    @TempDir
    Path dir;

    @Test
    @Timeout(30)
    void aNewPieceWaitsForThePunchOfAnEvictedOneAndIsRetriedAfterIt() throws Exception {
        TestTorrents.Built t = TestTorrents.single("movie", PIECE, 4 * PIECE, 5);
        t.writeTo(dir);
        DataLayout layout = t.layout(dir);
        DefaultEventLoop loop = new DefaultEventLoop();
        DiskPool disk = new DiskPool(1, Long.MAX_VALUE, 0);
        try (PieceStore store = PieceStore.open(layout)) {
            ConcurrentBits verified = new ConcurrentBits(Bitfield.full(4));
            CacheBudget budget = new CacheBudget(2L * PIECE);
            List<Integer> gone = new CopyOnWriteArrayList<>();
            CountDownLatch retried = new CountDownLatch(1);
            CacheEviction e = new CacheEviction(budget, layout.geometry(), verified, HolePunch.open(layout),
                    new ResumeSaves(layout, store, verified), disk, new AtomicInteger(), loop, pieces -> { },
                    gone::add, retried::countDown);
            CountDownLatch diskHeld = new CountDownLatch(1);
            disk.executor().execute(() -> {
                try {
                    diskHeld.await();
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            });

            e.stored(0, 0);
            e.stored(1, 0);
            e.stored(2, 0); // over the cap of two: piece 0 goes, its punch queued behind the held disk
            assertThat(verified.get(0)).isFalse();
            assertThat(e.mayStartPiece(PIECE)).as("2 resident + 1 leaving + 1 new > 2").isFalse();
            assertThat(retried.getCount()).as("nothing punched yet").isEqualTo(1);

            diskHeld.countDown();
            assertThat(retried.await(10, TimeUnit.SECONDS)).as("the refused torrent hears of the punch").isTrue();
            assertThat(e.mayStartPiece(PIECE)).as("nothing leaving: eviction keeps the cap").isTrue();
            SessionSteps.until(() -> gone.contains(0), "piece 0 gone");
        } finally {
            disk.close();
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
