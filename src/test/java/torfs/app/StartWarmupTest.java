package torfs.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class StartWarmupTest {
    @Test
    void everyClassTheWarmUpNamesExists() {
        // the warm-up swallows a missing class (the main thread meets real failures where they
        // are handled), so a renamed class would quietly stop being warmed
        ClassLoader loader = StartWarmup.class.getClassLoader();
        for (String[] names : new String[][] {StartWarmup.CLASSES, StartWarmup.MOUNT_CLASSES}) {
            for (String name : names) {
                assertThatCode(() -> Class.forName(name, false, loader)).as(name).doesNotThrowAnyException();
            }
        }
    }

    @Test
    void onlyAMountBindsLibfuseAhead() {
        assertThat(StartWarmup.classesFor("mount")).contains("torfs.fuse.FuseInterrupt")
                .containsAll(java.util.List.of(StartWarmup.CLASSES));
        assertThat(StartWarmup.classesFor("download")).doesNotContain("torfs.fuse.FuseInterrupt")
                .containsExactly(StartWarmup.CLASSES);
    }
}
