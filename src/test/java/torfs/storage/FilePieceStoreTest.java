package torfs.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static torfs.storage.TestTorrents.Spec.file;
import static torfs.storage.TestTorrents.Spec.pad;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.metainfo.InfoHash;
import torfs.metainfo.Torrent;

@Timeout(60)
class FilePieceStoreTest {
    @TempDir
    Path dir;

    private final TestTorrents.Built mixed = TestTorrents.multi("album", 4096, 7,
            file("a.bin", 1000), file("sub/empty", 0), file("sub/deep/d.bin", 5000), pad(2192),
            file("e.bin", 3000));

    @Test
    void roundTripAcrossFileBoundariesInAnyOrder() throws IOException {
        byte[] data = mixed.data();
        try (PieceStore store = PieceStore.open(mixed.layout(dir))) {
            // 777-byte writes in shuffled order, each one crossing file ends somewhere
            List<Integer> starts = new ArrayList<>();
            for (int off = 0; off < data.length; off += 777) {
                starts.add(off);
            }
            java.util.Collections.shuffle(starts, new Random(1));
            for (int off : starts) {
                store.writeAt(off, ByteBuffer.wrap(data, off, Math.min(777, data.length - off)).slice());
            }
            ByteBuffer all = ByteBuffer.allocate(data.length);
            store.readAt(0, all);
            assertThat(all.array()).isEqualTo(data);
            ByteBuffer mid = ByteBuffer.allocate(5000);
            store.readAt(900, mid);
            assertThat(mid.array()).isEqualTo(Arrays.copyOfRange(data, 900, 5900));
            assertThat(mid.position()).isEqualTo(5000);
        }
        Path top = dir.resolve("album");
        assertThat(Files.readAllBytes(top.resolve("a.bin"))).isEqualTo(Arrays.copyOfRange(data, 0, 1000));
        assertThat(Files.readAllBytes(top.resolve("sub/deep/d.bin")))
                .isEqualTo(Arrays.copyOfRange(data, 1000, 6000));
        assertThat(Files.readAllBytes(top.resolve("e.bin"))).isEqualTo(Arrays.copyOfRange(data, 8192, 11192));
    }

    @Test
    void freeBytesAreThoseOfTheDataDirectorysFileSystem() throws IOException {
        try (PieceStore store = PieceStore.open(mixed.layout(dir))) {
            assertThat(store.freeBytes()).isPositive()
                    .isLessThanOrEqualTo(java.nio.file.Files.getFileStore(dir).getTotalSpace());
        }
    }

    @Test
    void singleFileTorrentLivesAtDataSlashName() throws IOException {
        TestTorrents.Built t = TestTorrents.single("movie.mkv", 1024, 3000, 3);
        try (PieceStore store = PieceStore.open(t.layout(dir))) {
            store.writeAt(0, ByteBuffer.wrap(t.data()));
        }
        assertThat(Files.readAllBytes(dir.resolve("movie.mkv"))).isEqualTo(t.data());
    }

    @Test
    void padFilesAreNeverCreatedAndReadAsZeros() throws IOException {
        byte[] junk = new byte[mixed.data().length];
        Arrays.fill(junk, (byte) 0x5a);
        try (PieceStore store = PieceStore.open(mixed.layout(dir))) {
            store.writeAt(0, ByteBuffer.wrap(junk));
            ByteBuffer padRange = ByteBuffer.allocate(2192);
            store.readAt(6000, padRange);
            assertThat(padRange.array()).containsOnly(0);
        }
        assertThat(dir.resolve("album/.pad")).doesNotExist();
        try (var files = Files.walk(dir)) {
            assertThat(files.map(p -> dir.relativize(p).toString()))
                    .containsExactlyInAnyOrder("", "album", "album/a.bin", "album/sub", "album/sub/deep",
                            "album/sub/deep/d.bin", "album/e.bin");
        }
    }

