package torfs.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import torfs.geometry.PieceGeometry;
import torfs.metainfo.FileTable;
import torfs.metainfo.Torrent;

/**
 * Where a torrent's files live under a data directory, laid out as every client does:
 * {@code DATA/<name>} for a single-file torrent, {@code DATA/<name>/<path...>} for a multi-file
 * one, so a directory downloaded by another client can be verified or seeded. Pad files have
 * no path: they are never written. Our own state lives in {@code DATA/.torfs/}, so a torrent
 * named {@code .torfs} is refused. Immutable. Paths are checked to stay inside the data
 * directory when asked for.
 */
public final class DataLayout {
    /** Our own state's directory under DATA. */
    public static final String STATE_DIR = ".torfs";
    private final Torrent torrent;
    private final PieceGeometry geometry;
    private final Path dataDir;
    private final FileTable files;
    private final Path top;

    private DataLayout(Torrent torrent, Path dataDir) {
        this.torrent = torrent;
        this.geometry = PieceGeometry.of(torrent);
        this.dataDir = dataDir.toAbsolutePath().normalize();
        if (torrent.name().equals(STATE_DIR)) {
            // its data and our resume files would share a path: refuse rather than clobber either
            throw new IllegalArgumentException("the torrent is named \"" + STATE_DIR
                    + "\", which is where TorFS keeps its own state in " + this.dataDir + ": cannot be stored there");
        }
        this.files = torrent.fileTable();
        this.top = this.dataDir.resolve(torrent.name());
    }

    public static DataLayout of(Torrent torrent, Path dataDir) {
        return new DataLayout(torrent, dataDir);
    }

    public Torrent torrent() {
        return torrent;
    }

    public PieceGeometry geometry() {
        return geometry;
    }

    /** The data directory, absolute. */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * The file's path on disk, or null for a pad file. Made on each call, not kept: a Path per
     * file would cost a torrent of 100,000 files 20 MB; callers that open a file cache the
     * channel, not the path.
     */
    public Path pathOf(int fileIndex) {
        if (files.pad(fileIndex)) {
            return null;
        }
        if (torrent.singleFile()) {
            return top;
        }
        Path p = top.resolve(String.join("/", files.path(fileIndex))).normalize();
        // the metainfo parser sanitises paths; this is the last line of defence anyway
        if (!p.startsWith(dataDir) || p.equals(dataDir)) {
            throw new IllegalArgumentException("file path escapes the data directory: "
                    + String.join("/", files.path(fileIndex)));
        }
        return p;
    }

    /** Whether the torrent's top-level file or directory exists (links followed). */
    public boolean topExists() {
        return Files.exists(top);
    }

    public boolean isPad(int fileIndex) {
        return files.pad(fileIndex);
    }

    /**
     * {@code DATA/.torfs/<infohash-hex>.resume}; under DATA's stand-in when DATA cannot be
     * written ({@link StateLocation}).
     */
    public Path resumeFile() {
        return StateLocation.of(dataDir).resolve(STATE_DIR).resolve(torrent.infoHash().hex() + ".resume");
    }
}
