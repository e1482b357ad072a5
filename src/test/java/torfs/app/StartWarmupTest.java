package torfs.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;
import org.junit.jupiter.api.Test;

class StartWarmupTest {
    @Test
    void everyClassTheWarmUpNamesExists() {
        // the warm-up swallows a missing class (the main thread meets real failures where they
        // are handled), so a renamed class would quietly stop being warmed
        ClassLoader loader = StartWarmup.class.getClassLoader();
        for (String[] names : new String[][] {StartWarmup.CLASSES, StartWarmup.PEER_CLASSES, StartWarmup.MOUNT_CLASSES}) {
            for (String name : names) {
                assertThatCode(() -> Class.forName(name, false, loader)).as(name).doesNotThrowAnyException();
            }
        }
    }

    @Test
    void onlyAMountBindsLibfuseAhead() {
        assertThat(StartWarmup.classesFor("mount", false)).contains("torfs.fuse.FuseInterrupt")
                .containsAll(List.of(StartWarmup.CLASSES)).containsAll(List.of(StartWarmup.PEER_CLASSES));
        assertThat(StartWarmup.classesFor("download", false)).doesNotContain("torfs.fuse.FuseInterrupt")
                .containsExactly("io.netty.channel.epoll.Epoll", "io.netty.buffer.PooledByteBufAllocator",
                        "torfs.metainfo.OpenSslSha1", "torfs.transport.mse.OpenSslRc4");
    }

    @Test
    void aMountOfManyLeavesLibcryptoToItsFirstPeer() {
        assertThat(StartWarmup.classesFor("mount", true))
                .containsExactly("io.netty.channel.epoll.Epoll", "io.netty.buffer.PooledByteBufAllocator",
                        "torfs.fuse.FuseInterrupt")
                .doesNotContainAnyElementsOf(List.of(StartWarmup.PEER_CLASSES));
    }
}
