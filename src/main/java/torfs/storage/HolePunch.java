package torfs.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import torfs.geometry.FileSpan;
import torfs.geometry.PieceGeometry;
import torfs.natives.LibC;

/**
 * Gives an evicted piece's disk blocks back to the file system: {@code fallocate(fd,
 * FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off, len)} through {@link LibC}, the files
 * keeping their length so the rest of the torrent's offsets stay put.
 * Only whole file-system blocks inside the piece are punched: the kernel would zero a partial
 * block at either end, and that block may hold a neighbouring piece's bytes (a piece boundary
 * is block-aligned only when the file starts aligned). A piece that ends its file punches up to
 * the end, since nothing follows it there.
 */
public final class HolePunch {
    static final int FALLOC_FL_KEEP_SIZE = 0x01;
    static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    private static final int ENOENT = 2;
    private static final LibC.Calls LIB = LibC.get();

    private final DataLayout layout;
    private final int blockSize;

    private HolePunch(DataLayout layout, int blockSize) {
        this.layout = layout;
        this.blockSize = blockSize;
    }

    /**
     * A hole puncher for {@code layout}'s data directory, after {@link #check} of it.
     *
     * @throws IOException with a one-line reason when the file system there cannot punch holes
     */
    public static HolePunch open(DataLayout layout) throws IOException {
        return new HolePunch(layout, check(layout.dataDir()));
    }

    /**
     * Probes that the file system under {@code dataDir} really punches holes: creates the
     * directory, punches a block out of a small file in it and removes the file.
     *
     * @return the block size punches are aligned to
     * @throws IOException with a one-line reason when it cannot (no libc, a file system that
     *                     answers EOPNOTSUPP)
     */
    public static int check(Path dataDir) throws IOException {
        if (LIB == null) {
            throw new IOException("cannot load libc's fallocate to punch holes");
        }
        Files.createDirectories(dataDir);
        int block = (int) Math.max(512, Math.min(1 << 20, Files.getFileStore(dataDir).getBlockSize()));
        Path probe = Files.createTempFile(dataDir, ".torfs-punch-probe", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.allocate(3 * block);
                b.put(0, (byte) 1);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
            String failure = fallocate(probe, block, block);
            if (failure != null) {
                throw new IOException("the file system of " + dataDir + " cannot punch holes (" + failure + ")");
            }
        } finally {
            Files.deleteIfExists(probe);
        }
        return block;
    }

    /** The file system block punches are aligned to. */
    public int blockSize() {
        return blockSize;
    }

    /**
     * Punches out the whole blocks of {@code piece}'s bytes in every file it spans; files that
     * do not exist have nothing to give back.
     *
     * @return bytes left allocated at the piece's unaligned edges (at most two blocks a file)
     */
    public long punch(int piece) throws IOException {
        return punch(layout.geometry().spansOfPiece(piece));
    }

    /**
     * Punches out the pieces {@code [first, end)} as one run (a capped mount's start: whatever
     * is on disk outside its verified pieces goes, in a call a file per run).
     */
    public long punchRun(int first, int end) throws IOException {
        PieceGeometry g = layout.geometry();
        long from = g.pieceStart(first);
        return punch(g.spansOf(from, g.pieceStart(end - 1) + g.pieceSize(end - 1) - from));
    }

    private long punch(java.util.List<FileSpan> spans) throws IOException {
        PieceGeometry g = layout.geometry();
        long kept = 0;
        for (FileSpan s : spans) {
            if (layout.isPad(s.fileIndex())) {
                continue;
            }
            long start = s.fileOffset();
            long end = start + s.length();
            long from = roundUp(start, blockSize);
            long to = end == g.fileLength(s.fileIndex()) ? end : end / blockSize * blockSize;
            if (to <= from) {
                kept += s.length();
                continue;
            }
            kept += (from - start) + (end - to);
            String failure = fallocate(layout.pathOf(s.fileIndex()), from, to - from);
            if (failure != null && !failure.startsWith("errno " + ENOENT + ":")) {
                throw new IOException("punching a hole in " + layout.pathOf(s.fileIndex()) + ": " + failure);
            }
        }
        return kept;
    }

    private static long roundUp(long v, int block) {
        return (v + block - 1) / block * block;
    }

    /** Null when done, else "errno N: what it means". */
    private static String fallocate(Path file, long offset, long length) {
        int fd = LIB.open(file.toString(), LibC.O_WRONLY | LibC.O_CLOEXEC, 0);
        if (fd < 0) {
            return describe(LibC.errno(LIB));
        }
        try {
            if (LIB.fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length) != 0) {
                return describe(LibC.errno(LIB));
            }
            return null;
        } finally {
            LIB.close(fd);
        }
    }

    private static String describe(int errno) {
        String what = switch (errno) {
            case 95 -> "fallocate: Operation not supported";
            case 2 -> "no such file";
            case 13 -> "permission denied";
            case 38 -> "fallocate: Function not implemented";
            default -> "fallocate failed";
        };
        return "errno " + errno + ": " + what;
    }
}
