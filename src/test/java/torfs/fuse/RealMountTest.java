package torfs.fuse;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test through a real FUSE mount at {@link #mnt}: skipped where FUSE is missing; whatever the
 * test mounted there ({@link #mount}) is unmounted after it, also when it failed.
 */
abstract class RealMountTest {
    @TempDir
    Path tmp;
    Path mnt;
    FuseMount mount;

    @BeforeEach
    void setUpMountPoint() {
        FuseTestSupport.assumeFuse();
        mnt = tmp.resolve("mnt");
    }

    @AfterEach
    void unmount() {
        FuseTestSupport.cleanup(mount, mnt);
    }
}
