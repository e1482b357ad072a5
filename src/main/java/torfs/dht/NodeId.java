package torfs.dht;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.CRC32C;

/**
 * A 160-bit DHT node id (or a target: an info-hash is a point in the same space). Distance is
 * the XOR of two ids read as an unsigned big-endian number. Immutable; the bytes are never
 * handed out.
 */
final class NodeId implements Comparable<NodeId> {
    static final int LENGTH = 20;
    static final int BITS = LENGTH * 8;
    private final byte[] bytes;

    private NodeId(byte[] bytes) {
        this.bytes = bytes;
    }

    static NodeId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a node id has 20 bytes, got " + bytes.length);
        }
        return new NodeId(bytes.clone());
    }

    static NodeId of(byte[] data, int offset) {
        return new NodeId(Arrays.copyOfRange(data, offset, offset + LENGTH));
    }

    static NodeId fromHex(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    static NodeId random(Random random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        return new NodeId(b);
    }

    /**
     * BEP 42: the first 21 bits are CRC32-C of the masked IPv4 address with three random bits
     * mixed in, the last byte carries those bits, the rest is random. Other nodes can then tell
     * that an id was not chosen to sit next to a given info-hash. Non-IPv4 and the local
     * addresses BEP 42 exempts give a random id: on one such address every id would share its
     * first 21 bits with eight others' (a loopback network of our own nodes clustered into eight
     * groups, and a lookup from one group could end without ever meeting the target's).
     */
    static NodeId secure(InetAddress ip, Random random) {
        if (!(ip instanceof Inet4Address) || exempt(ip)) {
            return random(random);
        }
        int r = random.nextInt(256);
        return secure(ip, r, random);
    }

    /** {@code rand}: the byte BEP 42 writes last; its low three bits go into the hash. */
    static NodeId secure(InetAddress ip, int rand, Random random) {
        byte[] v4 = ip.getAddress();
        byte[] masked = {(byte) (v4[0] & 0x03), (byte) (v4[1] & 0x0f), (byte) (v4[2] & 0x3f), v4[3]};
        masked[0] |= (byte) ((rand & 0x7) << 5);
        CRC32C crc32c = new CRC32C();
        crc32c.update(masked);
        int crc = (int) crc32c.getValue();
        byte[] id = new byte[LENGTH];
        random.nextBytes(id);
        id[0] = (byte) (crc >>> 24);
        id[1] = (byte) (crc >>> 16);
        id[2] = (byte) (((crc >>> 8) & 0xf8) | (id[2] & 0x7));
        id[19] = (byte) rand;
        return new NodeId(id);
    }

    /** BEP 42 does not restrict ids on unspecified, loopback, private or link-local addresses. */
    static boolean exempt(InetAddress ip) {
        return ip.isAnyLocalAddress() || ip.isLoopbackAddress() || ip.isSiteLocalAddress() || ip.isLinkLocalAddress();
    }

    /** Whether this id is one BEP 42 allows for {@code ip} (IPv4 only; others and exempt addresses always pass). */
    boolean isSecureFor(InetAddress ip) {
        if (!(ip instanceof Inet4Address) || exempt(ip)) {
            return true;
        }
        NodeId expected = secure(ip, bytes[19] & 0xff, new Random(0));
        return expected.bytes[0] == bytes[0] && expected.bytes[1] == bytes[1]
                && (expected.bytes[2] & 0xf8) == (bytes[2] & 0xf8);
    }

    /** The XOR distance as a new id-sized value, to compare with {@link #compareTo}. */
    NodeId distance(NodeId other) {
        byte[] d = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            d[i] = (byte) (bytes[i] ^ other.bytes[i]);
        }
        return new NodeId(d);
    }

    /** Negative when {@code a} is closer to this id than {@code b}. */
    int closer(NodeId a, NodeId b) {
        for (int i = 0; i < LENGTH; i++) {
            int da = (a.bytes[i] ^ bytes[i]) & 0xff;
            int db = (b.bytes[i] ^ bytes[i]) & 0xff;
            if (da != db) {
                return Integer.compare(da, db);
            }
        }
        return 0;
    }

    /** How many leading bits this id shares with {@code other} (160 when equal). */
    int commonPrefix(NodeId other) {
        for (int i = 0; i < LENGTH; i++) {
            int x = (bytes[i] ^ other.bytes[i]) & 0xff;
            if (x != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return BITS;
    }

    /** Bit {@code i} counted from the most significant, 0 or 1. */
    int bit(int i) {
        return (bytes[i >> 3] >> (7 - (i & 7))) & 1;
    }

    /** A random id sharing exactly {@code prefix} leading bits with this one: a target inside one bucket. */
    NodeId randomWithPrefix(int prefix, Random random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        for (int i = 0; i < Math.min(prefix, BITS); i++) {
            setBit(b, i, bit(i));
        }
        if (prefix < BITS) {
            setBit(b, prefix, 1 - bit(prefix));
        }
        return new NodeId(b);
    }

    private static void setBit(byte[] b, int i, int v) {
        int mask = 1 << (7 - (i & 7));
        b[i >> 3] = (byte) (v == 1 ? b[i >> 3] | mask : b[i >> 3] & ~mask);
    }

    byte[] bytes() {
        return bytes.clone();
    }

    void copyTo(byte[] dst, int offset) {
        System.arraycopy(bytes, 0, dst, offset, LENGTH);
    }

    String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** Unsigned big-endian order: with distances, nearer first. */
    @Override
    public int compareTo(NodeId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
