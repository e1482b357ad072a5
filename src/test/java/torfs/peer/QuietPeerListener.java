package torfs.peer;

import io.netty.buffer.ByteBuf;
import java.util.List;
import torfs.geometry.Bitfield;
import torfs.geometry.BlockRef;

/**
 * A torrent of ten pieces that has none and wants none, for connection tests about something
 * other than pieces (metadata, PEX, the PORT message): every event is ignored, and a test
 * overrides the few it watches.
 */
class QuietPeerListener implements PeerListener {
    @Override
    public Bitfield ourPieces() {
        return new Bitfield(10);
    }

    @Override
    public boolean hasPiece(int piece) {
        return false;
    }

    @Override
    public void peerHaveSet(PeerConnection peer, Bitfield have) {
    }

    @Override
    public void peerHave(PeerConnection peer, int piece) {
    }

    @Override
    public void canRequest(PeerConnection peer) {
    }

    @Override
    public void peerChoked(PeerConnection peer) {
    }

    @Override
    public void requestsDropped(PeerConnection peer, List<BlockRef> blocks) {
    }

    @Override
    public void blockReceived(PeerConnection peer, BlockRef block, ByteBuf data) {
        data.release();
    }

    @Override
    public void uploadRequested(PeerConnection peer) {
    }

    @Override
    public void peerInterestChanged(PeerConnection peer) {
    }

    @Override
    public void peerClosed(PeerConnection peer, List<BlockRef> outstanding) {
    }
}
