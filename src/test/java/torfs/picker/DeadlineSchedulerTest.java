package torfs.picker;

import static org.assertj.core.api.Assertions.assertThat;
import static torfs.picker.TimedPeer.MS;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Scheduling decisions from pictures of peers with given rates and queues, on a fake clock.
 * Rates are bytes/s; every peer answers an idle request 20 ms late; blocks are 16 KiB.
 */
class DeadlineSchedulerTest {
    private final DeadlineScheduler scheduler = new DeadlineScheduler();

    private static Map<Integer, Long> blocksPerPeer(List<DeadlineScheduler.Request> plan) {
        return plan.stream().collect(Collectors.groupingBy(DeadlineScheduler.Request::peer, Collectors.counting()));
    }

    @Test
    void aBlockedReadsPieceIsSplitBetweenTheTwoFastestOfFivePeers() {
        TimedPeer a = TimedPeer.measured(0, 3_000_000, 20);
        TimedPeer b = TimedPeer.measured(1, 3_000_000, 20);
        TimedPeer c = TimedPeer.measured(2, 300_000, 20);
        TimedPeer d = TimedPeer.measured(3, 60_000, 20);
        TimedPeer e = TimedPeer.measured(4, 60_000, 20);
        List<DeadlineScheduler.Request> plan = scheduler.plan(0, List.of(c, d, a, e, b),
                List.of(TestPiece.blocked(7, 16, 0)), false, null);
        assertThat(plan).hasSize(16).allMatch(DeadlineScheduler.Request::urgent).allMatch(r -> r.from() < 0);
        // both fast ones take part, each about half (a tie goes to the faster, then the other
        // is the sooner by more than the tolerance)
        assertThat(blocksPerPeer(plan)).containsOnlyKeys(0, 1);
        assertThat(blocksPerPeer(plan).values()).allMatch(n -> n >= 5 && n <= 11);
    }

    @Test
    void aLongerPieceSpreadsInProportionToSpeedAndStillSkipsTheSlowest() {
        TimedPeer a = TimedPeer.measured(0, 3_000_000, 20);
        TimedPeer b = TimedPeer.measured(1, 1_000_000, 20);
        TimedPeer c = TimedPeer.measured(2, 60_000, 20);
        List<DeadlineScheduler.Request> plan = scheduler.plan(0, List.of(a, b, c),
                List.of(TestPiece.blocked(0, 64, 0)), false, null);
        Map<Integer, Long> n = blocksPerPeer(plan);
        assertThat(plan).hasSize(64);
        // three quarters of the rate, at least three quarters of the blocks: the faster peer
        // takes a block whenever it is nearly as soon as the other
        assertThat(n.get(0)).isBetween(46L, 56L);
        assertThat(n.get(1)).isBetween(8L, 18L);
        assertThat(n).doesNotContainKey(2); // one block there takes longer than the whole piece elsewhere
    }

    @Test
    void aSlowPeerAskingForWorkGetsNoUrgentBlockAFasterPeerReachesSooner() {
        TimedPeer fast = TimedPeer.measured(0, 3_000_000, 20);
        for (int i = 0; i < 16; i++) {
            fast.hold(new torfs.geometry.BlockRef(99, i * TimedPeer.BLOCK, TimedPeer.BLOCK), 0);
        }
        TimedPeer slow = TimedPeer.measured(1, 60_000, 20);
        List<TestPiece> pieces = List.of(TestPiece.blocked(0, 4, 0));
        assertThat(scheduler.plan(0, List.of(fast, slow), pieces, false, slow)).isEmpty();
        assertThat(scheduler.plan(0, List.of(fast, slow), pieces, false, fast)).hasSize(4)
                .allMatch(r -> r.peer() == 0);
    }

