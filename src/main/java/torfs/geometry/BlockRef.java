package torfs.geometry;

/** A 16 KiB request unit: piece index, byte offset inside the piece, length. */
public record BlockRef(int piece, int begin, int length) {
    public int blockIndex() {
        return begin / PieceGeometry.BLOCK_SIZE;
    }
}
