package torfs.session;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import torfs.geometry.PieceGeometry;
import torfs.storage.DataLayout;

/** Preparing a torrent's files on disk before downloading into them. */
final class DataFiles {
    private DataFiles() {
    }

    /**
     * Creates every file at its full length, sparse: zero-length files hold no piece, so no
     * write would create them, and a file cut short by a crash would make the re-check after
     * it treat every piece of the file as missing.
     */
    static void prepareFiles(DataLayout layout) throws IOException {
        PieceGeometry g = layout.geometry();
        // each directory made once: Files.createDirectories of an existing one throws and
        // catches three exceptions, for every file of a torrent of many
        Set<Path> made = new HashSet<>();
        boolean nothing = !layout.topExists(); // a fresh download: no file to look at
        for (int f = 0; f < g.fileCount(); f++) {
            Path path = layout.pathOf(f);
            if (path == null) {
                continue; // pad file
            }
            long size = !nothing && Files.exists(path) ? Files.size(path) : -1;
            if (size < g.fileLength(f)) {
                if (made.add(path.getParent())) {
                    Files.createDirectories(path.getParent());
                }
                try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
                    raf.setLength(g.fileLength(f));
                }
            }
        }
    }

}
