package torfs.picker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PieceOrderTest {
    private static final int N = 300;

    @Test
    void randomInsertsMovesAndRemovesKeepEveryPieceInItsBucket() {
        Random r = new Random(42);
        PieceOrder order = new PieceOrder(N);
        int[] model = new int[N];
        Arrays.fill(model, -1);
        for (int step = 0; step < 20_000; step++) {
            int piece = r.nextInt(N);
            int key = r.nextInt(PieceOrder.BUCKETS);
            if (model[piece] < 0) {
                order.insert(piece, key, r);
                model[piece] = key;
            } else if (r.nextInt(3) == 0) {
                order.remove(piece);
                model[piece] = -1;
            } else {
                // mostly neighbour moves, as availability changes make
                int k = r.nextBoolean() ? key : Math.max(0, Math.min(PieceOrder.BUCKETS - 1,
                        model[piece] + (r.nextBoolean() ? 1 : -1)));
                order.move(piece, k, r);
                model[piece] = k;
            }
            if (step % 97 == 0) {
                check(order, model);
            }
        }
        check(order, model);
    }

    @Test
    void rebuildMatchesKeysAndShuffles() {
        PieceOrder order = new PieceOrder(N);
        order.rebuild(i -> i % 5 == 0 ? -1 : i % 3, new Random(3));
        int[] model = new int[N];
        for (int i = 0; i < N; i++) {
            model[i] = i % 5 == 0 ? -1 : i % 3;
        }
        check(order, model);
        int[] bucket0 = new int[order.end(0)];
        for (int i = 0; i < bucket0.length; i++) {
            bucket0[i] = order.at(i);
        }
        int[] sorted = bucket0.clone();
        Arrays.sort(sorted);
        assertThat(bucket0).isNotEqualTo(sorted);
    }

    private static void check(PieceOrder order, int[] model) {
        int count = 0;
        for (int piece = 0; piece < N; piece++) {
            if (model[piece] < 0) {
                assertThat(order.contains(piece)).isFalse();
                continue;
            }
            count++;
            int at = order.positionOf(piece);
            assertThat(order.at(at)).isEqualTo(piece);
            assertThat(at).isGreaterThanOrEqualTo(order.start(model[piece])).isLessThan(order.end(model[piece]));
            assertThat(order.bucketOf(piece)).isEqualTo(model[piece]);
        }
        assertThat(order.size()).isEqualTo(count);
        assertThat(order.end(PieceOrder.BUCKETS - 1)).isEqualTo(count);
    }
}
