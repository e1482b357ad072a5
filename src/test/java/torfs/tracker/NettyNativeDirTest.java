package torfs.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which mount decides whether a directory allows executing, from pictures of /proc/self/mountinfo. */
class NettyNativeDirTest {
    private static final List<String> MOUNTS = List.of(
            "22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw",
            "30 22 0:26 / /tmp rw,nosuid,nodev,noexec,relatime shared:5 - tmpfs tmpfs rw",
            "31 30 0:27 / /tmp/build rw,relatime shared:6 - tmpfs tmpfs rw",
            "32 22 0:28 / /run/user/1000 rw,nosuid,nodev,relatime shared:7 - tmpfs tmpfs rw,mode=700",
            "33 22 0:29 / /mnt/my\\040disk rw,noexec shared:8 - ext4 /dev/vdb rw",
            "34 22 0:30 / /srv rw,noexec shared:9 - ext4 /dev/vdc rw",
            "35 22 0:30 / /srv rw shared:10 - ext4 /dev/vdc rw");

    @Test
    void theLongestMountPointHoldingTheDirectoryDecides() {
        assertThat(NettyNativeDir.noexec(MOUNTS, Path.of("/tmp"))).isTrue();
        assertThat(NettyNativeDir.noexec(MOUNTS, Path.of("/tmp/a/b"))).isTrue();
        assertThat(NettyNativeDir.noexec(MOUNTS, Path.of("/tmp/build/x"))).isFalse();
        assertThat(NettyNativeDir.noexec(MOUNTS, Path.of("/tmpfoo"))).isFalse(); // a path, not a string prefix
        assertThat(NettyNativeDir.noexec(MOUNTS, Path.of("/run/user/1000/torfs"))).isFalse();
        assertThat(NettyNativeDir.noexec(MOUNTS, Path.of("/root/.cache/torfs/native"))).isFalse();
    }

    @Test
    void escapedNamesAndStackedMounts() {
        assertThat(NettyNativeDir.noexec(MOUNTS, Path.of("/mnt/my disk/x"))).isTrue();
        assertThat(NettyNativeDir.noexec(MOUNTS, Path.of("/srv/data"))).as("the later mount on /srv").isFalse();
        assertThat(NettyNativeDir.unescape("/a\\040b\\011c\\134d")).isEqualTo("/a b\tc\\d");
        assertThat(NettyNativeDir.unescape("/trailing\\04")).isEqualTo("/trailing\\04");
    }
}