    @Test
    void oncePeersHaveNoRoomTheWindowsOtherBlocksAreNotLookedAt() {
        // a plan runs at every block received, over every readahead window: 8 near pieces of
        // 64 blocks and room for 4 gives 4 requests, and only those 4 blocks are made
        TimedPeer peer = TimedPeer.measured(0, 3_000_000, 20);
        peer.room = 4;
        peer.urgentRoom = 4;
        List<TestPiece> window = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            window.add(TestPiece.needed(i, 64, 2_000 * MS));
        }
        assertThat(scheduler.plan(0, List.of(peer), window, false, null)).hasSize(4)
                .allMatch(r -> r.peer() == 0 && r.block().piece() == 0);
        assertThat(window.stream().mapToInt(p -> p.blocksMade).sum()).isEqualTo(4);
    }

    @Test
    void aSlowPeerTakesReadaheadBlocksItDeliversWellBeforeTheirDeadline() {
        TimedPeer fast = TimedPeer.measured(0, 3_000_000, 20);
        TimedPeer slow = TimedPeer.measured(1, 60_000, 20);
        slow.room = 4;
        List<TestPiece> farAhead = List.of(TestPiece.needed(3, 16, 10_000 * MS));
        List<DeadlineScheduler.Request> plan = scheduler.plan(0, List.of(fast, slow), farAhead, false, slow);
        assertThat(plan).hasSize(4).allMatch(r -> r.peer() == 1 && !r.urgent());
        List<TestPiece> nearlyDue = List.of(TestPiece.needed(3, 16, 500 * MS));
        assertThat(scheduler.plan(0, List.of(fast, slow), nearlyDue, false, slow)).isEmpty();
    }

    @Test
    void aStalledPeersBlockMovesWithACancelThereOnceLate() {
        TimedPeer fast = TimedPeer.measured(0, 3_000_000, 20);
        TimedPeer stalled = TimedPeer.measured(1, 3_000_000, 20);
        TestPiece piece = TestPiece.blocked(5, 1, 0).heldBy(0, stalled, 0);
        // 10 ms in, its answer is due within the margin: it stays
        assertThat(scheduler.plan(10 * MS, List.of(fast, stalled), List.of(piece), true, null)).isEmpty();
        // 500 ms of silence: a block per half second at best; the idle fast peer takes over
        List<DeadlineScheduler.Request> plan = scheduler.plan(500 * MS, List.of(fast, stalled), List.of(piece),
                true, null);
        assertThat(plan).containsExactly(new DeadlineScheduler.Request(0, piece.block(0), true, 1));
        assertThat(scheduler.plan(500 * MS, List.of(fast, stalled), List.of(piece), false, null))
                .as("without rescue, held blocks are left alone").isEmpty();
    }

    @Test
    void aLateBlockWaitsOpenForTheBestPeerRatherThanMoveToAMuchSlowerOne() {
        TimedPeer fast = TimedPeer.measured(0, 3_000_000, 20);
        TimedPeer late = TimedPeer.measured(1, 3_000_000, 20);
        TimedPeer slow = TimedPeer.measured(2, 60_000, 20);
        fast.urgentRoom = 0; // the best peer is busy right now
        TestPiece piece = TestPiece.blocked(6, 1, 0).heldBy(0, late, 0);
        // expected 25 ms after it was asked, late 50 ms after that; at 300 ms it is late, and the
        // idle slow peer would take ~300 ms: the request is withdrawn, the block waits open
        List<DeadlineScheduler.Request> plan = scheduler.plan(300 * MS, List.of(fast, late, slow), List.of(piece),
                true, null);
        assertThat(plan).containsExactly(new DeadlineScheduler.Request(-1, piece.block(0), true, 1));
    }

    @Test
    void aChokingPeersUrgentBlocksMoveAtOnceEvenToASlowerPeer() {
        TimedPeer choking = TimedPeer.measured(0, 3_000_000, 20);
        TimedPeer slow = TimedPeer.measured(1, 300_000, 20);
        TestPiece piece = TestPiece.blocked(2, 2, 0).heldBy(0, choking, 0).heldBy(1, choking, 0);
        choking.canRequest = false;
        List<DeadlineScheduler.Request> plan = scheduler.plan(1 * MS, List.of(choking, slow), List.of(piece), true, null);
        assertThat(plan).containsExactly(new DeadlineScheduler.Request(1, piece.block(0), true, 0),
                new DeadlineScheduler.Request(1, piece.block(1), true, 0));
    }

    /** A plan with rescue at {@code ms} for one piece whose first block is held. */
    private List<DeadlineScheduler.Request> rescueAt(long ms, TestPiece piece, TimedPeer... peers) {
        return scheduler.plan(ms * MS, List.of(peers), List.of(piece), true, null);
    }

    /** The first block of {@code piece} asked of {@code peer}, urgent, cancelled at {@code from}. */
    private static DeadlineScheduler.Request moved(int peer, TestPiece piece, int from) {
        return new DeadlineScheduler.Request(peer, piece.block(0), true, from);
    }

    @Test
    void aBlockedReadsBlockAtASlowPeerMovesToAMuchFasterOneThoughOnTime() {
        TimedPeer fast = TimedPeer.measured(0, 3_000_000, 20);
        TimedPeer slow = TimedPeer.measured(1, 60_000, 20);
        // a read waits on it; the slow peer was expected to answer 293 ms after it was asked and
        // keeps to that, but the idle fast peer delivers it in ~25 ms: swapped, cancelled there
        TestPiece piece = TestPiece.blocked(4, 1, 0).heldBy(0, slow, 0);
        assertThat(rescueAt(100, piece, fast, slow)).containsExactly(moved(0, piece, 1));
    }

    @Test
    void aBlockOnTimeAtAPeerNearlyAsFastStays() {
        TimedPeer good = TimedPeer.measured(1, 1_000_000, 20);
        TestPiece piece = TestPiece.blocked(4, 1, 0).heldBy(0, good, 0);
        assertThat(rescueAt(5, piece, TimedPeer.measured(0, 3_000_000, 20), good))
                .as("chasing a slightly sooner peer with every plan only thrashes").isEmpty();
    }

    @Test
    void aSlowPeersReadaheadBlockDueAfterItsArrivalStays() {
        TimedPeer fast = TimedPeer.measured(0, 3_000_000, 20);
        // needed in 900 ms (urgent), expected at 293 ms: in time, so not moved
        TimedPeer slow = TimedPeer.measured(1, 60_000, 20);
        assertThat(rescueAt(100, TestPiece.needed(4, 1, 900 * MS).heldBy(0, slow, 0), fast, slow)).isEmpty();
        // needed in 200 ms: it would miss that, so it moves
        TimedPeer slow2 = TimedPeer.measured(1, 60_000, 20);
        TestPiece due = TestPiece.needed(5, 1, 200 * MS).heldBy(0, slow2, 0);
        assertThat(rescueAt(100, due, fast, slow2)).containsExactly(moved(0, due, 1));
    }

    @Test
    void aSlowHoldersBlockMovesOnceLateWhenNoPeerGainsEnoughBefore() {
        TimedPeer other = TimedPeer.measured(0, 100_000, 20);
        TimedPeer slow = TimedPeer.measured(1, 60_000, 20);
        TestPiece piece = TestPiece.blocked(4, 1, 0).heldBy(0, slow, 0);
        // the other peer is hardly faster: on time, the block stays; late by half the wait it
        // was given (146 ms), it is not trusted any more
        assertThat(rescueAt(100, piece, other, slow)).isEmpty();
        assertThat(rescueAt(400, piece, other, slow)).isEmpty();
        assertThat(rescueAt(450, piece, other, slow)).containsExactly(moved(0, piece, 1));
    }

    @Test
    void anUrgentBlockHeldOnlyByAPeerNotMeasuredYetIsAlsoAskedOfAMeasuredOne() {
        TimedPeer fresh = TimedPeer.unmeasured(0);
        TimedPeer known = TimedPeer.measured(1, 1_000_000, 20);
        TestPiece piece = TestPiece.blocked(0, 1, 0).heldBy(0, fresh, 0);
        // no cancel at the fresh peer: its answer measures it
        assertThat(scheduler.plan(MS, List.of(fresh, known), List.of(piece), true, null))
                .containsExactly(new DeadlineScheduler.Request(1, piece.block(0), true, -1));
        // not for a block needed later: that one may wait on the probe
        TimedPeer fresh2 = TimedPeer.unmeasured(0);
        TestPiece later = TestPiece.needed(5, 1, 3_000 * MS).heldBy(0, fresh2, 0);
        assertThat(scheduler.plan(MS, List.of(fresh2, known), List.of(later), true, null)).isEmpty();
    }

    @Test
    void peersNotMeasuredYetGetAProbeOfFourBlocksEach() {
        List<TimedPeer> fresh = List.of(TimedPeer.unmeasured(0), TimedPeer.unmeasured(1), TimedPeer.unmeasured(2));
        List<DeadlineScheduler.Request> plan = scheduler.plan(0, fresh, List.of(TestPiece.blocked(0, 16, 0)), false,
                null);
        assertThat(blocksPerPeer(plan)).containsEntry(0, 4L).containsEntry(1, 4L).containsEntry(2, 4L);
        // a probed peer holds nothing back: the rest goes to the measured one
        TimedPeer known = TimedPeer.measured(3, 300_000, 20);
        TimedPeer probed = TimedPeer.unmeasured(0);
        TestPiece piece = TestPiece.blocked(0, 12, 0);
        for (int b = 0; b < 4; b++) {
            piece.heldBy(b, probed, 0);
        }
        List<DeadlineScheduler.Request> next = scheduler.plan(0, List.of(probed, known), List.of(piece), false, null);
        assertThat(blocksPerPeer(next)).containsOnlyKeys(3).containsEntry(3, 8L);
    }

    @Test
    void theOnlyPeerNotMeasuredYetWithAPipelineFullOfBackgroundRequestsStillTakesABlockedRead() {
        TimedPeer fresh = TimedPeer.unmeasured(0);
        fresh.room = 0; // its normal pipeline is full of background requests...
        fresh.urgentRoom = 80; // ...which an urgent block may go ahead of
        fresh.preemptible = 60L * TimedPeer.BLOCK;
        List<DeadlineScheduler.Request> plan = scheduler.plan(0, List.of(fresh),
                List.of(TestPiece.blocked(3, 8, 0)), false, null);
        // the probe limit counts critical blocks only
        assertThat(plan).hasSize(DeadlineScheduler.PROBE_BLOCKS).allMatch(r -> r.peer() == 0 && r.urgent());
    }

    @Test
    void piecesAreServedInTheGivenOrderAndOnlyToPeersThatHaveThem() {
        TimedPeer a = TimedPeer.measured(0, 3_000_000, 20);
        a.urgentRoom = 3;
        a.has = p -> p != 1;
        List<DeadlineScheduler.Request> plan = scheduler.plan(0, List.of(a),
                List.of(TestPiece.blocked(1, 2, 0), TestPiece.blocked(4, 2, 5), TestPiece.needed(2, 2, 10 * MS)),
                false, null);
        assertThat(plan).extracting(r -> r.block().piece() + "." + r.block().blockIndex())
                .containsExactly("4.0", "4.1", "2.0");
    }
}
