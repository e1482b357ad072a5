package torfs.geometry;

/** Pieces [first, end): an empty range has first == end. */
public record PieceRange(int first, int end) {
    public static final PieceRange EMPTY = new PieceRange(0, 0);

    public PieceRange {
        if (first < 0 || end < first) {
            throw new IllegalArgumentException("bad piece range [" + first + ", " + end + ")");
        }
    }

    public int count() {
        return end - first;
    }

    public boolean isEmpty() {
        return end == first;
    }

    public boolean contains(int piece) {
        return piece >= first && piece < end;
    }

    /** Last piece, inclusive; only for a non-empty range. */
    public int last() {
        return end - 1;
    }
}
