package torfs.metainfo;

import java.util.List;
import java.util.Optional;

/**
 * One file of a torrent, pad files included, in the order of the info dictionary.
 *
 * @param index         position in {@link Torrent#files()}
 * @param path          sanitised path elements below the torrent's root; never empty, never
 *                      containing "", ".", ".." or a separator
 * @param offset        byte offset of the file's first byte in the torrent's concatenated data
 * @param length        size in bytes (may exceed 2^32)
 * @param pad           BEP 47 'p': alignment padding, hidden from the tree, never written
 * @param executable    BEP 47 'x'
 * @param hidden        BEP 47 'h'
 * @param symlinkTarget BEP 47 'l': target path elements relative to the torrent root, already
 *                      checked to stay inside it
 */
public record FileEntry(int index, List<String> path, long offset, long length, boolean pad,
                        boolean executable, boolean hidden, Optional<List<String>> symlinkTarget) {
    public FileEntry {
        path = List.copyOf(path);
        symlinkTarget = symlinkTarget.map(List::copyOf);
        if (path.isEmpty()) {
            throw new IllegalArgumentException("empty path");
        }
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length");
        }
    }

    /** The path joined with '/'. */
    public String pathString() {
        return String.join("/", path);
    }

    public boolean isSymlink() {
        return symlinkTarget.isPresent();
    }

    /** Offset just past the file's last byte in the torrent's data. */
    public long end() {
        return offset + length;
    }
}
