package torfs.peer;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.List;
import torfs.geometry.Bitfield;
import torfs.geometry.BlockRef;
import torfs.wire.PexMessage;

/**
 * What a {@link PeerConnection} tells its torrent. Called on the connection's event loop, the
 * same one the torrent's state lives on.
 */
public interface PeerListener {
    /** Our verified pieces, for the first message and for checking the peer's requests. */
    Bitfield ourPieces();

    /** True when we have verified {@code piece} and may serve it. */
    boolean hasPiece(int piece);

    /** The peer's whole have-set was (re)announced: bitfield, have-all or have-none. */
    void peerHaveSet(PeerConnection peer, Bitfield have);

    void peerHave(PeerConnection peer, int piece);

    /**
     * BEP 54: the peer dropped {@code piece}. Its have-set no longer has it; our requests of it
     * to this peer come next, withdrawn, through {@link #requestsDropped}.
     */
    default void peerDontHave(PeerConnection peer, int piece) {
    }

    /** The peer unchoked us or a request slot freed: a chance to send more requests. */
    void canRequest(PeerConnection peer);

    /**
     * The peer choked us. Requests a fast peer has not rejected yet stay outstanding (it may
     * still answer them, BEP 6), but nothing urgent should wait for that.
     */
    void peerChoked(PeerConnection peer);

    /** These requests will not be answered (choke, reject, timeout, snub): pick them elsewhere. */
    void requestsDropped(PeerConnection peer, List<BlockRef> blocks);

    /** A block we asked for; the listener owns {@code data} and must release it. */
    void blockReceived(PeerConnection peer, BlockRef block, ByteBuf data);

    /** The peer queued a valid request we may serve (we are not choking it). */
    void uploadRequested(PeerConnection peer);

    /** The peer became interested or not interested in us. */
    void peerInterestChanged(PeerConnection peer);

    /** The connection is gone; {@code outstanding} requests were never answered. */
    void peerClosed(PeerConnection peer, List<BlockRef> outstanding);

    /**
     * The info dictionary peers may fetch with ut_metadata (BEP 9), or null to offer none: a
     * private torrent's is never served.
     */
    default byte[] metadata() {
        return null;
    }

    /**
     * The torrent is private (BEP 27): peers come from its trackers only. The connection then
     * neither advertises nor reads ut_pex; whoever adds ut_metadata serving or DHT announces
     * must consult this too.
     */
    default boolean torrentIsPrivate() {
        return false;
    }

    /** A peer's ut_pex message (BEP 11) passed its limits: {@code added} are peers worth dialling. */
    default void onPexPeers(PeerConnection peer, List<PexMessage.Peer> added) {
    }

    /**
     * A peer that set the DHT bit sent its DHT node's port (BEP 5 PORT message):
     * {@code node} is its IP with that UDP port.
     */
    default void onDhtPort(PeerConnection peer, InetSocketAddress node) {
    }
}
