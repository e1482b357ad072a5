package torfs.peer;

import java.util.Arrays;
import torfs.wire.MetadataMessage;
import torfs.wire.WireException;

/**
 * Answers one peer's ut_metadata requests (BEP 9) from the torrent's info dictionary, or
 * rejects them all when there is none to serve (a private torrent). Bounded per connection: a
 * peer gets each block a few times at most, is rejected past that or while our send buffer is
 * full, and is dropped after many more requests than the dictionary has blocks, so a peer
 * asking 10,000 times costs rejects, not 10,000 buffered blocks.
 */
final class MetadataServer {
    private final byte[] info;
    private final int blocks;
    private final int dataBudget;
    private final int requestBudget;
    private int served;
    private int requests;

    /** @param info the dictionary to serve, or null to reject every request */
    MetadataServer(byte[] info) {
        this.info = info != null && info.length > 0 && info.length <= MetadataMessage.MAX_SIZE ? info : null;
        this.blocks = this.info == null ? 0 : MetadataMessage.blockCount(this.info.length);
        this.dataBudget = 2 * blocks + 8;
        this.requestBudget = 8 * blocks + 256;
    }

    /** The size we advertise as metadata_size: 0 when we serve nothing. */
    int size() {
        return info == null ? 0 : info.length;
    }

    /**
     * The answer to a message the peer sent to our ut_metadata id, or null when it needs none
     * (its data or rejects: we ask nobody while we have the torrent).
     *
     * @param writable whether the channel's send buffer has room
     * @throws WireException when the peer asks far beyond any need
     */
    MetadataMessage answer(MetadataMessage m, boolean writable) {
        if (m.type() != MetadataMessage.REQUEST) {
            return null;
        }
        if (++requests > requestBudget) {
            throw new WireException("more than " + requestBudget + " ut_metadata requests");
        }
        int piece = m.piece();
        if (info == null || piece >= blocks || !writable || served >= dataBudget) {
            return MetadataMessage.reject(piece);
        }
        served++;
        int from = piece * MetadataMessage.BLOCK;
        int len = MetadataMessage.blockLength(info.length, piece);
        return MetadataMessage.data(piece, info.length, Arrays.copyOfRange(info, from, from + len));
    }
}
