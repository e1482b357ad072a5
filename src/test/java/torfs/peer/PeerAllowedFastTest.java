package torfs.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import torfs.geometry.Bitfield;
import torfs.geometry.PieceGeometry;
import torfs.metainfo.InfoHash;
import torfs.wire.Handshake;
import torfs.wire.PeerMessage;

/** BEP 6 allowed-fast, both ways, on a connection from the BEP's example address and info-hash. */
class PeerAllowedFastTest {
    /** 1313 pieces of one block, as in the BEP 6 example. */
    private static final PieceGeometry GEO = new PieceGeometry(16384, new long[] {1313L * 16384});
    private static final InfoHash HASH;

    static {
        byte[] h = new byte[20];
        Arrays.fill(h, (byte) 0xaa);
        HASH = InfoHash.of(h);
    }

    private final PeerConnectionTest.Recorder rec = new PeerConnectionTest.Recorder();
    private EmbeddedChannel ch;
    private PeerConnection peer;

    private void connect(boolean fast) {
        byte[] reserved = new byte[8];
        if (fast) {
            reserved[7] |= 0x04;
        }
        ch = new EmbeddedChannel() {
            @Override
            protected SocketAddress remoteAddress0() {
                return new InetSocketAddress("80.4.4.200", 6881);
            }
        };
        peer = new PeerConnection(1, ch, new Handshake(reserved, HASH, PeerId.generate()), GEO, rec,
                PeerSettings.defaults(), () -> 0L);
        ch.pipeline().addLast(peer);
    }

    private List<PeerMessage> sent() {
        List<PeerMessage> out = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            out.add((PeerMessage) o);
        }
        return out;
    }

    private void weHave(int... pieces) {
        rec.ours = new Bitfield(1313);
        for (int p : pieces) {
            rec.ours.set(p);
        }
    }

    @Test
    void newFastPeerGetsTheCanonicalSetForThePiecesWeHave() {
        weHave(1059, 431, 5, 508);
        connect(true);
        ch.writeInbound(PeerMessage.HaveNone.INSTANCE);
        assertThat(sent()).containsExactlyInAnyOrder(new PeerMessage.AllowedFast(1059),
                new PeerMessage.AllowedFast(431), new PeerMessage.AllowedFast(508));
        assertThat(peer.allowedFastForPeer()).hasSize(AllowedFastSet.SIZE)
                .contains(1059, 431, 808, 1217, 287, 376, 1188, 353, 508).doesNotContain(5);
    }

    @Test
    void allowedPieceIsServedWhileChokedAndOthersAreRejected() {
        weHave(1059, 5);
        connect(true);
        ch.writeInbound(PeerMessage.HaveNone.INSTANCE);
        sent();
        ch.writeInbound(new PeerMessage.Request(1059, 0, 16384));
        ch.writeInbound(new PeerMessage.Request(5, 0, 16384));
        assertThat(sent()).containsExactly(new PeerMessage.Reject(5, 0, 16384));
        assertThat(rec.uploadRequests).isEqualTo(1);
        assertThat(peer.pollUpload()).isEqualTo(GEO.block(1059, 0));
        assertThat(peer.pollUpload()).isNull();
    }

    @Test
    void chokeKeepsQueuedAllowedFastRequests() {
        weHave(1059, 5);
        connect(true);
        ch.writeInbound(PeerMessage.HaveNone.INSTANCE);
        peer.unchoke();
        ch.writeInbound(new PeerMessage.Request(1059, 0, 16384));
        ch.writeInbound(new PeerMessage.Request(5, 0, 16384));
        sent();
        peer.choke();
        assertThat(sent()).containsExactly(PeerMessage.Choke.INSTANCE, new PeerMessage.Reject(5, 0, 16384));
        assertThat(peer.pollUpload()).isEqualTo(GEO.block(1059, 0));
    }

    @Test
    void peerWithManyPiecesOrWithoutTheFastBitGetsNoSet() {
        weHave(1059, 431);
        connect(true);
        Bitfield theirs = new Bitfield(1313);
        for (int i = 0; i < AllowedFastSet.SIZE; i++) {
            theirs.set(i);
        }
        ch.writeInbound(new PeerMessage.BitfieldMsg(theirs.toWire()));
        assertThat(sent()).isEmpty();
        assertThat(peer.allowedFastForPeer()).isEmpty();
        ch.writeInbound(new PeerMessage.Request(1059, 0, 16384));
        assertThat(sent()).containsExactly(new PeerMessage.Reject(1059, 0, 16384));

        connect(false);
        ch.writeInbound(new PeerMessage.BitfieldMsg(new Bitfield(1313).toWire()));
        assertThat(sent()).isEmpty();
        assertThat(peer.allowedFastForPeer()).isEmpty();
    }

    @Test
    void piecesAllowedByAChokingPeerOpenRequestSlots() {
        connect(true);
        ch.writeInbound(PeerMessage.HaveAll.INSTANCE);
        peer.setInterested(true);
        assertThat(peer.peerChoking()).isTrue();
        assertThat(peer.requestSlots()).isZero();
        ch.writeInbound(new PeerMessage.AllowedFast(7));
        assertThat(peer.allowedFastFromPeer()).containsExactly(7);
        assertThat(peer.requestSlots()).isPositive();
        // the requests stay outstanding while the peer still chokes us
        peer.request(List.of(GEO.block(7, 0)));
        assertThat(peer.outstandingCount()).isEqualTo(1);
    }
}
