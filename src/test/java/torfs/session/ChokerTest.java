package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import torfs.session.Choker.PeerSnapshot;

class ChokerTest {
    private static final long S = 1_000_000_000L;
    private static final long OLD = -3600 * S;

    private static PeerSnapshot peer(int id, long down, long up) {
        return new PeerSnapshot(id, true, down, up, OLD, false);
    }

    private static List<PeerSnapshot> swarm() {
        List<PeerSnapshot> peers = new ArrayList<>();
        for (int id = 1; id <= 7; id++) {
            peers.add(peer(id, id * 1000, (8 - id) * 1000)); // download rate rises with id, upload falls
        }
        peers.add(new PeerSnapshot(99, false, 1_000_000, 1_000_000, OLD, true)); // fast but uninterested
        return peers;
    }

    @Test
    void downloadingUnchokesTheFourThatGiveUsMostPlusOneOptimistic() {
        Choker c = new Choker(new Random(1));
        Set<Integer> u = c.rechoke(swarm(), false, 0);
        assertThat(u).hasSize(5).contains(7, 6, 5, 4).doesNotContain(99);
        int optimistic = c.optimisticUnchoke().getAsInt();
        assertThat(optimistic).isIn(1, 2, 3);
        assertThat(u).contains(optimistic);
    }

    @Test
    void seedingRanksByWhatWeGiveThem() {
        Choker c = new Choker(new Random(1));
        Set<Integer> u = c.rechoke(swarm(), true, 0);
        assertThat(u).hasSize(5).contains(1, 2, 3, 4).doesNotContain(99);
        assertThat(c.optimisticUnchoke().getAsInt()).isIn(5, 6, 7);
    }

    @Test
    void uninterestedPeersAreNeverUnchoked() {
        Choker c = new Choker(new Random(1));
        List<PeerSnapshot> peers = List.of(new PeerSnapshot(1, false, 500, 500, 0, true),
                new PeerSnapshot(2, false, 0, 0, 0, false));
        assertThat(c.rechoke(peers, false, 0)).isEmpty();
        assertThat(c.optimisticUnchoke()).isEmpty();
    }

    @Test
    void fewInterestedPeersAreAllUnchoked() {
        Choker c = new Choker(new Random(1));
        assertThat(c.rechoke(List.of(peer(1, 0, 0), peer(2, 5, 0)), false, 0)).containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void optimisticSlotRotatesEveryThirtySeconds() {
        Choker c = new Choker(new Random(3));
        List<Integer> perRound = new ArrayList<>();
        for (int round = 0; round < 90; round++) {
            c.rechoke(swarm(), false, round * Choker.RECHOKE_INTERVAL_NANOS);
            perRound.add(c.optimisticUnchoke().getAsInt());
        }
        Set<Integer> seen = new java.util.HashSet<>();
        for (int round = 0; round < 90; round++) {
            int o = perRound.get(round);
            seen.add(o);
            if (round % 3 == 0 && round > 0) {
                assertThat(o).as("round %d rotates", round).isNotEqualTo(perRound.get(round - 1));
            } else if (round > 0) {
                assertThat(o).as("round %d keeps", round).isEqualTo(perRound.get(round - 1));
            }
        }
        assertThat(seen).containsExactlyInAnyOrder(1, 2, 3);
    }

    @Test
    void optimisticPeerPromotedToRegularFreesTheSlot() {
        Choker c = new Choker(new Random(1));
        c.rechoke(swarm(), false, 0);
        int optimistic = c.optimisticUnchoke().getAsInt();
        List<PeerSnapshot> peers = new ArrayList<>(swarm());
        peers.replaceAll(p -> p.id() == optimistic ? peer(optimistic, 1_000_000, 0) : p);
        Set<Integer> u = c.rechoke(peers, false, Choker.RECHOKE_INTERVAL_NANOS);
        assertThat(u).hasSize(5).contains(optimistic, 7, 6, 5).doesNotContain(4);
        assertThat(c.optimisticUnchoke().getAsInt()).isNotEqualTo(optimistic).isIn(1, 2, 3, 4);
    }

    @Test
    void newPeersGetThreeTimesTheOptimisticChance() {
        Choker c = new Choker(new Random(11));
        long now = 3600 * S;
        List<PeerSnapshot> candidates = List.of(
                new PeerSnapshot(1, true, 0, 0, now - 5 * S, false), // new
                new PeerSnapshot(2, true, 0, 0, 0, false),
                new PeerSnapshot(3, true, 0, 0, 0, false),
                new PeerSnapshot(4, true, 0, 0, 0, false));
        int[] wins = new int[5];
        for (int i = 0; i < 6000; i++) {
            wins[c.chooseOptimistic(candidates, now)]++;
        }
        // expected 3/6, 1/6, 1/6, 1/6
        assertThat(wins[1]).isBetween(2700, 3300);
        for (int id = 2; id <= 4; id++) {
            assertThat(wins[id]).isBetween(800, 1200);
        }
    }
}
