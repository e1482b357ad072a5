package torfs.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import torfs.geometry.Bitfield;
import torfs.geometry.BlockRef;
import torfs.geometry.PieceGeometry;
import torfs.metainfo.InfoHash;
import torfs.wire.DontHaveMessage;
import torfs.wire.ExtensionHandshake;
import torfs.wire.Handshake;
import torfs.wire.PeerMessage;

class PeerConnectionTest {
    private static final long S = 1_000_000_000L;
    /** 10 pieces of 32 KiB: two blocks each. */
    private static final PieceGeometry GEO = new PieceGeometry(32768, new long[] {10 * 32768});

    private long now = 1_000 * S;
    private final Recorder rec = new Recorder();
    private EmbeddedChannel ch;
    private PeerConnection peer;

    static final class Recorder implements PeerListener {
        Bitfield ours = new Bitfield(10);
        Bitfield haveSet;
        List<Integer> haves = new ArrayList<>();
        List<BlockRef> dropped = new ArrayList<>();
        List<BlockRef> received = new ArrayList<>();
        int uploadRequests;
        int chokes;
        boolean closed;

        @Override
        public Bitfield ourPieces() {
            return ours;
        }

        @Override
        public boolean hasPiece(int piece) {
            return ours.get(piece);
        }

        @Override
        public void peerHaveSet(PeerConnection p, Bitfield have) {
            haveSet = have;
        }

        @Override
        public void peerHave(PeerConnection p, int piece) {
            haves.add(piece);
        }

        @Override
        public void canRequest(PeerConnection p) {
        }

        @Override
        public void peerChoked(PeerConnection p) {
            chokes++;
        }

        @Override
        public void requestsDropped(PeerConnection p, List<BlockRef> blocks) {
            dropped.addAll(blocks);
        }

        @Override
        public void blockReceived(PeerConnection p, BlockRef block, ByteBuf data) {
            received.add(block);
            data.release();
        }

        @Override
        public void uploadRequested(PeerConnection p) {
            uploadRequests++;
        }

        @Override
        public void peerInterestChanged(PeerConnection p) {
        }

        @Override
        public void peerClosed(PeerConnection p, List<BlockRef> outstanding) {
            closed = true;
        }
    }

    private void connect(boolean fast, boolean extensions) {
        connect(fast, extensions, GEO);
    }

    private void connect(boolean fast, boolean extensions, PieceGeometry geometry) {
        byte[] reserved = new byte[8];
        if (fast) {
            reserved[7] |= 0x04;
        }
        if (extensions) {
            reserved[5] |= 0x10;
        }
        Handshake hs = new Handshake(reserved, InfoHash.sha1Of(new byte[1], 0, 1), PeerId.generate());
        ch = new EmbeddedChannel();
        peer = new PeerConnection(1, ch, hs, geometry, rec, PeerSettings.defaults(), () -> now);
        ch.pipeline().addLast(peer);
    }