    @Test
    void readsOfMissingOrShortFilesAreZerosAndCreateNothing() throws IOException {
        try (PieceStore store = PieceStore.open(mixed.layout(dir))) {
            ByteBuffer b = ByteBuffer.allocate(3000);
            b.put(0, (byte) 9);
            store.readAt(0, b);
            assertThat(b.array()).containsOnly(0);
            assertThat(dir.resolve("album")).doesNotExist();

            Files.createDirectories(dir.resolve("album"));
            Files.write(dir.resolve("album/a.bin"), new byte[] {1, 2, 3});
            ByteBuffer c = ByteBuffer.allocate(10);
            store.readAt(0, c);
            assertThat(c.array()).containsExactly(1, 2, 3, 0, 0, 0, 0, 0, 0, 0);
        }
    }

    @Test
    void manyWrittenFilesAreMadeDurableByOneSyncOfTheirFileSystem() throws Exception {
        TestTorrents.Spec[] specs = new TestTorrents.Spec[40];
        for (int i = 0; i < specs.length; i++) {
            specs[i] = file("d" + i / 10 + "/f" + i + ".bin", 1000 + i);
        }
        TestTorrents.Built many = TestTorrents.multi("many", 4096, 3, specs);
        assertThat(FileSystemSync.available()).isTrue();
        try (FilePieceStore store = (FilePieceStore) PieceStore.open(many.layout(dir))) {
            store.writeAt(0, ByteBuffer.wrap(many.data()));
            assertThat(store.dirtyFiles()).isEqualTo(40).isGreaterThanOrEqualTo(FilePieceStore.SYNC_FILE_SYSTEM_FROM);
            store.flush();
            assertThat(store.dirtyFiles()).isZero();
            store.writeAt(5, ByteBuffer.wrap(new byte[] {many.data()[5]})); // written after: dirty for the next flush
            assertThat(store.dirtyFiles()).isEqualTo(1);
            store.flush(); // one file: forced by itself
            assertThat(store.dirtyFiles()).isZero();
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < specs.length; i++) {
            all.write(Files.readAllBytes(dir.resolve("many/d" + i / 10 + "/f" + i + ".bin")));
        }
        assertThat(all.toByteArray()).isEqualTo(many.data());
    }

    @Test
    void aSyncSkipsFilesThatDoNotExist() throws Exception {
        Path real = Files.write(dir.resolve("real.bin"), new byte[] {1});
        FileSystemSync.sync(List.of(dir.resolve("never-written.bin"), real));
    }

