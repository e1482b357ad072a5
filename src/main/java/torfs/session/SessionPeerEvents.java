package torfs.session;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.List;
import torfs.geometry.Bitfield;
import torfs.geometry.BlockRef;
import torfs.peer.PeerConnection;
import torfs.peer.PeerListener;
import torfs.wire.PexMessage;

/**
 * What a {@link TorrentSession} does when its peers speak: have-sets feed the picker and our
 * interest, choke, unchoke and dropped requests move the requests, blocks go to the writer,
 * PEX and PORT feed the address book and the DHT, a closed peer is forgotten everywhere. Called
 * by the connections on the session's loop, so it reads and changes the session's loop-confined
 * state directly (no locks), as the session's own code does.
 */
final class SessionPeerEvents implements PeerListener {
    private final TorrentSession s;

    SessionPeerEvents(TorrentSession session) {
        this.s = session;
    }

    @Override
    public Bitfield ourPieces() {
        // a capped cache's picker still has pieces being punched out, and a checking session's
        // those not hashed yet: the verified set does not
        return s.eviction == null && !s.isChecking() ? s.picker.have() : s.verified.snapshot();
    }

    @Override
    public boolean hasPiece(int piece) {
        return s.verified.get(piece);
    }

    @Override
    public void peerHaveSet(PeerConnection p, Bitfield have) {
        if (have.isComplete() && s.picker.isComplete()) {
            p.close("both seeds");
            return;
        }
        if (have.isComplete()) {
            s.picker.peerHaveAll(p.id());
        } else if (have.isEmpty()) {
            s.picker.peerHaveNone(p.id());
        } else {
            s.picker.peerBitfield(p.id(), have);
        }
        s.updateInterest(p);
    }

    @Override
    public void peerHave(PeerConnection p, int piece) {
        s.picker.peerHave(p.id(), piece);
        if (p.amInterested()) {
            s.filler.fill(p);
        } else {
            s.updateInterest(p);
        }
    }

    @Override
    public void peerDontHave(PeerConnection p, int piece) {
        s.picker.peerDontHave(p.id(), piece);
        if (p.amInterested()) {
            s.updateInterest(p); // not interested once it has nothing we want
        }
    }

    @Override
    public void canRequest(PeerConnection p) {
        s.filler.fill(p);
    }

    @Override
    public void peerChoked(PeerConnection p) {
        if (s.picker.hasCritical()) {
            s.filler.reschedule(); // its urgent blocks move now, not when it gets round to rejects
        }
    }

    @Override
    public void requestsDropped(PeerConnection p, List<BlockRef> blocks) {
        for (BlockRef b : blocks) {
            s.picker.requestDropped(p.id(), b);
        }
        s.filler.reschedule();
    }

    @Override
    public void blockReceived(PeerConnection p, BlockRef block, ByteBuf data) {
        s.onBlock(p.id(), block, data);
    }

    @Override
    public void uploadRequested(PeerConnection p) {
        s.uploader.serve(p);
    }

    @Override
    public void peerInterestChanged(PeerConnection p) {
        s.choking.interestChanged(p, s.peers.values());
    }

    @Override
    public boolean torrentIsPrivate() {
        return s.torrent.isPrivate();
    }

    @Override
    public void onPexPeers(PeerConnection p, List<PexMessage.Peer> added) {
        // one more source, under the address book's caps: at most 50 a minute from each peer
        s.addresses.add(PeerExchange.worthDialling(added, s.peers.values(), s.dialledPeers, s.client::isSelf),
                System.nanoTime());
        s.connectMore();
    }

    @Override
    public void onDhtPort(PeerConnection p, InetSocketAddress node) {
        if (!s.torrent.isPrivate()) {
            s.client.dhtNodeSeen(node);
        }
    }

    @Override
    public void peerClosed(PeerConnection p, List<BlockRef> outstanding) {
        if (s.peers.remove(p.id()) != null) {
            s.counters.closedPeersWasted += p.wasted();
        }
        s.exchange.forget(p.id());
        s.uploader.peerGone(p);
        s.downLimit.forget(p.id());
        s.choking.gone(p.id());
        s.picker.peerGone(p.id());
        s.filler.peerGone(p.id());
        InetSocketAddress dialled = s.dialledPeers.remove(p.id());
        if (dialled != null) {
            s.addresses.lost(dialled, System.nanoTime());
        }
        if (!s.closed) {
            s.filler.reschedule();
        }
    }

    @Override
    public byte[] metadata() {
        return s.torrent.isPrivate() ? null : s.torrent.rawInfo(); // BEP 27: private stays private
    }
}
