package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DiskFullTest {
    private long free;
    private boolean statFails;
    private final DiskFull full = new DiskFull(Path.of("/data"), () -> {
        if (statFails) {
            throw new IOException("statvfs failed");
        }
        return free;
    });

    @Test
    void theFirstFailedWriteStartsThePauseWithOneLine() {
        assertThat(full.isFull()).isFalse();
        assertThat(full.writeFailed(new IOException("No space left on device")))
                .isEqualTo("disk full at /data: No space left on device; downloading paused");
        assertThat(full.isFull()).isTrue();
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
        assertThat(full.isFull()).isTrue();
        statFails = true;
        free = 32 << 20;
        assertThat(full.poll(16 << 20)).as("an unknown free space keeps the pause").isNull();
        statFails = false;
        assertThat(full.poll(16 << 20)).isEqualTo("32.0 MiB free again at /data; downloading resumed");
        assertThat(full.isFull()).isFalse();
        assertThat(full.poll(16 << 20)).as("nothing to end").isNull();
        assertThat(full.writeFailed(new IOException("No space left on device"))).startsWith("disk full at /data");
    }
}
