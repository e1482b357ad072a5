package torfs.transport.utp;

import java.util.Arrays;

/**
 * One uTP packet (BEP 29): the 20-byte header, an optional selective ACK and the payload.
 * Numbers are kept as their unsigned wire values (16-bit ids and sequence numbers, 32-bit
 * timestamps and window) in ints and longs. Parsing is strict: {@link #parse} returns null for
 * anything we would not answer (wrong version, unknown type, an extension chain that runs past
 * the end, an empty or second selective ACK). The BEP asks for selective ACKs in multiples of
 * 4 bytes, and we send them so; libtorrent sends as few bytes as its gap needs (2, 5, 7...),
 * so any length is read: dropping those packets dropped every packet of a connection after a
 * loss, and it stalled.
 */
public record Packet(PacketType type, int connectionId, long timestampMicros, long timestampDiffMicros,
        long windowSize, int seqNr, int ackNr, byte[] selectiveAck, byte[] payload) {

    public static final int VERSION = 1;
    public static final int HEADER_SIZE = 20;
    static final int EXTENSION_SACK = 1;
    private static final byte[] NONE = new byte[0];

    public Packet {
        selectiveAck = selectiveAck == null || selectiveAck.length == 0 ? null : selectiveAck;
        payload = payload == null ? NONE : payload;
    }

    /** Bytes this packet takes on the wire. */
    public int encodedSize() {
        return HEADER_SIZE + (selectiveAck == null ? 0 : 2 + selectiveAck.length) + payload.length;
    }

    public byte[] encode() {
        byte[] out = new byte[encodedSize()];
        out[0] = (byte) (type.code() << 4 | VERSION);
        out[1] = (byte) (selectiveAck == null ? 0 : EXTENSION_SACK);
        put16(out, 2, connectionId);
        put32(out, 4, timestampMicros);
        put32(out, 8, timestampDiffMicros);
        put32(out, 12, windowSize);
        put16(out, 16, seqNr);
        put16(out, 18, ackNr);
        int at = HEADER_SIZE;
        if (selectiveAck != null) {
            out[at] = 0; // no further extension
            out[at + 1] = (byte) selectiveAck.length;
            System.arraycopy(selectiveAck, 0, out, at + 2, selectiveAck.length);
            at += 2 + selectiveAck.length;
        }
        System.arraycopy(payload, 0, out, at, payload.length);
        return out;
    }

    /**
     * Whether a datagram starting with this byte may be uTP: version 1 in the low nibble and a
     * type 0-4 in the high one (libtorrent's test; KRPC's 'd' = 0x64 fails it).
     */
    public static boolean looksLikeUtp(int firstByte) {
        return (firstByte & 0x0f) == VERSION && (firstByte & 0xff) >> 4 <= PacketType.SYN.code();
    }

    /** The packet in {@code data[offset, offset+length)}, or null when it is malformed. */
    public static Packet parse(byte[] data, int offset, int length) {
        if (length < HEADER_SIZE || offset < 0 || offset + length > data.length) {
            return null;
        }
        int b0 = data[offset] & 0xff;
        if ((b0 & 0x0f) != VERSION) {
            return null;
        }
        PacketType type = PacketType.of(b0 >> 4);
        if (type == null) {
            return null;
        }
        int end = offset + length;
        int next = data[offset + 1] & 0xff;
        int at = offset + HEADER_SIZE;
        byte[] sack = null;
        while (next != 0) {
            if (at + 2 > end) {
                return null;
            }
            int kind = next;
            next = data[at] & 0xff;
            int len = data[at + 1] & 0xff;
            at += 2;
            if (at + len > end) {
                return null;
            }
            if (kind == EXTENSION_SACK) {
                if (len == 0 || sack != null) {
                    return null;
                }
                sack = Arrays.copyOfRange(data, at, at + len);
            } // other extensions (libtorrent's close reason) are skipped, as the BEP asks
            at += len;
        }
        return new Packet(type, get16(data, offset + 2), get32(data, offset + 4), get32(data, offset + 8),
                get32(data, offset + 12), get16(data, offset + 16), get16(data, offset + 18), sack,
                Arrays.copyOfRange(data, at, end));
    }

    public static Packet parse(byte[] data) {
        return parse(data, 0, data.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Packet p && type == p.type && connectionId == p.connectionId
                && timestampMicros == p.timestampMicros && timestampDiffMicros == p.timestampDiffMicros
                && windowSize == p.windowSize && seqNr == p.seqNr && ackNr == p.ackNr
                && Arrays.equals(selectiveAck, p.selectiveAck) && Arrays.equals(payload, p.payload);
    }

    @Override
    public int hashCode() {
        return (type.hashCode() * 31 + connectionId) * 31 + seqNr * 7 + ackNr + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return type + "(id " + connectionId + ", seq " + seqNr + ", ack " + ackNr + ", wnd " + windowSize
                + (selectiveAck == null ? "" : ", sack " + selectiveAck.length * 8) + ", " + payload.length + " B)";
    }

    private static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >> 8);
        b[at + 1] = (byte) v;
    }

    private static void put32(byte[] b, int at, long v) {
        b[at] = (byte) (v >> 24);
        b[at + 1] = (byte) (v >> 16);
        b[at + 2] = (byte) (v >> 8);
        b[at + 3] = (byte) v;
    }

    private static int get16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
    }

    private static long get32(byte[] b, int at) {
        return (long) (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
    }
}
