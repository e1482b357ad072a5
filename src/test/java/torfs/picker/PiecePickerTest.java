package torfs.picker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static torfs.picker.Picture.bits;
import static torfs.picker.Picture.id;
import static torfs.picker.Picture.picture;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import torfs.geometry.Bitfield;
import torfs.geometry.BlockRef;
import torfs.geometry.PieceGeometry;
import torfs.geometry.PieceRange;

class PiecePickerTest {

    @Test
    void rarestFirst() {
        Picture t = picture("peerA:1111 peerB:0111 peerC:0011");
        List<Integer> order = t.pieces('A', 4);
        assertThat(order.subList(0, 2)).containsExactly(0, 1);
        assertThat(order.subList(2, 4)).containsExactlyInAnyOrder(2, 3);
    }

    @Test
    void onlyPiecesThePeerHasAndWeLack() {
        Picture t = picture("have:0100 peerA:1111 peerB:0110");
        assertThat(t.pieces('B', 10)).containsExactly(2);
        assertThat(t.pieces('A', 2)).containsExactlyInAnyOrder(0, 3);
        assertThat(t.pieces('A', 10)).as("end game: B's block too").containsExactly(2);
        assertThat(t.pieces('A', 10)).isEmpty();
    }

    @Test
    void higherPriorityBeatsRarityAndCriticalPiecesAreNotBackground() {
        Picture t = picture("peerA:11111 peerB:00111 peerC:00111 prio:NNNHR");
        // piece 3 HIGH, then NORMAL rarest (0 and 1 both rarer than 2); 4 (READAHEAD) is the scheduler's
        List<Integer> picked = t.pieces('A', 5);
        assertThat(picked).hasSize(4).doesNotContain(4);
        assertThat(picked.get(0)).isEqualTo(3);
        assertThat(picked.subList(1, 3)).containsExactlyInAnyOrder(0, 1);
        assertThat(picked.get(3)).isEqualTo(2);
    }

    @Test
    void aClosedStartGateHoldsNewPiecesBackButFinishesStartedOnes() {
        Picture t = picture("peerA:1111 blocks:2 prio:HNNN");
        boolean[] open = {true};
        t.picker.setStartGate(() -> open[0]);
        assertThat(t.pick('A', 1)).containsExactly("0.0");
        open[0] = false;
        assertThat(t.pick('A', 4)).as("piece 0's other block, nothing new").containsExactly("0.1");
        assertThat(t.picker.requestBlock(Picture.id('B'), t.block("1.0"))).isFalse();
        assertThat(t.picker.requestBlock(Picture.id('A'), t.block("2.0"))).as("a new piece asked for by block").isFalse();
        assertThat(t.picker.pickInOrder(Picture.id('A'), 4, 1)).isEmpty();
        assertThat(t.picker.downloadingCount()).isEqualTo(1);
        open[0] = true;
        assertThat(t.pick('A', 2)).hasSize(2);
        assertThat(t.picker.downloadingCount()).isEqualTo(2);
    }

    @Test
    void noneIsNeverRequested() {
        Picture t = picture("peerA:1111 prio:-N-N");
        assertThat(t.pieces('A', 10)).containsExactlyInAnyOrder(1, 3);
        assertThat(t.pieces('A', 10)).isEmpty();
        assertThat(t.picker.isEndGame()).isTrue();
        assertThat(t.pick('B', 10)).isEmpty(); // unknown peer
    }

    @Test
    void lazyMountRequestsOnlyWhatIsAskedFor() {
        Picture t = picture("peerA:111111");
        PiecePicker p = t.picker;
        p.setDefaultPriority(Priority.NONE);
        assertThat(p.isInteresting(id('A'))).isFalse();
        assertThat(t.pieces('A', 10)).isEmpty();
        p.setPriority(new PieceRange(2, 4), Priority.HIGH, 0);
        assertThat(p.isInteresting(id('A'))).isTrue();
        assertThat(p.wantedCount()).isEqualTo(2);
        assertThat(t.pieces('A', 10)).containsExactlyInAnyOrder(2, 3);
        p.clearPriority(new PieceRange(3, 4));
        assertThat(p.priority(3)).isEqualTo(Priority.NONE);
        assertThat(p.wantedCount()).isEqualTo(1);
        assertThat(t.pieces('A', 10)).as("3 is requested already, nothing else wanted").isEmpty();
    }

