package torfs.metainfo;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * A parsed, validated v1 torrent (or the v1 part of a hybrid). Immutable.
 *
 * @param name         sanitised top-level name: the file of a single-file torrent, the
 *                     directory of a multi-file one
 * @param infoHash     SHA-1 of the raw info dictionary bytes
 * @param pieceLength  bytes per piece (a power of two in practice; at most 2^30)
 * @param pieceHashes  20 bytes per piece, concatenated
 * @param files        every file, pad files included, in info-dictionary order; for a
 *                     single-file torrent one entry whose path is [name]; held as a
 *                     {@link FileTable}, so each entry read is made anew
 * @param singleFile   true when info has 'length' rather than 'files'
 * @param totalLength  sum of all file lengths, pad files included
 * @param trackers     announce tiers (BEP 12); 'announce' alone becomes one tier
 * @param webSeeds     BEP 19 url-list
 * @param hybrid       the info dictionary also carries v2 data ('meta version' 2)
 * @param rawInfo      the info dictionary exactly as it appeared in the file
 */
public record Torrent(String name, InfoHash infoHash, int pieceLength, byte[] pieceHashes,
                      List<FileEntry> files, boolean singleFile, long totalLength,
                      List<List<String>> trackers, List<String> webSeeds, boolean isPrivate,
                      OptionalLong creationDate, String comment, String createdBy,
                      boolean hybrid, byte[] rawInfo) {

    public Torrent {
        files = FileTable.of(files).asList(); // compact, entries made when read
        trackers = trackers.stream().map(List::copyOf).toList();
        webSeeds = List.copyOf(webSeeds);
    }

    public int pieceCount() {
        return pieceHashes.length / InfoHash.LENGTH;
    }

    /** Size of piece {@code index}: the piece length except for a shorter last piece. */
    public int pieceSize(int index) {
        if (index < 0 || index >= pieceCount()) {
            throw new IndexOutOfBoundsException("piece " + index + " of " + pieceCount());
        }
        long start = (long) index * pieceLength;
        return (int) Math.min(pieceLength, totalLength - start);
    }

    /** The expected SHA-1 of piece {@code index}, a fresh copy. */
    public byte[] pieceHash(int index) {
        int from = index * InfoHash.LENGTH;
        return Arrays.copyOfRange(pieceHashes, from, from + InfoHash.LENGTH);
    }

    /** The file list in its compact form. */
    public FileTable fileTable() {
        return FileTable.of(files);
    }

    /** The files a user sees: every file but the BEP 47 pad files. */
    public List<FileEntry> visibleFiles() {
        return files.stream().filter(f -> !f.pad()).toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Torrent t && infoHash.equals(t.infoHash);
    }

    @Override
    public int hashCode() {
        return infoHash.hashCode();
    }

    @Override
    public String toString() {
        return "Torrent[" + name + " " + infoHash.hex() + "]";
    }
}
