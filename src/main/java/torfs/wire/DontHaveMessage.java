package torfs.wire;

import java.nio.ByteBuffer;

/**
 * BEP 54's {@code lt_donthave}: an extended message whose payload is one 4-byte big-endian piece
 * index, telling a peer we no longer have a piece we announced (a capped cache evicted it).
 * libtorrent and webtorrent speak it; other peers learn it from a REJECT or a choke instead.
 */
public final class DontHaveMessage {
    public static final String NAME = "lt_donthave";
    /** The id we ask peers to send it with (ut_pex is 1, ut_metadata 3). */
    public static final int LOCAL_ID = 4;

    private DontHaveMessage() {
    }

    public static byte[] encode(int piece) {
        return ByteBuffer.allocate(4).putInt(piece).array();
    }

    /** The piece index; a payload of another length or an index outside the torrent is an error. */
    public static int decode(byte[] payload, int pieceCount) {
        if (payload.length != 4) {
            throw new WireException("lt_donthave of " + payload.length + " bytes");
        }
        int piece = ByteBuffer.wrap(payload).getInt();
        if (piece < 0 || piece >= pieceCount) {
            throw new WireException("lt_donthave for piece " + piece + " of " + pieceCount);
        }
        return piece;
    }
}