    @Test
    void aLostPieceIsWantedAgainOnlyWhenItsPriorityAsksForIt() {
        // a lazy mount with a capped cache: 1 and 2 were read and evicted; only 2 is read again
        Picture t = picture("have:0110 peerA:1111 prio:--H-");
        PiecePicker p = t.picker;
        assertThat(p.isInteresting(id('A'))).isFalse();
        p.pieceLost(1);
        assertThat(p.have()).isEqualTo(bits("0010"));
        assertThat(p.missingCount()).isEqualTo(3);
        assertThat(t.pieces('A', 10)).as("1 is NONE: nobody reads it").isEmpty();
        p.pieceLost(2);
        assertThat(p.isInteresting(id('A'))).isTrue();
        assertThat(p.wantedCount()).isEqualTo(1);
        assertThat(t.pieces('A', 10)).containsExactly(2);
        p.pieceLost(2); // twice is once
        assertThat(p.missingCount()).isEqualTo(4);
    }

    @Test
    void aLostPieceAReaderWaitsForBecomesCriticalWhenItsWishIsApplied() {
        Picture t = picture("have:1111 peerA:1111");
        PiecePicker p = t.picker;
        p.setPriority(new PieceRange(1, 3), Priority.NOW, 5);
        assertThat(p.hasCritical()).as("had pieces are not critical").isFalse();
        p.pieceLost(2);
        p.setPriority(new PieceRange(2, 3), Priority.NOW, 5); // the session re-applies the reader's wish
        assertThat(p.criticalCount()).isEqualTo(1);
        assertThat(p.isBlocked(2)).isTrue();
    }

    @Test
    void criticalPiecesBlockedReadsFirstThenByDeadline() {
        Picture t = picture("peerA:111111 prio:5N3cbH");
        List<Integer> order = new ArrayList<>();
        t.picker.critical().forEach(p -> order.add(p.piece()));
        assertThat(order).containsExactly(2, 0, 4, 3);
        assertThat(t.picker.hasBlocked()).isTrue();
        assertThat(t.picker.isCritical(3)).isTrue();
        assertThat(t.picker.isCritical(5)).isFalse();
        assertThat(t.pieces('A', 10)).as("the background: HIGH, then NORMAL").containsExactly(5, 1);
        // a blocked read's piece is urgent; a readahead piece only when needed within a second
        assertThat(t.picker.isUrgent(2, 1_000_000_000_000L)).isTrue();
        assertThat(t.picker.isUrgent(3, 0)).isTrue();
        assertThat(t.picker.isUrgent(3, -DeadlineScheduler.URGENT_NANOS)).isFalse();
        t.picker.pieceVerified(2);
        assertThat(t.picker.isCritical(2)).isFalse();
    }

    @Test
    void pickAmongAllowedFastPiecesOnly() {
        // the peer (choking us) allows 0, 2 and 4; we have 0, and 4 is HIGH
        Picture t = picture("have:10000 peerA:11111 prio:NNNNH");
        List<Integer> allowed = List.of(0, 2, 4);
        List<Integer> got = new ArrayList<>();
        for (BlockRef b : t.picker.pick(id('A'), 10, 0, allowed)) {
            got.add(b.piece());
        }
        assertThat(got).containsExactly(4, 2);
        assertThat(t.picker.pick(id('A'), 10, 0, allowed)).as("all requested already").isEmpty();
        // the other pieces are still fresh for a normal pick
        assertThat(t.pieces('A', 10)).containsExactlyInAnyOrder(1, 3);
    }

    @Test
    void startedPiecesFirst() {
        Picture t = picture("blocks:2 peerA:10 peerB:11 peerC:11");
        // piece 1 (avail 2) is rarer than piece 0 (avail 3)... but A can only take 0
        assertThat(t.pick('A', 1)).containsExactly("0.0");
        // B finishes the started piece 0 before starting the rarer piece 1
        assertThat(t.pick('B', 2)).containsExactly("0.1", "1.0");
    }

    @Test
    void aPeerContinuesItsOwnPieceBeforeOthers() {
        Picture t = picture("blocks:4 peerA:11 peerB:11");
        List<String> a = t.pick('A', 1);
        List<String> b = t.pick('B', 1);
        // B joins A's started piece (partial first), and A keeps to it
        assertThat(b.get(0)).startsWith(a.get(0).substring(0, 2));
        assertThat(t.pick('A', 2)).allMatch(s -> s.startsWith(a.get(0).substring(0, 2)));
    }