    private List<PeerMessage> sent() {
        List<PeerMessage> out = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            out.add((PeerMessage) o);
        }
        return out;
    }

    private static ByteBuf block(int length) {
        return Unpooled.buffer(length).writeZero(length);
    }

    @Test
    void emptyHaveSetSendsNothingToAPeerWithoutTheFastBit() {
        connect(false, false);
        peer.start();
        assertThat(sent()).isEmpty();
    }

    @Test
    void fastPeerGetsHaveNoneOrHaveAllInsteadOfABitfield() {
        connect(true, false);
        peer.start();
        assertThat(sent()).containsExactly(PeerMessage.HaveNone.INSTANCE);
        rec.ours = Bitfield.full(10);
        connect(true, false);
        peer.start();
        assertThat(sent()).containsExactly(PeerMessage.HaveAll.INSTANCE);
    }

    @Test
    void completeHaveSetGoesAsBitfieldToAPeerWithoutTheFastBit() {
        rec.ours = Bitfield.full(10);
        connect(false, false);
        peer.start();
        List<PeerMessage> out = sent();
        assertThat(out).hasSize(1);
        assertThat(((PeerMessage.BitfieldMsg) out.get(0)).bits()).containsExactly((byte) 0xFF, (byte) 0xC0);
    }

    @Test
    void extensionHandshakeOnlyToAPeerWithTheExtensionBit() {
        connect(false, true);
        peer.start();
        List<PeerMessage> out = sent();
        assertThat(out).hasSize(1);
        ExtensionHandshake h = ExtensionHandshake.parse(((PeerMessage.Extended) out.get(0)).payload());
        assertThat(h.requestQueue()).isEqualTo(500);
    }

    @Test
    void bitfieldOfWrongLengthDisconnects() {
        connect(false, false);
        ch.writeInbound(new PeerMessage.BitfieldMsg(new byte[3]));
        assertThat(ch.isOpen()).isFalse();
        assertThat(rec.closed).isTrue();
    }

    @Test
    void bitfieldWithSpareBitsSetDisconnects() {
        connect(false, false);
        ch.writeInbound(new PeerMessage.BitfieldMsg(new byte[] {0, 0x01}));
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void haveOutOfRangeDisconnects() {
        connect(false, false);
        ch.writeInbound(new PeerMessage.Have(10));
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void lateBitfieldReplacesTheHaveSet() {
        connect(false, false);
        ch.writeInbound(new PeerMessage.Have(3));
        ch.writeInbound(new PeerMessage.BitfieldMsg(new byte[] {(byte) 0x80, 0}));
        assertThat(ch.isOpen()).isTrue();
        assertThat(rec.haveSet.toString()).isEqualTo("1000000000");
        assertThat(peer.have().get(3)).isFalse();
    }

    @Test
    void fastMessageFromAPeerWithoutTheFastBitDisconnects() {
        connect(false, false);
        ch.writeInbound(PeerMessage.HaveAll.INSTANCE);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void extendedMessageFromAPeerWithoutTheExtensionBitDisconnects() {
        connect(true, false);
        ch.writeInbound(new ExtensionHandshake(Map.of(), "x", 5).toMessage());
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void blockWeDidNotRequestIsIgnoredAndCountedAsWaste() {
        connect(false, false);
        ch.writeInbound(new PeerMessage.Piece(0, 0, block(16384)));
        assertThat(rec.received).isEmpty();
        assertThat(peer.wasted()).isEqualTo(16384);
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void requestedBlockIsDelivered() {
        connect(false, false);
        ch.writeInbound(PeerMessage.Unchoke.INSTANCE);
        peer.setInterested(true);
        BlockRef b = GEO.block(2, 1);
        peer.request(List.of(b));
        assertThat(sent()).containsExactly(PeerMessage.Interested.INSTANCE, new PeerMessage.Request(2, 16384, 16384));
        ch.writeInbound(new PeerMessage.Piece(2, 16384, block(16384)));
        assertThat(rec.received).containsExactly(b);
        assertThat(peer.outstandingCount()).isZero();
    }

    @Test
    void blockArrivingAfterOurCancelIsStillTakenNotCountedAsWaste() {
        connect(false, false);
        ch.writeInbound(PeerMessage.Unchoke.INSTANCE);
        peer.setInterested(true);
        BlockRef b = GEO.block(3, 0);
        peer.request(List.of(b));
        sent();
        peer.cancel(List.of(b));
        assertThat(sent()).containsExactly(new PeerMessage.Cancel(3, 0, 16384));
        assertThat(peer.outstandingCount()).isZero();
        // the peer had sent it before it read the cancel (or ignores cancels)
        ch.writeInbound(new PeerMessage.Piece(3, 0, block(16384)));
        assertThat(rec.received).containsExactly(b);
        assertThat(peer.wasted()).isZero();
        assertThat(ch.isOpen()).isTrue();
    }

    /** Connected, unchoked and interested, with piece 3's first block requested. */
    private BlockRef requestedBlock(boolean fast) {
        connect(fast, false);
        ch.writeInbound(PeerMessage.Unchoke.INSTANCE);
        peer.setInterested(true);
        BlockRef b = GEO.block(3, 0);
        peer.request(List.of(b));
        return b;
    }

    @Test
    void aCancelAFastPeerOwesAnAnswerForKeepsTheBlockUntilItRejectsIt() {
        BlockRef b = requestedBlock(true);
        assertThat(peer.cancel(List.of(b))).as("on its way or about to be rejected").isEmpty();
        assertThat(rec.dropped).isEmpty();
        ch.writeInbound(new PeerMessage.Reject(3, 0, 16384));
        assertThat(rec.dropped).as("given back once rejected").containsExactly(b);
    }

    @Test
    void aCancelledBlockAFastPeerSendsIsTakenAndNeverGivenBack() {
        BlockRef b = requestedBlock(true);
        assertThat(peer.cancel(List.of(b))).isEmpty();
        ch.writeInbound(new PeerMessage.Piece(3, 0, block(16384)));
        assertThat(rec.received).containsExactly(b);
        assertThat(rec.dropped).isEmpty();
        assertThat(peer.wasted()).isZero();
    }

    @Test
    void aCancelAFastPeerNeverAnswersIsGivenBackAfterTwoSeconds() {
        BlockRef b = requestedBlock(true);
        peer.cancel(List.of(b));
        now += S;
        ch.writeInbound(PeerMessage.KeepAlive.INSTANCE);
        peer.tick();
        assertThat(rec.dropped).isEmpty();
        now += 2 * S;
        peer.tick();
        assertThat(rec.dropped).containsExactly(b);
        ch.writeInbound(new PeerMessage.Piece(3, 0, block(16384))); // it came after all: still taken
        assertThat(rec.received).containsExactly(b);
        assertThat(peer.wasted()).isZero();
    }

    @Test
    void aCancelAtAPeerWithoutTheFastExtensionGivesTheBlockBackAtOnce() {
        BlockRef b = requestedBlock(false);
        assertThat(peer.cancel(List.of(b))).containsExactly(b); // nothing will confirm it
    }

    @Test
    void fastPeersRejectOfACancelledRequestDoesNotDropTheNewerRequestForTheSameBlock() {
        connect(true, false);
        ch.writeInbound(PeerMessage.Unchoke.INSTANCE);
        peer.setInterested(true);
        BlockRef b = GEO.block(3, 1);
        peer.request(List.of(b));
        peer.cancel(List.of(b));
        peer.request(List.of(b)); // asked again, behind more urgent requests
        sent();
        ch.writeInbound(new PeerMessage.Reject(3, 16384, 16384)); // confirms the cancel
        assertThat(rec.dropped).isEmpty();
        assertThat(peer.outstandingCount()).isEqualTo(1);
        ch.writeInbound(new PeerMessage.Piece(3, 16384, block(16384)));
        assertThat(rec.received).containsExactly(b);
        assertThat(peer.outstandingCount()).isZero();
    }

    @Test
    void rejectOfAnOldCancelStillDoesNotDropTheNewerRequestAfterManyCancels() {
        // one block per piece, more blocks than the connection remembers cancels for
        PieceGeometry many = new PieceGeometry(16384, new long[] {1100L * 16384});
        connect(true, false, many);
        ch.writeInbound(PeerMessage.Unchoke.INSTANCE);
        peer.setInterested(true);
        List<BlockRef> blocks = new ArrayList<>();
        for (int p = 0; p < 1100; p++) {
            blocks.add(many.block(p, 0));
        }
        peer.request(blocks);
        peer.cancel(blocks); // the peer has not answered any of them yet
        BlockRef first = blocks.get(0);
        peer.request(List.of(first));
        sent();
        ch.writeInbound(new PeerMessage.Reject(0, 0, 16384)); // answers the first cancel
        assertThat(rec.dropped).isEmpty();
        assertThat(peer.outstandingCount()).isEqualTo(1);
        ch.writeInbound(new PeerMessage.Piece(0, 0, block(16384)));
        assertThat(rec.received).containsExactly(first);
    }

    @Test
    void fastPeerThatSendsACancelledBlockAnswersTheCancelledRequestFirst() {
        connect(true, false);
        ch.writeInbound(PeerMessage.Unchoke.INSTANCE);
        peer.setInterested(true);
        BlockRef b = GEO.block(4, 0);
        peer.request(List.of(b));
        peer.cancel(List.of(b));
        peer.request(List.of(b));
        ch.writeInbound(new PeerMessage.Piece(4, 0, block(16384))); // too late to cancel
        assertThat(rec.received).containsExactly(b);
        assertThat(peer.outstandingCount()).as("the newer request is still owed").isEqualTo(1);
        ch.writeInbound(new PeerMessage.Piece(4, 0, block(16384)));
        assertThat(rec.received).containsExactly(b, b);
        assertThat(peer.outstandingCount()).isZero();
        assertThat(peer.wasted()).isZero();
    }

    @Test
    void urgentCapacityExceedsTheDepthCapButNotThePeersReqq() {
        connect(false, true);
        ch.writeInbound(new ExtensionHandshake(Map.of(), "x", 500).toMessage());
        assertThat(peer.urgentCapacity(64)).as("not interested yet").isZero();
        ch.writeInbound(PeerMessage.Unchoke.INSTANCE);
        peer.setInterested(true);
        assertThat(peer.urgentCapacity(64)).isEqualTo(peer.targetDepth() + 64);
        assertThat(peer.urgentCapacity(1000)).as("the peer's reqq").isEqualTo(500);
        assertThat(peer.urgentCapacity(PeerSettings.defaults().maxDepth() + 1))
                .isGreaterThan(peer.maxDepth());
        ch.writeInbound(PeerMessage.Choke.INSTANCE);
        assertThat(peer.urgentCapacity(64)).isZero();
    }

    @Test
    void requestForAPieceWeLackIsRejectedUnderFastExtension() {
        connect(true, false);
        peer.unchoke();
        sent();
        ch.writeInbound(new PeerMessage.Request(1, 0, 16384));
        assertThat(sent()).containsExactly(new PeerMessage.Reject(1, 0, 16384));
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void requestForAPieceWeLackChokesAPeerWithoutFastExtensionButKeepsIt() {
        // we may have announced it before a capped cache evicted it: not the peer's fault
        connect(false, false);
        peer.unchoke();
        sent();
        ch.writeInbound(new PeerMessage.Request(1, 0, 16384));
        assertThat(sent()).containsExactly(PeerMessage.Choke.INSTANCE);
        assertThat(ch.isOpen()).isTrue();
        assertThat(rec.uploadRequests).isZero();
    }

    @Test
    void anEvictedPieceIsAnnouncedWithDontHaveToPeersThatSpeakBep54() {
        rec.ours = Bitfield.full(10);
        connect(true, true);
        ch.writeInbound(new ExtensionHandshake(Map.of(DontHaveMessage.NAME, 7), "lt", 500).toMessage());
        peer.unchoke();
        ch.writeInbound(new PeerMessage.Request(2, 0, 16384));
        ch.writeInbound(new PeerMessage.Request(3, 0, 16384));
        sent();
        peer.sendDontHave(2);
        ch.flush(); // the session flushes once for all its peers
        List<PeerMessage> out = sent();
        assertThat(out).hasSize(2);
        PeerMessage.Extended dontHave = (PeerMessage.Extended) out.get(0);
        assertThat(dontHave.extId()).as("the id the peer asked for").isEqualTo(7);
        assertThat(DontHaveMessage.decode(dontHave.payload(), 10)).isEqualTo(2);
        assertThat(out.get(1)).isEqualTo(new PeerMessage.Reject(2, 0, 16384));
        assertThat(peer.incomingCount()).as("the request for piece 3 stays").isEqualTo(1);
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void dontHaveIsNotSentToPeersWithoutBep54() {
        rec.ours = Bitfield.full(10);
        connect(false, true);
        ch.writeInbound(new ExtensionHandshake(Map.of(), "old", 500).toMessage());
        sent();
        peer.sendDontHave(2);
        ch.flush();
        assertThat(sent()).isEmpty();
    }

    @Test
    void anUploadRefusedAfterEvictionIsARejectForFastPeersAndAChokeForOthers() {
        rec.ours = Bitfield.full(10);
        connect(true, false);
        peer.unchoke();
        sent();
        peer.refuseUpload(new BlockRef(2, 0, 16384));
        assertThat(sent()).containsExactly(new PeerMessage.Reject(2, 0, 16384));
        connect(false, false);
        peer.unchoke();
        sent();
        peer.refuseUpload(new BlockRef(2, 0, 16384));
        assertThat(sent()).containsExactly(PeerMessage.Choke.INSTANCE);
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void ourExtensionHandshakeOffersLtDonthave() {
        connect(false, true);
        peer.start();
        PeerMessage.Extended hs = (PeerMessage.Extended) sent().stream()
                .filter(m -> m instanceof PeerMessage.Extended).findFirst().orElseThrow();
        assertThat(ExtensionHandshake.parse(hs.payload()).extensions())
                .containsEntry(DontHaveMessage.NAME, DontHaveMessage.LOCAL_ID);
    }

    @Test
    void aMalformedDontHaveFromAPeerDisconnectsAndAGoodOneIsHarmless() {
        connect(false, true);
        ch.writeInbound(new PeerMessage.Extended(DontHaveMessage.LOCAL_ID, DontHaveMessage.encode(4)));
        assertThat(ch.isOpen()).isTrue();
        ch.writeInbound(new PeerMessage.Extended(DontHaveMessage.LOCAL_ID, DontHaveMessage.encode(10)));
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void requestOver16KiBIsRejected() {
        rec.ours = Bitfield.full(10);
        connect(true, false);
        peer.unchoke();
        sent();
        ch.writeInbound(new PeerMessage.Request(1, 0, 32768));
        assertThat(sent()).containsExactly(new PeerMessage.Reject(1, 0, 32768));
        assertThat(rec.uploadRequests).isZero();
    }

    @Test
    void requestWhileChokedIsRejectedForFastPeersAndIgnoredForOthers() {
        rec.ours = Bitfield.full(10);
        connect(true, false);
        ch.writeInbound(new PeerMessage.Request(1, 0, 16384));
        assertThat(sent()).containsExactly(new PeerMessage.Reject(1, 0, 16384));
        connect(false, false);
        ch.writeInbound(new PeerMessage.Request(1, 0, 16384));
        assertThat(sent()).isEmpty();
        assertThat(ch.isOpen()).isTrue();
        assertThat(rec.uploadRequests).isZero();
    }

    @Test
    void requestQueueOverTheCapIsRejected() {
        rec.ours = Bitfield.full(10);
        connect(true, false);
        peer.unchoke();
        sent();
        int n = 0;
        outer:
        for (int round = 0; ; round++) {
            for (int p = 0; p < 10; p++) {
                for (int b = 0; b < 2; b++) {
                    // the same block twice is one entry: vary the length to make 500 distinct ones
                    ch.writeInbound(new PeerMessage.Request(p, b * 16384, 16384 - round));
                    if (++n == 501) {
                        break outer;
                    }
                }
            }
        }
        assertThat(peer.incomingCount()).isEqualTo(500);
        List<PeerMessage> out = sent();
        assertThat(out).hasSize(1);
        assertThat(out.get(0)).isInstanceOf(PeerMessage.Reject.class);
    }

    @Test
    void cancelRemovesAQueuedRequest() {
        rec.ours = Bitfield.full(10);
        connect(false, false);
        peer.unchoke();
        ch.writeInbound(new PeerMessage.Request(1, 0, 16384));
        ch.writeInbound(new PeerMessage.Cancel(1, 0, 16384));
        assertThat(peer.pollUpload()).isNull();
    }

    @Test
    void chokeFromAPeerWithoutFastExtensionDropsOutstandingRequests() {
        connect(false, false);
        ch.writeInbound(PeerMessage.Unchoke.INSTANCE);
        peer.setInterested(true);
        peer.request(List.of(GEO.block(0, 0), GEO.block(0, 1)));
        ch.writeInbound(PeerMessage.Choke.INSTANCE);
        assertThat(rec.dropped).containsExactly(GEO.block(0, 0), GEO.block(0, 1));
        assertThat(peer.outstandingCount()).isZero();
        // a late answer is still taken: the data may be useful
        ch.writeInbound(new PeerMessage.Piece(0, 0, block(16384)));
        assertThat(rec.received).containsExactly(GEO.block(0, 0));
    }

    @Test
    void chokeFromAFastPeerWaitsForRejects() {
        connect(true, false);
        ch.writeInbound(PeerMessage.Unchoke.INSTANCE);
        peer.setInterested(true);
        peer.request(List.of(GEO.block(0, 0), GEO.block(0, 1)));
        ch.writeInbound(PeerMessage.Choke.INSTANCE);
        assertThat(rec.dropped).isEmpty();
        ch.writeInbound(new PeerMessage.Reject(0, 16384, 16384));
        assertThat(rec.dropped).containsExactly(GEO.block(0, 1));
        assertThat(peer.outstandingCount()).isEqualTo(1);
    }

    @Test
    void unansweredRequestTimesOutAndIsGivenBack() {
        connect(false, false);
        ch.writeInbound(PeerMessage.Unchoke.INSTANCE);
        peer.setInterested(true);
        peer.request(List.of(GEO.block(0, 0)));
        now += 10 * S;
        ch.writeInbound(PeerMessage.KeepAlive.INSTANCE);
        peer.request(List.of(GEO.block(1, 0)));
        now += 11 * S;
        peer.tick();
        assertThat(rec.dropped).containsExactly(GEO.block(0, 0));
        assertThat(peer.outstanding()).containsExactly(GEO.block(1, 0));
    }

    @Test
    void peerThatAnswersNothingFor60SecondsIsSnubbed() {
        connect(false, false);
        ch.writeInbound(PeerMessage.Unchoke.INSTANCE);
        peer.setInterested(true);
        for (int i = 0; i < 8; i++) {
            now += 10 * S;
            ch.writeInbound(PeerMessage.KeepAlive.INSTANCE); // alive, but no data
            peer.request(List.of(GEO.block(i, 0)));
            peer.tick();
        }
        assertThat(peer.snubbed()).isTrue();
        assertThat(peer.targetDepth()).isEqualTo(1);
        assertThat(peer.outstandingCount()).isZero();
    }

    @Test
    void pipelineDepthIsCappedByThePeersReqq() {
        connect(false, true);
        int cap = PeerSettings.defaults().maxDepth();
        assertThat(peer.maxDepth()).isEqualTo(cap);
        ch.writeInbound(new ExtensionHandshake(Map.of(), "other", 8).toMessage());
        assertThat(peer.maxDepth()).isEqualTo(8);
        ch.writeInbound(new ExtensionHandshake(Map.of(), "libtorrent", 2000).toMessage());
        assertThat(peer.maxDepth()).as("our own cap").isEqualTo(cap);
        ch.writeInbound(new ExtensionHandshake(Map.of(), "other", 8).toMessage());
        ch.writeInbound(PeerMessage.Unchoke.INSTANCE);
        peer.setInterested(true);
        assertThat(peer.requestSlots()).isEqualTo(4);
        for (int i = 0; i < 10; i++) {
            peer.request(List.of(GEO.block(i, 0)));
            ch.writeInbound(new PeerMessage.Piece(i, 0, block(16384)));
        }
        assertThat(peer.targetDepth()).isEqualTo(8);
    }

    @Test
    void unknownMessageIdDisconnectsAsLibtorrentDoes() {
        connect(true, true);
        ch.writeInbound(new PeerMessage.Unknown(42, 3));
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void bep52HashMessagesAreIgnored() {
        connect(true, true);
        ch.writeInbound(new PeerMessage.Unknown(21, 48));
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void peerIdHasOurPrefix() {
        assertThat(new String(PeerId.generate(), 0, 8, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("-TF0001-");
    }
}
