package torfs.metainfo;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Many short names in one byte array, UTF-8, addressed by number. A name costs its bytes and
 * one int instead of a String and its array (about 40 bytes more each), and becomes a String
 * only when asked: a tree of a million files keeps a million names without a million objects.
 * Immutable once built; {@link Builder} appends.
 */
public final class Utf8Names {
    private final byte[] bytes;
    /** Name i is bytes[starts[i], starts[i + 1]). */
    private final int[] starts;

    private Utf8Names(byte[] bytes, int[] starts) {
        this.bytes = bytes;
        this.starts = starts;
    }

    public int size() {
        return starts.length - 1;
    }

    public String get(int i) {
        return new String(bytes, starts[i], lengthOf(i), StandardCharsets.UTF_8);
    }

    /** Name i's UTF-8 bytes. */
    public byte[] bytes(int i) {
        return Arrays.copyOfRange(bytes, starts[i], starts[i + 1]);
    }

    /** Name i's UTF-8 bytes followed by one NUL, as C callers want them. */
    public byte[] cString(int i) {
        byte[] out = new byte[lengthOf(i) + 1];
        System.arraycopy(bytes, starts[i], out, 0, lengthOf(i));
        return out;
    }

    public int lengthOf(int i) {
        return starts[i + 1] - starts[i];
    }

    /** Unsigned byte order of name i against {@code key}: the order of UTF-8 code points. */
    public int compareTo(int i, byte[] key) {
        return Arrays.compareUnsigned(bytes, starts[i], starts[i + 1], key, 0, key.length);
    }

    /** Unsigned byte order of names i and j. */
    public int compare(int i, int j) {
        return Arrays.compareUnsigned(bytes, starts[i], starts[i + 1], bytes, starts[j], starts[j + 1]);
    }

    /** Heap bytes held, for tests and diagnostics. */
    long footprint() {
        return bytes.length + 4L * starts.length;
    }

    /** Appends names; {@link #build()} trims the arrays to size. */
    public static final class Builder {
        private byte[] bytes = new byte[256];
        private int[] starts = new int[17];
        private int count;

        /** Appends {@code name}; returns its number. */
        public int add(String name) {
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            int end = starts[count];
            if (end + b.length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(end + b.length, bytes.length * 2));
            }
            System.arraycopy(b, 0, bytes, end, b.length);
            if (count + 2 > starts.length) {
                starts = Arrays.copyOf(starts, starts.length * 2);
            }
            starts[count + 1] = end + b.length;
            return count++;
        }

        public int size() {
            return count;
        }

        public Utf8Names build() {
            return new Utf8Names(Arrays.copyOf(bytes, starts[count]), Arrays.copyOf(starts, count + 1));
        }
    }
}
