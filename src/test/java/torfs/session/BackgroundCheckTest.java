package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import torfs.geometry.Bitfield;
import torfs.geometry.PieceRange;

@Timeout(30)
class BackgroundCheckTest {
    /** Records verdicts in order; {@code finished} completes with done's argument. */
    static final class Recorder implements BackgroundCheck.Verdicts {
        final List<Integer> order = java.util.Collections.synchronizedList(new ArrayList<>());
        final Set<Integer> ok = ConcurrentHashMap.newKeySet();
        final CompletableFuture<Boolean> finished = new CompletableFuture<>();

        @Override
        public void checked(int piece, boolean good) {
            order.add(piece);
            if (good) {
                ok.add(piece);
            }
        }

        @Override
        public void done(boolean all) {
            assertThat(finished.complete(all)).as("done runs once").isTrue();
        }
    }

    /** "X.XX." -> pieces 0, 2, 3 to check. */
    static Bitfield of(String picture) {
        Bitfield b = new Bitfield(picture.length());
        for (int i = 0; i < picture.length(); i++) {
            if (picture.charAt(i) == 'X') {
                b.set(i);
            }
        }
        return b;
    }

    @Test
    void everyPieceToCheckGetsOneVerdictInIndexOrder() throws Exception {
        Recorder r = new Recorder();
        BackgroundCheck c = new BackgroundCheck(of("XX.X..XX"), 1, "t", p -> p != 3, r);
        c.start();
        assertThat(r.finished.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(r.order).containsExactly(0, 1, 3, 6, 7);
        assertThat(r.ok).containsExactlyInAnyOrder(0, 1, 6, 7);
        assertThat(c.left()).isZero();
    }

    @Test
    void twoThreadsCheckEachPieceOnce() throws Exception {
        Recorder r = new Recorder();
        BackgroundCheck c = new BackgroundCheck(Bitfield.full(500), 2, "t", p -> p % 7 != 0, r);
        c.start();
        assertThat(r.finished.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(r.order).hasSize(500).doesNotHaveDuplicates();
        assertThat(r.ok).hasSize(500 - 72);
    }

    @Test
    void nothingToCheckIsDoneAtOnce() throws Exception {
        Recorder r = new Recorder();
        new BackgroundCheck(of("...."), 2, "t", p -> true, r).start();
        assertThat(r.finished.getNow(false)).isTrue();
        assertThat(r.order).isEmpty();
    }

    /** Holds the hashing of piece 0 until {@link #release}: the tests act while it is being hashed. */
    static final class HoldsPieceZero implements BackgroundCheck.Hasher {
        private final CountDownLatch started = new CountDownLatch(1);
        private final CountDownLatch goOn = new CountDownLatch(1);

        @Override
        public boolean verify(int piece) {
            if (piece == 0) {
                started.countDown();
                try {
                    goOn.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return true;
        }

        void awaitPieceZero() throws InterruptedException {
            assertThat(started.await(10, TimeUnit.SECONDS)).as("piece 0 taken").isTrue();
        }

        void release() {
            goOn.countDown();
        }
    }

    @Test
    void aReadersPiecesJumpTheQueue() throws Exception {
        Recorder r = new Recorder();
        HoldsPieceZero h = new HoldsPieceZero();
        BackgroundCheck c = new BackgroundCheck(Bitfield.full(10), 1, "t", h, r);
        c.start();
        h.awaitPieceZero();
        c.prefer(new PieceRange(6, 8)); // 6, 7 next
        c.prefer(new PieceRange(0, 1)); // being hashed: nothing to move
        assertThat(c.isPending(6)).isTrue();
        assertThat(c.isPending(0)).isFalse();
        h.release();
        assertThat(r.finished.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(r.order).containsExactly(0, 6, 7, 1, 2, 3, 4, 5, 8, 9);
    }

    @Test
    void aPreferredPieceTheWalkTookIsNotCheckedTwice() throws Exception {
        Recorder r = new Recorder();
        HoldsPieceZero h = new HoldsPieceZero();
        BackgroundCheck c = new BackgroundCheck(Bitfield.full(4), 1, "t", h, r);
        c.start();
        h.awaitPieceZero();
        c.prefer(new PieceRange(1, 3));
        h.release();
        assertThat(r.finished.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(r.order).containsExactly(0, 1, 2, 3);
    }

    @Test
    void aStopEndsAfterThePieceBeingHashedAndLeavesTheRest() throws Exception {
        Recorder r = new Recorder();
        HoldsPieceZero h = new HoldsPieceZero();
        BackgroundCheck c = new BackgroundCheck(Bitfield.full(6), 1, "t", h, r);
        c.start();
        h.awaitPieceZero();
        c.stop();
        h.release();
        assertThat(r.finished.get(10, TimeUnit.SECONDS)).as("finished").isFalse();
        assertThat(r.order).containsExactly(0);
        Bitfield rest = c.takeRemaining();
        assertThat(rest.cardinality()).isEqualTo(5);
        assertThat(rest.get(0)).isFalse();
        assertThat(c.left()).isZero();
    }

    @Test
    void aReadErrorFailsThatPieceAndEndsTheCheck() throws Exception {
        Recorder r = new Recorder();
        BackgroundCheck c = new BackgroundCheck(Bitfield.full(5), 1, "t", p -> {
            if (p == 2) {
                throw new IOException("Input/output error");
            }
            return true;
        }, r);
        c.start();
        assertThat(r.finished.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(r.order).containsExactly(0, 1, 2);
        assertThat(r.ok).containsExactlyInAnyOrder(0, 1);
        assertThat(c.takeRemaining().cardinality()).isEqualTo(2); // 3 and 4: fetched, not trusted
    }
}
