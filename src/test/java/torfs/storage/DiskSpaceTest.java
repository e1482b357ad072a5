package torfs.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import torfs.geometry.Bitfield;

class DiskSpaceTest {
    @TempDir
    Path dir;

    @Test
    void stillNeededCountsTheMissingPiecesBytes() {
        // 3 full pieces of 16 KiB and a short last one of 100 bytes
        DataLayout layout = TestTorrents.single("f.bin", 16384, 3 * 16384 + 100, 1).layout(dir);
        Bitfield have = new Bitfield(4);
        assertThat(DiskSpace.stillNeeded(layout, have)).isEqualTo(3 * 16384 + 100);
        have.set(0);
        have.set(3);
        assertThat(DiskSpace.stillNeeded(layout, have)).isEqualTo(2 * 16384);
        have.set(1);
        have.set(2);
        assertThat(DiskSpace.stillNeeded(layout, have)).isZero();
    }

    @Test
    void padFilesNeedNoRoom() {
        // a.bin 10000 bytes, a pad to the 16 KiB piece boundary, b.bin 16384 bytes
        DataLayout layout = TestTorrents.multi("m", 16384, 1, TestTorrents.Spec.file("a.bin", 10000),
                TestTorrents.Spec.pad(16384 - 10000), TestTorrents.Spec.file("b.bin", 16384)).layout(dir);
        assertThat(DiskSpace.stillNeeded(layout, new Bitfield(2))).isEqualTo(10000 + 16384);
    }

    @Test
    void fullFileSystemsAndQuotasAreRecognisedThroughCauses() {
        assertThat(DiskSpace.isFull(new IOException("No space left on device"))).isTrue();
        assertThat(DiskSpace.isFull(new IOException("write", new IOException("Disk quota exceeded")))).isTrue();
        assertThat(DiskSpace.isFull(new IOException("Input/output error"))).isFalse();
        assertThat(DiskSpace.isFull(new IOException())).isFalse();
    }

    @Test
    void freeSpaceOfTheDataDirectoryIsKnown() throws IOException {
        assertThat(DiskSpace.free(dir)).isPositive();
    }
}
