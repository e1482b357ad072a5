package torfs.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import torfs.bencode.BDict;
import torfs.bencode.BInt;
import torfs.bencode.BValue;
import torfs.bencode.BencodeDecoder;
import torfs.bencode.BencodeException;
import torfs.bencode.BencodeLimits;

/**
 * A BEP 9 ut_metadata message, the payload of an extended message: a bencoded dictionary
 * {@code {msg_type, piece, total_size}} and, for data, the block's raw bytes after it. The info
 * dictionary travels in 16 KiB blocks; the last one is shorter.
 *
 * @param type      {@link #REQUEST}, {@link #DATA} or {@link #REJECT}; another number is kept
 *                  (BEP 9: an unknown type must be ignored, not treated as an error)
 * @param piece     the block's index
 * @param totalSize the whole dictionary's size, in a data message; 0 otherwise
 * @param data      the block, in a data message; empty otherwise
 */
public record MetadataMessage(int type, int piece, int totalSize, byte[] data) {
    public static final int REQUEST = 0, DATA = 1, REJECT = 2;
    /** Size of every block but the last. */
    public static final int BLOCK = 16 * 1024;
    /** Largest info dictionary we fetch or serve (libtorrent: 4 MiB by default, 30 MB .torrent cap). */
    public static final int MAX_SIZE = 32 * 1024 * 1024;
    /** The extension's name in the handshake's {@code m} dictionary. */
    public static final String NAME = "ut_metadata";
    /**
     * The id peers send us ut_metadata with (our {@code m} entry). 3, not libtorrent's 2, so it
     * cannot collide with a ut_pex id chosen at 1 or 2 alongside it.
     */
    public static final int LOCAL_ID = 3;
    /** A few keys of one level: all a well-formed message holds, with room for additions. */
    private static final BencodeLimits LIMITS = new BencodeLimits(2, 32);

    public MetadataMessage {
        data = data.clone();
    }

    public static MetadataMessage request(int piece) {
        return new MetadataMessage(REQUEST, piece, 0, new byte[0]);
    }

    public static MetadataMessage reject(int piece) {
        return new MetadataMessage(REJECT, piece, 0, new byte[0]);
    }

    public static MetadataMessage data(int piece, int totalSize, byte[] block) {
        return new MetadataMessage(DATA, piece, totalSize, block);
    }

    /** Blocks a dictionary of {@code size} bytes travels in. */
    public static int blockCount(int size) {
        return (size + BLOCK - 1) / BLOCK;
    }

    /** Length of block {@code piece} of a dictionary of {@code size} bytes. */
    public static int blockLength(int size, int piece) {
        return piece < blockCount(size) - 1 ? BLOCK : size - BLOCK * (blockCount(size) - 1);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The bytes of the extended message's payload. */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + data.length);
        StringBuilder d = new StringBuilder("d8:msg_typei").append(type).append("e5:piecei").append(piece).append('e');
        if (type == DATA) {
            d.append("10:total_sizei").append(totalSize).append('e');
        }
        out.writeBytes(d.append('e').toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        return out.toByteArray();
    }

    public PeerMessage.Extended toMessage(int peerId) {
        return new PeerMessage.Extended(peerId, encode());
    }

    /**
     * Reads a payload. The dictionary's end is found by the decoder; only a data message may
     * carry bytes after it, at most {@link #BLOCK}, with a total size in (0, {@link #MAX_SIZE}].
     */
    public static MetadataMessage parse(byte[] payload) {
        BencodeDecoder.Prefix prefix;
        try {
            prefix = BencodeDecoder.decodePrefix(payload, 0, payload.length, LIMITS);
        } catch (BencodeException | RuntimeException e) {
            throw new WireException("bad ut_metadata message: " + e.getMessage());
        }
        if (!(prefix.value() instanceof BDict d)) {
            throw new WireException("ut_metadata message is not a dictionary");
        }
        int type = (int) number(d, "msg_type", 0, Integer.MAX_VALUE);
        int piece = (int) number(d, "piece", 0, MAX_SIZE / BLOCK);
        int trailing = payload.length - prefix.end();
        if (type != DATA) {
            if (trailing != 0) {
                throw new WireException("ut_metadata message of type " + type + " with "
                        + trailing + " bytes after it");
            }
            return new MetadataMessage(type, piece, 0, new byte[0]);
        }
        int total = (int) number(d, "total_size", 1, MAX_SIZE);
        if (trailing > BLOCK) {
            throw new WireException("ut_metadata block of " + trailing + " bytes, over " + BLOCK);
        }
        byte[] block = new byte[trailing];
        System.arraycopy(payload, prefix.end(), block, 0, trailing);
        return new MetadataMessage(DATA, piece, total, block);
    }

    private static long number(BDict d, String key, long min, long max) {
        BValue v = d.get(key);
        if (!(v instanceof BInt i)) {
            throw new WireException("ut_metadata message without an integer " + key);
        }
        if (i.value() < min || i.value() > max) {
            throw new WireException("ut_metadata " + key + " " + i.value() + " outside [" + min + ", " + max + "]");
        }
        return i.value();
    }
}
