package torfs.geometry;

import java.util.Arrays;
import java.util.BitSet;

/**
 * A fixed-size set of piece indexes with the BitTorrent wire layout: bit 7 of byte 0 is piece 0,
 * spare bits at the end are zero. Not thread-safe; share copies across threads.
 */
public final class Bitfield {
    private final int size;
    private final BitSet bits;

    public Bitfield(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size");
        }
        this.size = size;
        this.bits = new BitSet(size);
    }

    private Bitfield(int size, BitSet bits) {
        this.size = size;
        this.bits = bits;
    }

    /** Parses the wire form; spare bits set, or a wrong byte count, are an error. */
    public static Bitfield fromWire(byte[] wire, int size) {
        if (wire.length != byteLength(size)) {
            throw new IllegalArgumentException("bitfield has " + wire.length + " bytes, expected "
                    + byteLength(size));
        }
        Bitfield b = new Bitfield(size);
        // long index: wire.length * 8 overflows an int past 256 MiB of bitfield
        for (long i = 0; i < (long) wire.length * 8; i++) {
            if ((wire[(int) (i >>> 3)] & (0x80 >>> (i & 7))) != 0) {
                if (i >= size) {
                    throw new IllegalArgumentException("bitfield has spare bit " + i + " set");
                }
                b.bits.set((int) i);
            }
        }
        return b;
    }

    public static Bitfield full(int size) {
        Bitfield b = new Bitfield(size);
        b.bits.set(0, size);
        return b;
    }

    public static int byteLength(int size) {
        return (size + 7) >>> 3;
    }

    public byte[] toWire() {
        byte[] out = new byte[byteLength(size)];
        for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
            out[i >>> 3] |= (byte) (0x80 >>> (i & 7));
        }
        return out;
    }

    public int size() {
        return size;
    }

    public boolean get(int index) {
        check(index);
        return bits.get(index);
    }

    public void set(int index) {
        check(index);
        bits.set(index);
    }

    public void clear(int index) {
        check(index);
        bits.clear(index);
    }

    public int cardinality() {
        return bits.cardinality();
    }

    public boolean isComplete() {
        return bits.cardinality() == size;
    }

    public boolean isEmpty() {
        return bits.isEmpty();
    }

    /** Next set index at or after {@code from}, or -1. */
    public int nextSet(int from) {
        return from >= size ? -1 : bits.nextSetBit(from);
    }

    /** Next clear index at or after {@code from}, or -1 when all the rest are set. */
    public int nextClear(int from) {
        int i = bits.nextClearBit(from);
        return i >= size ? -1 : i;
    }

    /** Number of set indexes in [from, to). */
    public int countIn(int from, int to) {
        return bits.get(from, to).cardinality();
    }

    /** Adds every index {@code other} has; both of one size. */
    public void or(Bitfield other) {
        if (other.size != size) {
            throw new IllegalArgumentException("bitfield of " + other.size + " pieces, expected " + size);
        }
        bits.or(other.bits);
    }

    public Bitfield copy() {
        return new Bitfield(size, (BitSet) bits.clone());
    }

    private void check(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("piece " + index + " of " + size);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bitfield b && b.size == size && b.bits.equals(bits);
    }

    @Override
    public int hashCode() {
        return 31 * size + bits.hashCode();
    }

    @Override
    public String toString() {
        char[] c = new char[size];
        Arrays.fill(c, '0');
        for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
            c[i] = '1';
        }
        return new String(c);
    }
}
