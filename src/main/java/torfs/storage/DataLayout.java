package torfs.storage;

import java.nio.file.Path;
import torfs.geometry.PieceGeometry;
import torfs.metainfo.FileEntry;
import torfs.metainfo.Torrent;

/**
 * Where a torrent's files live under a data directory, laid out as every client does:
 * {@code DATA/<name>} for a single-file torrent, {@code DATA/<name>/<path...>} for a multi-file
 * one, so a directory downloaded by another client can be verified or seeded. Pad files have
 * no path: they are never written. Our own state lives in {@code DATA/.torfs/}, so a torrent
 * named {@code .torfs} is refused. Immutable.
 */
public final class DataLayout {
    /** Our own state's directory under DATA. */
    public static final String STATE_DIR = ".torfs";
    private final Torrent torrent;
    private final PieceGeometry geometry;
    private final Path dataDir;
    private final Path[] paths;

    private DataLayout(Torrent torrent, Path dataDir) {
        this.torrent = torrent;
        this.geometry = PieceGeometry.of(torrent);
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.paths = new Path[torrent.files().size()];
        if (torrent.name().equals(STATE_DIR)) {
            // its data and our resume files would share a path: refuse rather than clobber either
            throw new IllegalArgumentException("the torrent is named \"" + STATE_DIR
                    + "\", which is where TorFS keeps its own state in " + this.dataDir + ": cannot be stored there");
        }
        Path top = this.dataDir.resolve(torrent.name());
        for (FileEntry f : torrent.files()) {
            if (f.pad()) {
                continue;
            }
            Path p = top;
            if (!torrent.singleFile()) {
                for (String element : f.path()) {
                    p = p.resolve(element);
                }
            }
            p = p.normalize();
            // the metainfo parser sanitises paths; this is the last line of defence anyway
            if (!p.startsWith(this.dataDir) || p.equals(this.dataDir)) {
                throw new IllegalArgumentException("file path escapes the data directory: "
                        + f.pathString());
            }
            paths[f.index()] = p;
        }
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

    /** The file's path on disk, or null for a pad file. */
    public Path pathOf(int fileIndex) {
        return paths[fileIndex];
    }

    public boolean isPad(int fileIndex) {
        return paths[fileIndex] == null;
    }

    /** {@code DATA/.torfs/<infohash-hex>.resume}. */
    public Path resumeFile() {
        return dataDir.resolve(STATE_DIR).resolve(torrent.infoHash().hex() + ".resume");
    }
}
