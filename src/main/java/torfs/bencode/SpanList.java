package torfs.bencode;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * The elements of a long decoded list kept as where they start in the source, each decoded
 * again when read. A .torrent's list of 100,000 files is validated once, in full, by the
 * decoder, but never held as 100,000 little trees at once: its reader takes one file at a
 * time and drops it. The source array must not change afterwards (decoders never write it).
 */
final class SpanList extends AbstractList<BValue> implements RandomAccess {
    private final byte[] source;
    /** Element i is the value encoded at source[starts[i], starts[i + 1]). */
    private final int[] starts;

    SpanList(byte[] source, int[] starts) {
        this.source = source;
        this.starts = starts;
    }

    @Override
    public BValue get(int i) {
        if (i < 0 || i >= size()) {
            throw new IndexOutOfBoundsException("element " + i + " of " + size());
        }
        try {
            return BencodeDecoder.decodePrefix(source, starts[i], starts[i + 1] - starts[i]).value();
        } catch (BencodeException e) {
            throw new IllegalStateException("a validated element no longer decodes", e);
        }
    }

    @Override
    public int size() {
        return starts.length - 1;
    }
}
