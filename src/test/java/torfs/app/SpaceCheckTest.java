package torfs.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SpaceCheckTest {
    @Test
    void dataThatFitsSaysNothing() {
        assertThat(SpaceCheck.shortfall(Path.of("/data"), 10 << 20, 10 << 20)).isNull();
        assertThat(SpaceCheck.shortfall(Path.of("/data"), 10 << 20, 0)).isNull();
    }

    @Test
    void dataThatDoesNotFitIsOneLineOfFreeAgainstNeeded() {
        assertThat(SpaceCheck.shortfall(Path.of("/data"), 3L << 20, 3L << 30))
                .isEqualTo("not enough space at /data: 3.0 MiB free, 3.0 GiB still needed");
    }
}
