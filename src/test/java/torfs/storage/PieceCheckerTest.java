package torfs.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static torfs.storage.TestTorrents.Spec.file;
import static torfs.storage.TestTorrents.Spec.pad;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.geometry.Bitfield;
import torfs.metainfo.PieceDigest;

@Timeout(60)
class PieceCheckerTest {
    @TempDir
    Path dir;

    // pieces of 4096: 0 = a + pad, 1-2 = b (5000 bytes, ends inside piece 2), 2 also c
    private final TestTorrents.Built t = TestTorrents.multi("set", 4096, 21,
            file("a", 1000), pad(3096), file("b", 5000), file("c", 6000), file("zero", 0));

    private PieceChecker.Result check(List<int[]> calls) throws Exception {
        DataLayout layout = t.layout(dir);
        try (PieceStore store = PieceStore.open(layout)) {
            return PieceChecker.check(layout, store, 2, (done, total) -> calls.add(new int[] {done, total}));
        }
    }

    @Test
    void intactDataVerifiesOnTwoThreadsWithMonotonicProgress() throws Exception {
        t.writeTo(dir);
        List<int[]> calls = Collections.synchronizedList(new ArrayList<>());
        PieceChecker.Result r = check(calls);
        assertThat(r.verified().isComplete()).isTrue();
        assertThat(r.bad().isEmpty()).isTrue();
        assertThat(r.hashed()).isEqualTo(4);
        assertThat(calls.get(calls.size() - 1)).containsExactly(4, 4);
        for (int i = 1; i < calls.size(); i++) {
            assertThat(calls.get(i)[0]).isGreaterThan(calls.get(i - 1)[0]);
        }
    }

