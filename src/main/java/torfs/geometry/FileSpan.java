package torfs.geometry;

/**
 * A contiguous run of bytes inside one file.
 *
 * @param fileIndex    index into the torrent's file list (pad files included)
 * @param fileOffset   offset inside that file
 * @param globalOffset the same byte's offset in the torrent's concatenated data
 * @param length       bytes in the run
 */
public record FileSpan(int fileIndex, long fileOffset, long globalOffset, long length) {
}
