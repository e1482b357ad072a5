package torfs.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import torfs.geometry.BlockRef;
import torfs.geometry.PieceGeometry;
import torfs.metainfo.InfoHash;
import torfs.wire.DontHaveMessage;
import torfs.wire.Handshake;
import torfs.wire.PeerMessage;

/**
 * A received BEP 54 DONT_HAVE: the piece leaves the peer's have-set, our requests of it are
 * cancelled at the peer and handed back to be picked elsewhere, and the torrent hears it.
 */
class PeerConnectionDontHaveTest {
    private static final int PIECE = 32768;
    private static final PieceGeometry GEO = new PieceGeometry(PIECE, new long[] {4L * PIECE});
    private static final InfoHash HASH = InfoHash.sha1Of(new byte[1], 0, 1);

    private final Events events = new Events();
    private EmbeddedChannel ch;
    private PeerConnection peer;

    static final class Events extends QuietPeerListener {
        final List<Integer> dontHaves = new ArrayList<>();
        final List<BlockRef> dropped = new ArrayList<>();
        /** What the torrent saw of the peer's have-set when the DONT_HAVE reached it. */
        final List<Boolean> stillHadWhenTold = new ArrayList<>();

        @Override
        public void peerDontHave(PeerConnection p, int piece) {
            dontHaves.add(piece);
            stillHadWhenTold.add(p.have().get(piece));
        }

        @Override
        public void requestsDropped(PeerConnection p, List<BlockRef> blocks) {
            dropped.addAll(blocks);
        }
    }

    private void connect(boolean fast) {
        ch = FakePeerChannel.to("127.0.0.5");
        peer = new PeerConnection(1, ch, new Handshake(FakePeerChannel.reserved(true, fast, false), HASH,
                PeerId.generate()), GEO, events, PeerSettings.defaults(), System::nanoTime);
        ch.pipeline().addLast(peer);
        peer.start();
    }

    private List<PeerMessage> sent() {
        return FakePeerChannel.sent(ch);
    }

    private void dontHave(int piece) {
        ch.writeInbound(new PeerMessage.Extended(DontHaveMessage.LOCAL_ID, DontHaveMessage.encode(piece)));
    }

    @Test
    void aDroppedPieceLeavesTheHaveSetAndItsRequestsAreWithdrawn() {
        connect(true);
        ch.writeInbound(PeerMessage.HaveAll.INSTANCE);
        ch.writeInbound(PeerMessage.Unchoke.INSTANCE);
        peer.setInterested(true);
        BlockRef a = GEO.block(1, 0);
        BlockRef b = GEO.block(1, 1);
        BlockRef other = GEO.block(2, 0);
        peer.request(List.of(a, b, other));
        sent();

        dontHave(1);
        assertThat(peer.have().get(1)).isFalse();
        assertThat(peer.have().get(2)).isTrue();
        assertThat(events.dontHaves).containsExactly(1);
        assertThat(events.stillHadWhenTold).containsExactly(false);
        assertThat(events.dropped).containsExactlyInAnyOrder(a, b);
        assertThat(peer.outstanding()).containsExactly(other);
        assertThat(sent()).contains(new PeerMessage.Cancel(1, a.begin(), a.length()),
                new PeerMessage.Cancel(1, b.begin(), b.length()));
        assertThat(ch.isActive()).as("not a protocol error").isTrue();

        dontHave(1); // again: nothing new
        assertThat(events.dontHaves).containsExactly(1);
        ch.writeInbound(new PeerMessage.Have(1)); // and back again later
        assertThat(peer.have().get(1)).isTrue();
    }

    @Test
    void aPieceNeverAnnouncedChangesNothing() {
        connect(false);
        dontHave(3);
        assertThat(events.dontHaves).isEmpty();
        assertThat(ch.isActive()).isTrue();
    }
}
