package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class WritePauseTest {
    private long free;
    private boolean statFails;
    private boolean writable = true;
    private final WritePause full = new WritePause(Path.of("/data"), () -> {
        if (statFails) {
            throw new IOException("statvfs failed");
        }
        return free;
    }, dir -> writable);

    @Test
    void theFirstFailedWriteStartsThePauseWithOneLine() {
        assertThat(full.isPaused()).isFalse();
        assertThat(full.writeFailed(new IOException("No space left on device")))
                .isEqualTo("disk full at /data: No space left on device; downloading paused");
        assertThat(full.isPaused()).isTrue();
        for (int i = 0; i < 100; i++) {
            assertThat(full.writeFailed(new IOException("No space left on device"))).isNull();
        }
    }

    @Test
    void readsFailWithTheReason() {
        full.writeFailed(new IOException("No space left on device"));
        assertThat(full.readFailure()).hasMessage("disk full at /data: No space left on device");
    }

    @Test
    void thePauseEndsOnceEnoughIsFreeAndCanStartAgain() {
        full.writeFailed(new IOException("No space left on device"));
        free = 1 << 20;
        assertThat(full.poll(16 << 20)).isNull();
        assertThat(full.isPaused()).isTrue();
        statFails = true;
        free = 32 << 20;
        assertThat(full.poll(16 << 20)).as("an unknown free space keeps the pause").isNull();
        statFails = false;
        assertThat(full.poll(16 << 20)).isEqualTo("32.0 MiB free again at /data; downloading resumed");
        assertThat(full.isPaused()).isFalse();
        assertThat(full.poll(16 << 20)).as("nothing to end").isNull();
        assertThat(full.writeFailed(new IOException("No space left on device"))).startsWith("disk full at /data");
    }

    @Test
    void aRefusedWritePausesWithItsOwnLineAndFailsReadsWithIt() {
        assertThat(full.writeFailed(new IOException("/data/a: Read-only file system")))
                .isEqualTo("cannot write at /data: /data/a: Read-only file system; downloading paused");
        assertThat(full.isPaused()).isTrue();
        assertThat(full.readFailure()).hasMessage("cannot write at /data: /data/a: Read-only file system");
        assertThat(full.poll(0)).as("free space does not end it").isNull();
        assertThat(full.isPaused()).isTrue();
    }

    @Test
    void aRefusedWriteIsTriedAgainOnceWritableAndTheSameFailureSaysNothingNew() {
        full.writeFailed(new IOException("/data/a: Read-only file system"));
        writable = false;
        assertThat(full.retry()).as("still read-only: no write is tried").isFalse();
        writable = true;
        assertThat(full.retry()).isTrue();
        assertThat(full.isPaused()).isFalse();
        assertThat(full.writeFailed(new IOException("/data/a: Read-only file system")))
                .as("the retry failed as before: paused again, no second line").isNull();
        assertThat(full.isPaused()).isTrue();
        full.retry();
        assertThat(full.writeFailed(new IOException("/data/a: Input/output error")))
                .isEqualTo("cannot write at /data: /data/a: Input/output error; downloading paused");
    }

    @Test
    void theSessionsTicksRetryAfterAWhileAndPollAFullDiskOften() {
        int[] resumed = {0};
        full.writeFailed(new IOException("/data/a: Read-only file system"));
        for (int i = 1; i < WritePause.RETRY_TICKS; i++) {
            full.tick(1 << 20, 1 << 30, () -> resumed[0]++);
        }
        assertThat(resumed[0]).isZero();
        full.tick(1 << 20, 1 << 30, () -> resumed[0]++);
        assertThat(resumed[0]).isEqualTo(1);

        full.writeFailed(new IOException("No space left on device"));
        free = 1L << 30;
        full.tick(1 << 20, 1 << 30, () -> resumed[0]++);
        full.tick(1 << 20, 1 << 30, () -> resumed[0]++);
        assertThat(resumed[0]).isEqualTo(2);
    }
}
