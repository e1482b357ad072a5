package torfs.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import torfs.metainfo.Torrent;

/**
 * Reads lease the pieces they copy from: a capped cache evicting pieces all the while never
 * makes a read copy an evicted piece (the fake source throws on a read without a lease, and on
 * an unverified one), and an evicted piece is waited for and fetched again, not failed.
 */
class TorrentReaderLeaseTest {
    private static final int PIECE = 16384;

    @Test
    @Timeout(120)
    void concurrentReadersAndAnEvictorNeverMeetInTheMiddleOfACopy() throws Exception {
        Torrent t = TestTorrents.singleFile("movie", 64L * PIECE + 123, PIECE);
        FakePieceSource source = FakePieceSource.complete(t).serveNowAfter(0);
        TorrentReader reader = new TorrentReader(source, new ReaderConfig(Duration.ofSeconds(30), 4 * PIECE));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger evicted = new AtomicInteger();
        Thread evictor = new Thread(() -> {
            Random r = new Random(1);
            while (!stop.get()) {
                if (source.evict(r.nextInt(t.pieceCount()))) {
                    evicted.incrementAndGet();
                }
                try {
                    Thread.sleep(0, 200_000); // a cache evicts as pieces arrive, not in a tight loop
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "evictor");
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long seed = i;
            readers.add(new Thread(() -> {
                Random r = new Random(seed);
                try {
                    for (int n = 0; n < 1500; n++) {
                        long off = (long) (r.nextDouble() * (t.totalLength() - 1));
                        int len = 1 + r.nextInt(3 * PIECE); // often across piece boundaries
                        byte[] got = reader.read(off, len);
                        for (int k = 0; k < got.length; k++) {
                            if (got[k] != TestTorrents.byteAt(off + k)) {
                                throw new AssertionError("wrong byte at " + (off + k));
                            }
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "reader-" + i));
        }
        evictor.start();
        readers.forEach(Thread::start);
        for (Thread r : readers) {
            r.join();
        }
        stop.set(true);
        evictor.join();
        assertThat(errors).isEmpty();
        assertThat(evicted.get()).as("the evictor did evict").isPositive();
        for (int p = 0; p < t.pieceCount(); p++) {
            assertThat(source.leases(p)).as("every lease of piece %d released", p).isZero();
        }
        reader.close();
        source.close();
    }

    @Test
    @Timeout(30)
    void aReadOfAnEvictedPieceWaitsForItToBeFetchedAgain() throws Exception {
        Torrent t = TestTorrents.singleFile("movie", 8L * PIECE, PIECE);
        FakePieceSource source = FakePieceSource.complete(t).serveNowAfter(0);
        TorrentReader reader = new TorrentReader(source, new ReaderConfig(Duration.ofSeconds(10), 4 * PIECE));
        assertThat(source.evict(3)).isTrue();
        assertThat(source.isVerified(3)).isFalse();
        byte[] got = reader.read(3L * PIECE + 10, 100);
        assertThat(got).isEqualTo(TestTorrents.bytes(3L * PIECE + 10, 100));
        assertThat(source.isVerified(3)).as("fetched again").isTrue();
        assertThat(source.leases(3)).isZero();
        source.close();
    }
}