    @Test
    void endGameDuplicatesOutstandingBlocksAndNamesWhomToCancel() {
        Picture t = picture("peerA:11 peerB:11");
        assertThat(t.pieces('A', 10)).containsExactlyInAnyOrder(0, 1);
        assertThat(t.picker.isEndGame()).isTrue();
        assertThat(t.pick('B', 10)).containsExactlyInAnyOrder("0.0", "1.0");
        assertThat(t.pick('A', 10)).as("never the same peer twice for a block").isEmpty();
        assertThat(t.pick('B', 10)).isEmpty();

        assertThat(t.receive('B', "0.0")).isTrue();
        assertThat(t.picker.peersToCancel(t.block("0.0"))).containsExactly(id('A'));
        assertThat(t.picker.peersToCancel(t.block("0.0"))).isEmpty();
        assertThat(t.receive('A', "0.0")).as("second copy").isFalse();
        assertThat(t.picker.outstanding(id('A'))).isEqualTo(1);
        assertThat(t.picker.outstanding(id('B'))).isEqualTo(1);
        assertThat(t.picker.isPieceFullyReceived(0)).isTrue();
        assertThat(t.picker.contributors(0)).containsExactly(id('B'));
    }

    @Test
    void noEndGameWhileAWantedBlockIsUnrequested() {
        Picture t = picture("peerA:10 peerB:11");
        assertThat(t.pieces('A', 10)).containsExactly(0);
        assertThat(t.picker.isEndGame()).isFalse();
        assertThat(t.pieces('B', 1)).containsExactly(1); // not a duplicate of 0 before end game
        assertThat(t.picker.isEndGame()).isTrue();
        assertThat(t.pieces('B', 10)).containsExactly(0);
    }

    @Test
    void requestBlockRecordsCriticalRequestsAlsoFromASecondPeer() {
        Picture t = picture("blocks:2 peerA:1111 peerB:0111 prio:N95N");
        PiecePicker p = t.picker;
        assertThat(p.requestBlock(id('A'), t.block("2.0"))).isTrue();
        assertThat(p.requestBlock(id('A'), t.block("2.0"))).as("already outstanding there").isFalse();
        assertThat(p.requestBlock(id('B'), t.block("2.0"))).as("a second peer may race").isTrue();
        assertThat(p.requestBlock(id('B'), t.block("0.0"))).as("B lacks piece 0").isFalse();
        DeadlineScheduler.Piece first = p.critical().iterator().next();
        assertThat(first.piece()).isEqualTo(2);
        assertThat(first.isOpen(0)).isFalse();
        assertThat(first.holders(0)).containsExactlyInAnyOrder(id('A'), id('B'));
        assertThat(first.openCount()).isEqualTo(1);
        assertThat(p.outstanding(id('A'))).isEqualTo(1);

        assertThat(t.receive('B', "2.0")).isTrue();
        assertThat(p.peersToCancel(t.block("2.0"))).containsExactly(id('A'));
        assertThat(p.requestBlock(id('A'), t.block("2.0"))).as("received already").isFalse();
        // the background pick leaves the critical pieces alone
        assertThat(t.pick('A', 10)).containsExactlyInAnyOrder("0.0", "0.1", "3.0", "3.1");
    }

    @Test
    void failedPieceIsResetAndBlamesItsContributors() {
        Picture t = picture("blocks:2 peerA:1 peerB:1");
        assertThat(t.pick('A', 10)).containsExactly("0.0", "0.1");
        assertThat(t.receive('A', "0.0")).isTrue();
        assertThat(t.picker.isPieceFullyReceived(0)).isFalse();
        assertThat(t.receive('A', "0.1")).isTrue();
        assertThat(t.picker.isPieceFullyReceived(0)).isTrue();
        t.picker.pieceFailed(0);
        assertThat(t.picker.isPieceFullyReceived(0)).isFalse();
        assertThat(t.picker.contributors(0)).containsExactly(id('A'));
        assertThat(t.pick('B', 10)).containsExactly("0.0", "0.1");
        assertThat(t.receive('B', "0.1")).isTrue();
        assertThat(t.picker.contributors(0)).containsExactly(id('B'));
        assertThat(t.receive('B', "0.0")).isTrue();
        t.picker.pieceVerified(0);
        assertThat(t.picker.isComplete()).isTrue();
        assertThat(t.picker.contributors(0)).isEmpty();
        assertThat(t.picker.outstanding(id('B'))).isZero();
    }

