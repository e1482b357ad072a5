package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class DiskPoolTest {
    @Test
    @Timeout(30)
    void urgentTaskRunsBeforeQueuedBackgroundWritesWhichKeepTheirOrder() throws Exception {
        try (DiskPool pool = new DiskPool(1, 8 << 20, 2 << 20)) {
            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<String> ran = new CopyOnWriteArrayList<>();
            pool.executor().execute(() -> {
                busy.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            busy.await(10, TimeUnit.SECONDS);
            pool.executor().execute(() -> ran.add("a"));
            pool.executor().execute(() -> ran.add("b"));
            pool.executeUrgent(() -> ran.add("urgent1"));
            pool.executor().execute(() -> ran.add("c"));
            pool.executeUrgent(() -> ran.add("urgent2"));
            CountDownLatch done = new CountDownLatch(1);
            pool.executor().execute(done::countDown);
            release.countDown();
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ran).containsExactly("urgent1", "urgent2", "a", "b", "c");
        }
    }
}
