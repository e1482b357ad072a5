package torfs.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import torfs.geometry.Bitfield;
import torfs.geometry.PieceGeometry;
import torfs.geometry.PieceRange;
import torfs.metainfo.Torrent;
import torfs.picker.Priority;
import torfs.session.PieceSource;
import torfs.stream.FakePieceSource;
import torfs.stream.TestTorrents;

/**
 * A SourceFactory for command tests, chosen with -Dtorfs.sourceFactory. SOURCE is a small
 * properties file (name, size, pieceLength, verified=all|none); the source writes
 * DATA/source-closed when it is closed, so tests see that every way out closes it. With
 * {@code openFails=MESSAGE} the start fails, after {@code openDelayMs}, like a port in use.
 */
public final class FakeSourceFactory implements SourceFactory {
    public static final String CLOSED_MARKER = "source-closed";

    public static Path writeSpec(Path file, String name, long size, int pieceLength, boolean verified)
            throws IOException {
        Properties p = new Properties();
        p.setProperty("name", name);
        p.setProperty("size", String.valueOf(size));
        p.setProperty("pieceLength", String.valueOf(pieceLength));
        p.setProperty("verified", verified ? "all" : "none");
        try (var w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, null);
        }
        return file;
    }

    private static Properties read(Path source) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(source, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    @Override
    public Torrent load(Path source) throws IOException {
        Properties p = read(source);
        if (!p.containsKey("name")) {
            throw new UserError(source + ": not a test torrent spec");
        }
        return TestTorrents.singleFile(p.getProperty("name"), Long.parseLong(p.getProperty("size")),
                Integer.parseInt(p.getProperty("pieceLength")));
    }

    @Override
    public PieceSource open(Torrent torrent, MountOptions options) throws IOException {
        Properties p = read(options.source());
        long delay = Long.parseLong(p.getProperty("openDelayMs", "0"));
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException("interrupted while starting");
            }
        }
        if (p.containsKey("openFails")) {
            throw new UserError(p.getProperty("openFails"));
        }
        FakePieceSource fake = new FakePieceSource(torrent);
        if ("all".equals(p.getProperty("verified"))) {
            fake.verifyAll();
        }
        Path marker = options.dataDir().resolve(CLOSED_MARKER);
        Files.deleteIfExists(marker);
        return new PieceSource() {
            @Override
            public Torrent torrent() {
                return fake.torrent();
            }

            @Override
            public PieceGeometry geometry() {
                return fake.geometry();
            }

            @Override
            public boolean isVerified(int piece) {
                return fake.isVerified(piece);
            }

            @Override
            public Bitfield verifiedSnapshot() {
                return fake.verifiedSnapshot();
            }

            @Override
            public CompletableFuture<Void> whenVerified(int piece) {
                return fake.whenVerified(piece);
            }

            @Override
            public void want(Object owner, PieceRange range, Priority priority, long deadlineNanos,
                             long nanosPerPiece) {
                fake.want(owner, range, priority, deadlineNanos, nanosPerPiece);
            }

            @Override
            public void forget(Object owner) {
                fake.forget(owner);
            }

            @Override
            public int readVerified(long offset, ByteBuffer dst) throws IOException {
                return fake.readVerified(offset, dst);
            }

            @Override
            public void close() {
                fake.close();
                try {
                    Files.writeString(marker, "closed\n");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
    }
}
