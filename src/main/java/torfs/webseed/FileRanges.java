package torfs.webseed;

import java.util.ArrayList;
import java.util.List;
import torfs.geometry.FileSpan;
import torfs.geometry.PieceGeometry;
import torfs.metainfo.FileTable;

/**
 * A contiguous run of the torrent's bytes as the files it crosses: one HTTP range per file, and
 * the BEP 47 pad files marked, since they are zeros and never asked for.
 */
final class FileRanges {
    /**
     * One file's part of a run.
     *
     * @param file       index in the torrent's file table
     * @param fileOffset first byte inside that file
     * @param length     bytes
     * @param at         where these bytes go in the run's buffer
     * @param pad        a pad file: zeros, not requested
     */
    record FileRange(int file, long fileOffset, int length, int at, boolean pad) {
    }

    private FileRanges() {
    }

    /** The file ranges of the run {@code [offset, offset + length)}, in order. */
    static List<FileRange> of(PieceGeometry geometry, FileTable files, long offset, int length) {
        List<FileRange> out = new ArrayList<>();
        for (FileSpan s : geometry.spansOf(offset, length)) {
            out.add(new FileRange(s.fileIndex(), s.fileOffset(), (int) s.length(),
                    (int) (s.globalOffset() - offset), files.pad(s.fileIndex())));
        }
        return out;
    }
}