    @Test
    void peerGoneReturnsItsBlocksAndAvailability() {
        Picture t = picture("blocks:2 peerA:11 peerB:01");
        assertThat(t.pick('A', 4)).containsExactly("0.0", "0.1", "1.0", "1.1");
        t.picker.peerGone(id('A'));
        assertThat(t.picker.availability(0)).isZero();
        assertThat(t.picker.availability(1)).isEqualTo(1);
        assertThat(t.pick('B', 4)).containsExactly("1.0", "1.1");
        assertThat(t.picker.isInteresting(id('B'))).isTrue();
        assertThat(t.receive('B', "1.0")).isTrue();
        assertThat(t.receive('B', "1.1")).isTrue();
        t.picker.pieceVerified(1);
        assertThat(t.picker.isInteresting(id('B'))).isFalse();
        assertThat(t.picker.missingCount()).isEqualTo(1);
    }

    @Test
    void droppedRequestBecomesPickableAgainAndFreshWhenUntouched() {
        Picture t = picture("blocks:2 peerA:11 peerB:11 peerC:10");
        assertThat(t.pick('C', 1)).containsExactly("0.0");
        t.picker.requestDropped(id('C'), t.block("0.0"));
        assertThat(t.picker.outstanding(id('C'))).isZero();
        // piece 0 is fresh again: C may take it again
        assertThat(t.pick('C', 2)).containsExactly("0.0", "0.1");
        t.picker.requestDropped(id('C'), t.block("0.1"));
        assertThat(t.pick('A', 1)).containsExactly("0.1");
    }

    @Test
    void lateBitfieldReplacesHaveSet() {
        Picture t = picture("peerA:0000");
        t.picker.peerHave(id('A'), 0);
        assertThat(t.picker.availability(0)).isEqualTo(1);
        t.picker.peerBitfield(id('A'), bits("0011"));
        assertThat(t.picker.availability(0)).isZero();
        assertThat(t.picker.availability(3)).isEqualTo(1);
        assertThat(t.pieces('A', 10)).containsExactlyInAnyOrder(2, 3);
    }

    @Test
    void seedsAreCountedOnceAndHaveNoneForgets() {
        Picture t = picture("peerA:* peerB:0101");
        assertThat(t.picker.availability(1)).isEqualTo(2);
        assertThat(t.picker.availability(0)).isEqualTo(1);
        t.picker.peerHave(id('B'), 0);
        t.picker.peerHave(id('B'), 2); // B becomes a seed
        assertThat(t.picker.availability(0)).isEqualTo(2);
        t.picker.peerHaveNone(id('A'));
        assertThat(t.picker.availability(0)).isEqualTo(1);
        assertThat(t.picker.isInteresting(id('A'))).isFalse();
        t.picker.peerHave(id('A'), 3);
        assertThat(t.picker.isInteresting(id('A'))).isTrue();
        assertThat(t.pieces('A', 10)).containsExactly(3);
        t.picker.peerBitfield(id('A'), bits("1111"));
        assertThat(t.picker.availability(3)).isEqualTo(2);
    }

    @Test
    void dontHaveLowersAvailabilityAndEndsInterestWhenNothingWantedIsLeft() {
        Picture t = picture("peerA:0110 peerB:0100");
        assertThat(t.picker.availability(1)).isEqualTo(2);
        t.picker.peerDontHave(id('A'), 1);
        assertThat(t.picker.availability(1)).isEqualTo(1);
        assertThat(t.pieces('A', 10)).containsExactly(2);
        t.picker.peerDontHave(id('A'), 1); // again: no change
        assertThat(t.picker.availability(1)).isEqualTo(1);
        t.picker.peerDontHave(id('A'), 2);
        assertThat(t.picker.availability(2)).isZero();
        assertThat(t.picker.isInteresting(id('A'))).isFalse();
        assertThat(t.pieces('B', 10)).as("rarest first sees the new counts").containsExactly(1);
    }

    @Test
    void aSeedThatDropsAPieceIsASeedNoLonger() {
        Picture t = picture("peerA:* peerB:0001");
        t.picker.peerDontHave(id('A'), 0);
        assertThat(t.picker.availability(0)).isZero();
        assertThat(t.picker.availability(1)).isEqualTo(1);
        assertThat(t.picker.availability(3)).isEqualTo(2);
        assertThat(t.pieces('A', 10)).containsExactlyInAnyOrder(1, 2, 3);
        t.picker.peerHave(id('A'), 0); // back: a seed again
        assertThat(t.picker.availability(0)).isEqualTo(1);
        assertThat(t.picker.availability(3)).isEqualTo(2);
    }

    @Test
    void interestFollowsPriorityChanges() {
        Picture t = picture("peerA:0011 prio:NN--");
        assertThat(t.picker.isInteresting(id('A'))).isFalse();
        t.picker.setPriority(new PieceRange(3, 4), Priority.HIGH, 0);
        assertThat(t.picker.isInteresting(id('A'))).isTrue();
        t.picker.setPriority(new PieceRange(3, 4), Priority.NONE, 0);
        assertThat(t.picker.isInteresting(id('A'))).isFalse();
    }

