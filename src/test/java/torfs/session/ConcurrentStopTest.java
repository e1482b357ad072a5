package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.geometry.Bitfield;
import torfs.metainfo.Torrent;
import torfs.peer.PeerSettings;
import torfs.storage.DataLayout;
import torfs.storage.PieceStore;

/**
 * Two threads stopping one torrent at once (a shutdown hook and the command's own close) must
 * run the stop once: a second run saves the resume state twice at once and closes the store
 * under the first. A stress test: the race is two volatile accesses wide, so it shows only
 * when both threads run at that moment (rarely on a loaded machine); it guards the fix.
 */
@Timeout(120)
class ConcurrentStopTest {
    private static final int ROUNDS = 200;

    @TempDir
    Path dir;

    /** The session's loop, counting the tasks handed to it: only stop() hands it any here. */
    private static final class CountingLoop extends DefaultEventLoop {
        final AtomicInteger executed = new AtomicInteger();

        @Override
        public void execute(Runnable task) {
            executed.incrementAndGet();
            super.execute(task);
        }
    }

    /** A store with nothing in it: the stop only flushes and closes it. */
    private static final class EmptyStore implements PieceStore {
        @Override
        public void readAt(long globalOffset, ByteBuffer dst) {
        }

        @Override
        public void writeAt(long globalOffset, ByteBuffer src) {
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void twoConcurrentStopsRunTheStopOnce() throws Exception {
        Torrent t = TestTorrents.create(dir, "t", 32768, new long[] {40_000}, 3);
        DataLayout layout = DataLayout.of(t, dir);
        CountingLoop loop = new CountingLoop();
        try (Client client = Client.start(SeedToDownloadTest.on("127.0.0.1"));
             DiskPool disk = new DiskPool(1, 1 << 20, 1 << 19)) {
            for (int round = 0; round < ROUNDS; round++) {
                TorrentSession s = new TorrentSession(client, layout, new EmptyStore(),
                        new Bitfield(layout.geometry().pieceCount()), loop, disk, new BanList(Duration.ofHours(1)),
                        PeerSettings.defaults(), new RateLimiter(0, 0), new RateLimiter(0, 0));
                loop.executed.set(0);
                AtomicBoolean go = new AtomicBoolean();
                AtomicInteger ready = new AtomicInteger();
                Runnable stopper = () -> {
                    ready.incrementAndGet();
                    while (!go.get()) {
                        Thread.onSpinWait();
                    }
                    s.stop();
                };
                Thread a = new Thread(stopper);
                Thread b = new Thread(stopper);
                a.start();
                b.start();
                while (ready.get() < 2) {
                    Thread.onSpinWait();
                }
                go.set(true); // both are spinning: they call stop() within the same moment
                a.join();
                b.join();
                s.stop().get(30, TimeUnit.SECONDS);
                assertThat(loop.executed.get()).as("stop paths run in round %d", round).isEqualTo(1);
            }
        } finally {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }
}
