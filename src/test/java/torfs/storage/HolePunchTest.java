package torfs.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static torfs.storage.TestTorrents.Spec.file;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Punching an evicted piece out of real files: its whole blocks read as zeros, nothing else changes. */
class HolePunchTest {
    @TempDir
    Path dir;

    /** Allocated bytes of a file, from the file system (st_blocks * 512). */
    private static long allocated(Path p) throws Exception {
        Process pr = new ProcessBuilder("stat", "-c", "%b", p.toString()).start();
        String out = new String(pr.getInputStream().readAllBytes()).trim();
        pr.waitFor();
        return Long.parseLong(out) * 512;
    }

    @Test
    void aPieceInsideOneFileIsGivenBackWholeAndItsNeighboursStay() throws Exception {
        TestTorrents.Built t = TestTorrents.single("movie", 65536, 8 * 65536, 3);
        t.writeTo(dir);
        DataLayout layout = t.layout(dir);
        HolePunch punch = HolePunch.open(layout);
        Path f = layout.pathOf(0);
        long before = allocated(f);

        assertThat(punch.punch(3)).as("nothing left at aligned edges").isZero();

        byte[] now = Files.readAllBytes(f);
        assertThat(now).hasSize(8 * 65536);
        assertThat(Arrays.copyOfRange(now, 3 * 65536, 4 * 65536)).containsOnly((byte) 0);
        assertThat(Arrays.copyOfRange(now, 0, 3 * 65536)).isEqualTo(Arrays.copyOfRange(t.data(), 0, 3 * 65536));
        assertThat(Arrays.copyOfRange(now, 4 * 65536, now.length))
                .isEqualTo(Arrays.copyOfRange(t.data(), 4 * 65536, t.data().length));
        assertThat(allocated(f)).isEqualTo(before - 65536);
    }

    @Test
    void unalignedEdgesAcrossFilesKeepTheBlocksTheyShareWithOtherPieces() throws Exception {
        // a.bin ends 1000 bytes into piece 1, so piece 1's edge in a.bin is not block-aligned
        TestTorrents.Built t = TestTorrents.multi("album", 65536, 5,
                file("a.bin", 65536 + 1000), file("b.bin", 4 * 65536));
        t.writeTo(dir);
        DataLayout layout = t.layout(dir);
        HolePunch punch = HolePunch.open(layout);
        int block = punch.blockSize();

        long kept = punch.punch(1); // a.bin [65536, 66536) ends its file; b.bin [0, 64536)
        assertThat(kept).as("b.bin's last partial block is shared with piece 2").isEqualTo(64536 % block);

        byte[] a = Files.readAllBytes(layout.pathOf(0));
        byte[] b = Files.readAllBytes(layout.pathOf(1));
        assertThat(Arrays.copyOfRange(a, 0, 65536)).as("piece 0 intact").isEqualTo(Arrays.copyOfRange(t.data(), 0, 65536));
        assertThat(Arrays.copyOfRange(a, 65536, a.length)).as("piece 1's tail of a.bin").containsOnly((byte) 0);
        int punchedEnd = 64536 / block * block;
        assertThat(Arrays.copyOfRange(b, 0, punchedEnd)).containsOnly((byte) 0);
        int base = 65536 + 1000;
        assertThat(Arrays.copyOfRange(b, punchedEnd, b.length)).as("the shared block and piece 2 on")
                .isEqualTo(Arrays.copyOfRange(t.data(), base + punchedEnd, t.data().length));
    }

    @Test
    void aRunOfPiecesAcrossFilesIsGivenBackInOneGoAndItsNeighboursStay() throws Exception {
        TestTorrents.Built t = TestTorrents.multi("album", 65536, 5,
                file("a.bin", 3 * 65536), file("b.bin", 3 * 65536));
        t.writeTo(dir);
        DataLayout layout = t.layout(dir);
        HolePunch punch = HolePunch.open(layout);
        long beforeA = allocated(layout.pathOf(0));

        assertThat(punch.punchRun(1, 5)).isZero(); // a.bin from 65536 to its end, b.bin's first two pieces

        byte[] a = Files.readAllBytes(layout.pathOf(0));
        byte[] b = Files.readAllBytes(layout.pathOf(1));
        assertThat(Arrays.copyOfRange(a, 0, 65536)).isEqualTo(Arrays.copyOfRange(t.data(), 0, 65536));
        assertThat(Arrays.copyOfRange(a, 65536, a.length)).containsOnly((byte) 0);
        assertThat(Arrays.copyOfRange(b, 0, 2 * 65536)).containsOnly((byte) 0);
        assertThat(Arrays.copyOfRange(b, 2 * 65536, b.length))
                .isEqualTo(Arrays.copyOfRange(t.data(), 5 * 65536, 6 * 65536));
        assertThat(allocated(layout.pathOf(0))).isEqualTo(beforeA - 2 * 65536);
    }

    @Test
    void aFileNotYetWrittenHasNothingToGiveBack() throws Exception {
        TestTorrents.Built t = TestTorrents.single("movie", 65536, 4 * 65536, 3);
        HolePunch punch = HolePunch.open(t.layout(dir));
        assertThat(punch.punch(2)).isZero();
        assertThat(Files.exists(t.layout(dir).pathOf(0))).isFalse();
    }
}