    @Test
    void randomTieBreakIsDeterministicPerSeed() {
        String peers = " peerA:" + "1".repeat(64);
        List<Integer> first = picture("seed:7" + peers).pieces('A', 64);
        List<Integer> again = picture("seed:7" + peers).pieces('A', 64);
        List<Integer> other = picture("seed:8" + peers).pieces('A', 64);
        assertThat(first).isEqualTo(again).doesNotHaveDuplicates().hasSize(64);
        assertThat(other).isNotEqualTo(first);
        assertThat(first).isNotEqualTo(first.stream().sorted().toList());
    }

    @Test
    void priorityChangesApplyAtNextPick() {
        Picture t = picture("peerA:11111111");
        t.picker.setPriority(new PieceRange(5, 7), Priority.HIGH, 0);
        assertThat(t.pieces('A', 2)).containsExactly(5, 6);
        t.picker.setPriority(new PieceRange(0, 8), Priority.NORMAL, 0); // large: rebuild path
        t.picker.setPriority(new PieceRange(7, 8), Priority.HIGH, 0);
        assertThat(t.pieces('A', 1)).containsExactly(7);
    }

    @Test
    void verifiedFromDiskAndCompletion() {
        Picture t = picture("have:1100 peerA:1111");
        assertThat(t.picker.missingCount()).isEqualTo(2);
        t.picker.pieceVerified(2);
        t.picker.pieceVerified(2);
        assertThat(t.picker.have()).isEqualTo(bits("1110"));
        assertThat(t.pieces('A', 10)).containsExactly(3);
        assertThat(t.receive('A', "3.0")).isTrue();
        t.picker.pieceVerified(3);
        assertThat(t.picker.isComplete()).isTrue();
        assertThat(t.picker.isInteresting(id('A'))).isFalse();
        assertThat(t.receive('A', "3.0")).isFalse();
    }

    @Test
    void unsolicitedBlockIsRecorded() {
        Picture t = picture("blocks:2 peerA:1");
        assertThat(t.receive('A', "0.1")).isTrue();
        assertThat(t.pick('A', 5)).containsExactly("0.0");
    }

    @Test
    void rejectsForeignBlocksAndBadInput() {
        Picture t = picture("blocks:2 peerA:1");
        assertThatThrownBy(() -> t.picker.blockReceived(0, new torfs.geometry.BlockRef(0, 100, 16384)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.picker.blockReceived(0, new torfs.geometry.BlockRef(1, 0, 16384)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.picker.setDefaultPriority(Priority.NOW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.picker.peerBitfield(0, new Bitfield(3)))
                .isInstanceOf(IllegalArgumentException.class);
        PieceGeometry g = new PieceGeometry(16384, new long[] {16384 * 3});
        assertThatThrownBy(() -> new PiecePicker(g, new Bitfield(2), new Random(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lastPieceShortBlock() {
        PieceGeometry g = new PieceGeometry(32768, new long[] {32768 + 100});
        PiecePicker p = new PiecePicker(g, new Bitfield(2), new Random(1));
        p.peerHaveAll(1);
        p.setPriority(new PieceRange(1, 2), Priority.HIGH, 0);
        assertThat(p.pick(1, 1, 0)).containsExactly(new torfs.geometry.BlockRef(1, 0, 100));
    }

    @Test
    void peerWithFewCommonPiecesFindsThemThroughItsBitfield() {
        int n = 10_000;
        PieceGeometry g = new PieceGeometry(16384, new long[] {16384L * n});
        PiecePicker p = new PiecePicker(g, new Bitfield(n), new Random(1));
        p.peerHaveAll(0);
        p.peerBitfield(1, Bitfield.full(n)); // converted to a seed
        Bitfield few = new Bitfield(n);
        few.set(10);
        few.set(9000);
        p.peerBitfield(2, few);
        Bitfield one = new Bitfield(n);
        one.set(9000);
        p.peerBitfield(3, one);
        p.peerBitfield(4, Bitfield.full(n).copy());
        Bitfield most = Bitfield.full(n);
        most.clear(0);
        p.peerBitfield(5, most); // availability 1 beyond the seeds for all but piece 0
        assertThat(p.pick(2, 5, 0)).extracting(torfs.geometry.BlockRef::piece).containsExactly(10, 9000);
        assertThat(p.availability(9000)).isEqualTo(6); // three seeds + peers 2, 3, 5
    }
}