    @Test
    void filesAreCreatedSparseWithTheirParents() throws Exception {
        int size = 64 << 20;
        Torrent t = TestTorrents.torrent("big", false, 1 << 20, new byte[64 * 20],
                InfoHash.of(new byte[20]), List.of(file("x/y/big.bin", size)));
        try (PieceStore store = PieceStore.open(DataLayout.of(t, dir))) {
            store.writeAt(size - 10, ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
            store.flush();
            ByteBuffer head = ByteBuffer.allocate(4096);
            store.readAt(0, head);
            assertThat(head.array()).containsOnly(0);
        }
        Path p = dir.resolve("big/x/y/big.bin");
        assertThat(Files.size(p)).isEqualTo(size);
        assertThat(allocatedBytes(p)).isLessThan(1 << 20);
    }

    @Test
    void readingAndWritingPastFourGibInASparseFile() throws Exception {
        long size = 6L << 30;
        int pieceLength = 1 << 20;
        int pieces = (int) (size / pieceLength);
        long at = (1L << 32) - 1000; // a write straddling 2^32
        byte[] payload = new byte[64 * 1024];
        new Random(5).nextBytes(payload);
        // piece 4096 starts at 2^32: its expected hash is our bytes then zeros
        byte[] piece4096 = new byte[pieceLength];
        System.arraycopy(payload, 1000, piece4096, 0, payload.length - 1000);
        byte[] hashes = new byte[pieces * 20];
        System.arraycopy(TestTorrents.sha1(piece4096), 0, hashes, 4096 * 20, 20);
        Torrent t = TestTorrents.torrent("huge.img", true, pieceLength, hashes,
                InfoHash.of(new byte[20]), List.of(file("huge.img", size)));
        try (PieceStore store = PieceStore.open(DataLayout.of(t, dir))) {
            store.writeAt(at, ByteBuffer.wrap(payload));
            ByteBuffer back = ByteBuffer.allocate(payload.length);
            store.readAt(at, back);
            assertThat(back.array()).isEqualTo(payload);
            ByteBuffer beyond = ByteBuffer.allocate(100);
            store.readAt(5L << 30, beyond); // past the end of the file on disk: zeros
            assertThat(beyond.array()).containsOnly(0);
            PieceVerifier v = new PieceVerifier(t, store);
            assertThat(v.verify(4096)).isTrue();
            assertThat(v.verify(4095)).isFalse();
        }
        Path p = dir.resolve("huge.img");
        assertThat(Files.size(p)).isEqualTo(at + payload.length);
        assertThat(allocatedBytes(p)).isLessThan(16 << 20);
    }

    @Test
    void channelCacheEvictsUnderConcurrentReadsWithoutBreakingThem() throws Exception {
        TestTorrents.Spec[] specs = new TestTorrents.Spec[40];
        for (int i = 0; i < specs.length; i++) {
            specs[i] = file("f" + i, 700 + 37 * i);
        }
        TestTorrents.Built t = TestTorrents.multi("many", 2048, 11, specs);
        t.writeTo(dir);
        byte[] data = t.data();
        FilePieceStore store = (FilePieceStore) PieceStore.open(t.layout(dir), 3);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                long seed = w;
                results.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    for (int i = 0; i < 3000; i++) {
                        int off = rnd.nextInt(data.length);
                        int len = Math.min(1 + rnd.nextInt(3000), data.length - off);
                        ByteBuffer b = ByteBuffer.allocate(len);
                        store.readAt(off, b);
                        if (!Arrays.equals(b.array(), Arrays.copyOfRange(data, off, off + len))) {
                            return i;
                        }
                    }
                    return -1;
                }));
            }
            for (Future<Integer> f : results) {
                assertThat(f.get(50, TimeUnit.SECONDS)).as("first wrong read").isEqualTo(-1);
            }
            assertThat(store.openChannels()).isBetween(1, 3);
        } finally {
            pool.shutdownNow();
            store.close();
        }
        assertThat(store.openChannels()).isZero();
        assertThatThrownBy(() -> store.readAt(0, ByteBuffer.allocate(1)))
                .isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void aChannelClosedByAnotherThreadsInterruptIsReopened() throws Exception {
        TestTorrents.Built t = TestTorrents.single("v.bin", 1024, 5000, 2);
        t.writeTo(dir);
        try (PieceStore store = PieceStore.open(t.layout(dir))) {
            ByteBuffer b = ByteBuffer.allocate(100);
            store.readAt(0, b); // the channel is now cached
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> store.readAt(0, ByteBuffer.allocate(100)))
                        .isInstanceOf(ClosedByInterruptException.class);
            } finally {
                Thread.interrupted();
            }
            ByteBuffer again = ByteBuffer.allocate(100);
            store.readAt(100, again);
            assertThat(again.array()).isEqualTo(Arrays.copyOfRange(t.data(), 100, 200));
        }
    }

    @Test
    void rangesOutsideTheTorrentAreRejected() throws IOException {
        try (PieceStore store = PieceStore.open(mixed.layout(dir))) {
            int total = mixed.data().length;
            assertThatThrownBy(() -> store.readAt(total - 5, ByteBuffer.allocate(6)))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> store.writeAt(-1, ByteBuffer.allocate(1)))
                    .isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    /** Blocks the filesystem really allocated, from stat(1): Java has no portable view of it. */
    static long allocatedBytes(Path p) throws Exception {
        Process proc = new ProcessBuilder("stat", "-c", "%b %B", p.toString()).start();
        String[] out = new String(proc.getInputStream().readAllBytes()).trim().split(" ");
        assertThat(proc.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }

    /** Files of unaligned sizes: each span has a buffered head or tail around a direct body. */
    private final TestTorrents.Built unaligned = TestTorrents.multi("set", 65536, 11,
            file("a.bin", 10_000), file("b.bin", 200_000), pad(52_144), file("c.bin", 70_001),
            file("d.bin", 4096));

    @Test
    void alignedWritesAroundTheCacheLandExactlyAcrossUnalignedFiles() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(DirectWrites.alignment(dir) == 4096,
                "the file system under the temp dir takes no direct writes of 4 KiB blocks");
        byte[] data = unaligned.data();
        ByteBuffer buffer = DirectWrites.alignedBuffer(65536);
        try (FilePieceStore store = (FilePieceStore) PieceStore.openBypassingCache(unaligned.layout(dir))) {
            for (int off = data.length - data.length % 65536; off >= 0; off -= 65536) { // last first
                int n = Math.min(65536, data.length - off);
                buffer.clear().put(data, off, n).flip();
                store.writeAligned(off, buffer);
            }
            assertThat(store.bypassesCache()).as("every direct write was taken").isTrue();
            // a.bin starts aligned: its first 8192 of 10000 bytes; b.bin and d.bin start
            // unaligned: none; c.bin starts aligned: 65536 in one write, 4096 of the last 4465
            assertThat(store.bytesWrittenAroundCache()).isEqualTo(8192 + 65536 + 4096);
        }
        try (PieceStore store = PieceStore.open(unaligned.layout(dir))) {
            ByteBuffer all = ByteBuffer.allocate(data.length);
            store.readAt(0, all);
            assertThat(all.array()).isEqualTo(data);
        }
        assertThat(Files.size(dir.resolve("set/c.bin"))).isEqualTo(70_001);
        assertThat(Files.exists(dir.resolve("set/.pad"))).isFalse();
    }

    @Test
    void aBufferDirectWritesRefuseFallsBackToTheCache() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(DirectWrites.alignment(dir) > 0,
                "the file system under the temp dir takes no direct writes");
        byte[] data = unaligned.data();
        // one byte off the alignment the caller promised: the kernel would refuse it
        ByteBuffer misaligned = DirectWrites.alignedBuffer(65536 + 1).position(1).slice();
        try (FilePieceStore store = (FilePieceStore) PieceStore.openBypassingCache(unaligned.layout(dir))) {
            for (int off = 0; off < data.length; off += 65536) {
                int n = Math.min(65536, data.length - off);
                misaligned.clear().put(data, off, n).flip();
                store.writeAligned(off, misaligned);
            }
            assertThat(store.bypassesCache()).isFalse();
            assertThat(store.bytesWrittenAroundCache()).isZero();
            ByteBuffer all = ByteBuffer.allocate(data.length);
            store.readAt(0, all);
            assertThat(all.array()).isEqualTo(data);
        }
    }

    @Test
    void aStoreNotAskedToBypassWritesAlignedBuffersThroughTheCache() throws IOException {
        byte[] data = unaligned.data();
        ByteBuffer buffer = DirectWrites.alignedBuffer(data.length);
        try (FilePieceStore store = (FilePieceStore) PieceStore.open(unaligned.layout(dir))) {
            assertThat(store.bypassesCache()).isFalse();
            store.writeAligned(0, buffer.put(data).flip());
            assertThat(store.bytesWrittenAroundCache()).isZero();
            ByteBuffer all = ByteBuffer.allocate(data.length);
            store.readAt(0, all);
            assertThat(all.array()).isEqualTo(data);
        }
    }
}
