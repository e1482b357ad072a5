package torfs.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import torfs.geometry.PieceGeometry;
import torfs.metainfo.InfoHash;
import torfs.wire.ExtensionHandshake;
import torfs.wire.Handshake;
import torfs.wire.MetadataMessage;
import torfs.wire.PeerMessage;

/** Serving our info dictionary with ut_metadata (BEP 9), on an EmbeddedChannel. */
class PeerConnectionMetadataTest {
    private static final PieceGeometry GEO = new PieceGeometry(32768, new long[] {10 * 32768});
    /** Two and a bit blocks. */
    private static final byte[] INFO = info(2 * MetadataMessage.BLOCK + 100);
    private static final int THEIR_ID = 9;
    private EmbeddedChannel ch;

    private static byte[] info(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    private void connect(byte[] metadata) {
        PeerListener rec = new QuietPeerListener() {
            @Override
            public byte[] metadata() {
                return metadata;
            }
        };
        byte[] reserved = new byte[8];
        reserved[5] |= 0x10;
        Handshake hs = new Handshake(reserved, InfoHash.sha1Of(new byte[1], 0, 1), PeerId.generate());
        ch = new EmbeddedChannel();
        PeerConnection peer = new PeerConnection(1, ch, hs, GEO, rec, PeerSettings.defaults(), System::nanoTime);
        ch.pipeline().addLast(peer);
        peer.start();
    }

    private List<PeerMessage.Extended> sent() {
        List<PeerMessage.Extended> out = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            if (o instanceof PeerMessage.Extended e) {
                out.add(e);
            }
        }
        return out;
    }

    private void theyAsk(int piece) {
        ch.writeInbound(MetadataMessage.request(piece).toMessage(MetadataMessage.LOCAL_ID));
    }

    private void theyHandshake() {
        ch.writeInbound(new ExtensionHandshake(Map.of(MetadataMessage.NAME, THEIR_ID), "x", 0).toMessage());
    }

    @Test
    void ourHandshakeOffersUtMetadataWithItsSize() {
        connect(INFO);
        ExtensionHandshake h = ExtensionHandshake.parse(sent().get(0).payload());
        assertThat(h.extensions()).containsEntry(MetadataMessage.NAME, MetadataMessage.LOCAL_ID);
        assertThat(h.metadataSize()).isEqualTo(INFO.length);
    }

    @Test
    void requestedBlocksAreServedAtTheirLengths() {
        connect(INFO);
        sent();
        theyHandshake();
        theyAsk(0);
        theyAsk(2);
        List<PeerMessage.Extended> out = sent();
        assertThat(out).hasSize(2).allMatch(e -> e.extId() == THEIR_ID);
        MetadataMessage first = MetadataMessage.parse(out.get(0).payload());
        MetadataMessage last = MetadataMessage.parse(out.get(1).payload());
        assertThat(first.type()).isEqualTo(MetadataMessage.DATA);
        assertThat(first.totalSize()).isEqualTo(INFO.length);
        assertThat(first.data()).isEqualTo(Arrays.copyOfRange(INFO, 0, MetadataMessage.BLOCK));
        assertThat(last.data()).isEqualTo(Arrays.copyOfRange(INFO, 2 * MetadataMessage.BLOCK, INFO.length));
    }

    @Test
    void outOfRangePieceIsRejected() {
        connect(INFO);
        sent();
        theyHandshake();
        theyAsk(3);
        MetadataMessage m = MetadataMessage.parse(sent().get(0).payload());
        assertThat(m.type()).isEqualTo(MetadataMessage.REJECT);
        assertThat(m.piece()).isEqualTo(3);
    }

    @Test
    void privateTorrentNeitherOffersNorServesItsMetadata() {
        connect(null); // what the session gives for a private torrent
        ExtensionHandshake h = ExtensionHandshake.parse(sent().get(0).payload());
        assertThat(h.extensions()).doesNotContainKey(MetadataMessage.NAME);
        assertThat(h.metadataSize()).isZero();
        theyHandshake();
        theyAsk(0);
        MetadataMessage m = MetadataMessage.parse(sent().get(0).payload());
        assertThat(m.type()).isEqualTo(MetadataMessage.REJECT);
    }

    @Test
    void peerAskingTenThousandTimesIsRejectedThenDropped() {
        connect(INFO);
        sent();
        theyHandshake();
        int data = 0;
        for (int i = 0; i < 10_000 && ch.isOpen(); i++) {
            theyAsk(i % 3);
            for (PeerMessage.Extended e : sent()) {
                data += MetadataMessage.parse(e.payload()).type() == MetadataMessage.DATA ? 1 : 0;
            }
        }
        assertThat(data).as("blocks served").isLessThanOrEqualTo(2 * 3 + 8);
        assertThat(ch.isOpen()).as("dropped long before 10,000").isFalse();
    }

    @Test
    void malformedUtMetadataMessageDropsThePeer() {
        connect(INFO);
        sent();
        theyHandshake();
        ch.writeInbound(new PeerMessage.Extended(MetadataMessage.LOCAL_ID, "d5:piecei0ee".getBytes()));
        assertThat(ch.isOpen()).isFalse();
    }
}
