package torfs.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import torfs.metainfo.InfoHash;

/**
 * The BEP 3 handshake: 19, "BitTorrent protocol", 8 reserved bytes, info-hash, peer id.
 * Reserved bits we use: BEP 10 extension protocol (0x10 in byte 5), BEP 6 fast extension
 * (0x04 in byte 7) and, when the client runs a DHT node, BEP 5's DHT bit (0x01 in byte 7).
 */
public record Handshake(byte[] reserved, InfoHash infoHash, byte[] peerId) {
    public static final int LENGTH = 68;
    static final byte[] PROTOCOL = "BitTorrent protocol".getBytes(StandardCharsets.US_ASCII);

    public Handshake {
        if (reserved.length != 8 || peerId.length != 20) {
            throw new IllegalArgumentException("reserved must have 8 bytes and peer id 20");
        }
        reserved = reserved.clone();
        peerId = peerId.clone();
    }

    /** Our handshake: fast extension and extension protocol announced, no DHT. */
    public static Handshake ours(InfoHash infoHash, byte[] peerId) {
        return ours(infoHash, peerId, false);
    }

    /** Our handshake; {@code dht}: we run a DHT node and will send a PORT message to peers that do too. */
    public static Handshake ours(InfoHash infoHash, byte[] peerId, boolean dht) {
        byte[] reserved = new byte[8];
        reserved[5] |= 0x10;
        reserved[7] |= 0x04;
        if (dht) {
            reserved[7] |= 0x01;
        }
        return new Handshake(reserved, infoHash, peerId);
    }

    /** The peer runs a DHT node (BEP 5): it may send, and may be sent, a PORT message. */
    public boolean supportsDht() {
        return (reserved[7] & 0x01) != 0;
    }

    public boolean supportsFast() {
        return (reserved[7] & 0x04) != 0;
    }

    public boolean supportsExtensions() {
        return (reserved[5] & 0x10) != 0;
    }

    @Override
    public byte[] reserved() {
        return reserved.clone();
    }

    @Override
    public byte[] peerId() {
        return peerId.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Handshake h && Arrays.equals(reserved, h.reserved)
                && infoHash.equals(h.infoHash) && Arrays.equals(peerId, h.peerId);
    }

    @Override
    public int hashCode() {
        return infoHash.hashCode() * 31 + Arrays.hashCode(peerId);
    }
}