    @Test
    void aPieceWhollyInHolesIsMissingWithoutBeingHashedUnlessItIsZeros() throws Exception {
        // one file of 8 pieces of 4096; pieces 2 and 5 are zeros in the torrent too
        byte[] data = new byte[8 * 4096];
        new java.util.Random(5).nextBytes(data);
        java.util.Arrays.fill(data, 2 * 4096, 3 * 4096, (byte) 0);
        java.util.Arrays.fill(data, 5 * 4096, 6 * 4096, (byte) 0);
        byte[] hashes = new byte[8 * 20];
        for (int p = 0; p < 8; p++) {
            System.arraycopy(TestTorrents.sha1(java.util.Arrays.copyOfRange(data, p * 4096, (p + 1) * 4096)), 0,
                    hashes, p * 20, 20);
        }
        DataLayout layout = DataLayout.of(TestTorrents.torrent("sparse", true, 4096, hashes,
                torfs.metainfo.InfoHash.of(new byte[20]), List.of(file("sparse", data.length))), dir);
        // a download stopped half-way: the file at full length, only pieces 0, 1 and 6 written
        Path f = layout.pathOf(0);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(data.length);
            raf.write(data, 0, 2 * 4096);
            raf.seek(6 * 4096);
            raf.write(data, 6 * 4096, 4096);
        }
        try (PieceStore store = PieceStore.open(layout)) {
            PieceChecker.Result r = PieceChecker.check(layout, store, 1, PieceChecker.Progress.NONE);
            // 2 and 5 lie in holes but are zeros: hashed and right (a sparse image's seed serves them)
            assertThat(r.verified().toString()).isEqualTo("11100110");
            assertThat(r.bad().isEmpty()).isTrue();
            assertThat(r.hashed()).isEqualTo(5); // 3, 4 and 7 not read at all
        }
    }

    @Test
    void oneFlippedByteMakesOnePieceBad() throws Exception {
        t.writeTo(dir);
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("set/c").toFile(), "rw")) {
            f.seek(5000);
            int b = f.read();
            f.seek(5000);
            f.write(b ^ 1);
        }
        PieceChecker.Result r = check(new ArrayList<>());
        assertThat(r.verified().toString()).isEqualTo("1110");
        assertThat(r.bad().toString()).isEqualTo("0001");
        assertThat(r.isMissing(3)).isFalse();
    }

    @Test
    void piecesOfMissingFilesAndPastTheEndOfShortOnesAreMissingWithoutBeingHashed() throws Exception {
        t.writeTo(dir);
        Files.delete(dir.resolve("set/a"));
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("set/c").toFile(), "rw")) {
            f.setLength(5999);
        }
        List<int[]> calls = Collections.synchronizedList(new ArrayList<>());
        PieceChecker.Result r = check(calls);
        // piece 0 needs a; c (bytes 9096..15096) ends in piece 3, one byte short: piece 2 is whole
        assertThat(r.verified().toString()).isEqualTo("0110");
        assertThat(r.bad().isEmpty()).isTrue();
        assertThat(r.isMissing(0)).isTrue();
        assertThat(r.isMissing(3)).isTrue();
        assertThat(r.hashed()).isEqualTo(2);
        assertThat(calls.get(0)).containsExactly(2, 4);
        assertThat(calls.get(calls.size() - 1)).containsExactly(4, 4);
    }

    @Test
    void aFileCutShortGivesThePiecesBeforeItsEnd() throws Exception {
        TestTorrents.Built one = TestTorrents.single("film.mkv", 4096, 10 * 4096 + 100, 5);
        one.writeTo(dir);
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("film.mkv").toFile(), "rw")) {
            f.setLength(3 * 4096 + 10); // a copy stopped part-way
        }
        DataLayout layout = one.layout(dir);
        try (PieceStore store = PieceStore.open(layout)) {
            PieceChecker.Result r = PieceChecker.check(layout, store, 1, PieceChecker.Progress.NONE);
            assertThat(r.verified().toString()).isEqualTo("11100000000");
            assertThat(r.hashed()).isEqualTo(3);
        }
    }

    @Test
    void nothingOnDiskHashesNothing() throws Exception {
        PieceChecker.Result r = check(new ArrayList<>());
        assertThat(r.verified()).isEqualTo(new Bitfield(4));
        assertThat(r.hashed()).isZero();
    }

    @Test
    void verifierFinishesAHashStartedFromMemoryWithTheStoredRest() throws Exception {
        t.writeTo(dir);
        try (PieceStore store = PieceStore.open(t.layout(dir))) {
            PieceVerifier v = new PieceVerifier(t.torrent(), store);
            assertThat(v.hashPiece(1)).isEqualTo(t.torrent().pieceHash(1));
            // the first 1000 bytes of piece 2 hashed from memory, as PieceWriter does in order
            PieceDigest sha1 = PieceDigest.create();
            sha1.update(ByteBuffer.wrap(t.data(), 2 * 4096, 1000));
            byte[] digest = v.finishHash(2, sha1, 1000);
            assertThat(v.isHashOf(2, digest)).isTrue();
            assertThat(v.isHashOf(1, digest)).isFalse();
            // the wrong start offset gives a wrong hash: the rest really comes from the store
            PieceDigest skewed = PieceDigest.create();
            skewed.update(ByteBuffer.wrap(t.data(), 2 * 4096, 1000));
            assertThat(v.isHashOf(2, v.finishHash(2, skewed, 999))).isFalse();
        }
    }

    @Test
    void piecesLargerThanTheHashingChunkVerify() throws IOException {
        TestTorrents.Built big = TestTorrents.single("big", 1 << 20, 2 * (1 << 20) + 123, 9);
        big.writeTo(dir);
        try (PieceStore store = PieceStore.open(big.layout(dir))) {
            PieceVerifier v = new PieceVerifier(big.torrent(), store);
            assertThat(v.verify(0)).isTrue();
            assertThat(v.verify(1)).isTrue();
            assertThat(v.verify(2)).isTrue();
        }
        // a byte past the first chunk of piece 1 must count: flip it and the piece fails
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("big").toFile(), "rw")) {
            long at = (1 << 20) + PieceVerifier.CHUNK + 1000;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 1);
        }
        try (PieceStore store = PieceStore.open(big.layout(dir))) {
            PieceVerifier v = new PieceVerifier(big.torrent(), store);
            assertThat(v.verify(0)).isTrue();
            assertThat(v.verify(1)).isFalse();
            assertThat(v.verify(2)).isTrue();
        }
    }
}
