package torfs.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The table from pictures: one line per bucket, a letter per live node (good, questionable,
 * bad), then '|' and the replacement count. Our own id is all zeros, so a node's bucket is the
 * number of its leading zero bits.
 */
class RoutingTableTest {
    private static final NodeId OWN = NodeId.fromHex("0000000000000000000000000000000000000000");
    private static final long T0 = 1_000_000;
    private final Random random = new Random(42);
    private int port = 10_000;

    /** An id whose first bits are {@code bits}, the rest random (never all-zero after the prefix). */
    private NodeId id(String bits) {
        byte[] b = new byte[20];
        random.nextBytes(b);
        b[19] |= 1;
        for (int i = 0; i < bits.length(); i++) {
            int mask = 1 << (7 - (i & 7));
            b[i >> 3] = (byte) (bits.charAt(i) == '1' ? b[i >> 3] | mask : b[i >> 3] & ~mask);
        }
        return NodeId.of(b);
    }

    private InetSocketAddress addr() {
        return new InetSocketAddress("127.0.0.1", port++);
    }

    @Test
    void fullOwnBucketSplits() {
        RoutingTable t = new RoutingTable(OWN, T0);
        for (int i = 0; i < 8; i++) {
            assertThat(t.heardFrom(id(i % 2 == 0 ? "1" : "01"), addr(), T0)).isTrue();
        }
        assertThat(t.picture(T0)).isEqualTo("gggggggg|0\n");
        t.heardFrom(id("001"), addr(), T0); // the ninth splits: the four "1" nodes stay, the rest go nearer
        assertThat(t.picture(T0)).isEqualTo("gggg|0\nggggg|0\n");
        for (int i = 0; i < 4; i++) {
            t.heardFrom(id("001"), addr(), T0); // fills the near bucket, then splits it again
        }
        assertThat(t.picture(T0)).isEqualTo("gggg|0\ngggg|0\nggggg|0\n");
        assertThat(t.size()).isEqualTo(13);
    }

    @Test
    void farBucketKeepsNewcomersAsReplacements() {
        RoutingTable t = new RoutingTable(OWN, T0);
        for (int i = 0; i < 8; i++) {
            t.heardFrom(id("1"), addr(), T0);
        }
        t.heardFrom(id("01"), addr(), T0); // splits: bucket 0 holds the eight "1" nodes
        for (int i = 0; i < 3; i++) {
            t.heardFrom(id("1"), addr(), T0);
        }
        assertThat(t.picture(T0)).isEqualTo("gggggggg|3\ng|0\n");
    }

    @Test
    void replacementIsPromotedWhenANodeGoesBad() {
        RoutingTable t = new RoutingTable(OWN, T0);
        InetSocketAddress first = addr();
        t.heardFrom(id("1"), first, T0);
        for (int i = 0; i < 7; i++) {
            t.heardFrom(id("1"), addr(), T0);
        }
        t.heardFrom(id("01"), addr(), T0);
        InetSocketAddress spare = addr();
        t.heardFrom(id("1"), spare, T0 + 5);
        assertThat(t.contains(spare)).isFalse();

        t.failed(first);
        assertThat(t.picture(T0)).as("one failure: questionable, still in").isEqualTo("qggggggg|1\ng|0\n");
        t.failed(first);
        assertThat(t.picture(T0)).as("two: bad, replaced").isEqualTo("gggggggg|0\ng|0\n");
        assertThat(t.contains(first)).isFalse();
        assertThat(t.contains(spare)).isTrue();
    }

    @Test
    void badNodeWithoutReplacementStaysUntilANewcomerTakesItsPlace() {
        RoutingTable t = new RoutingTable(OWN, T0);
        InetSocketAddress first = addr();
        t.heardFrom(id("1"), first, T0);
        for (int i = 0; i < 7; i++) {
            t.heardFrom(id("1"), addr(), T0);
        }
        t.heardFrom(id("01"), addr(), T0);
        t.failed(first);
        t.failed(first);
        assertThat(t.picture(T0)).isEqualTo("bggggggg|0\ng|0\n");
        assertThat(t.closest(id("1"), 20)).hasSize(8).noneMatch(c -> c.address().equals(first));
        InetSocketAddress newcomer = addr();
        t.heardFrom(id("1"), newcomer, T0);
        assertThat(t.picture(T0)).isEqualTo("gggggggg|0\ng|0\n");
        assertThat(t.contains(newcomer)).isTrue();
    }

    @Test
    void silentNodesTurnQuestionableAndAreOfferedForPing() {
        RoutingTable t = new RoutingTable(OWN, T0);
        InetSocketAddress old = addr();
        t.heardFrom(id("1"), old, T0);
        t.heardFrom(id("01"), addr(), T0 + 10 * 60_000);
        long later = T0 + 16 * 60_000;
        assertThat(t.picture(later)).isEqualTo("qg|0\n");
        assertThat(t.questionable(later, 5)).extracting(NodeContact::address).containsExactly(old);
        NodeId oldId = t.questionable(later, 5).get(0).id();
        t.heardFrom(oldId, old, later); // it answered our ping
        assertThat(t.picture(later)).isEqualTo("gg|0\n");
    }

    @Test
    void anAddressKeepsItsIdAndAnIdItsAddress() {
        RoutingTable t = new RoutingTable(OWN, T0);
        InetSocketAddress a = addr();
        NodeId x = id("1");
        t.heardFrom(x, a, T0);
        assertThat(t.heardFrom(id("1"), a, T0)).as("same address, other id").isFalse();
        assertThat(t.heardFrom(x, addr(), T0)).as("same id, other address").isFalse();
        assertThat(t.heardFrom(OWN, addr(), T0)).as("our own id").isFalse();
        assertThat(t.size()).isEqualTo(1);
    }

    @Test
    void tableStaysBoundedUnderAFlood() {
        RoutingTable t = new RoutingTable(OWN, T0);
        for (int i = 0; i < 20_000; i++) {
            t.heardFrom(NodeId.random(random), new InetSocketAddress("127.0.0.1", 1 + (i % 65_000)), T0);
        }
        assertThat(t.size()).isLessThanOrEqualTo(t.bucketCount() * RoutingTable.K);
        assertThat(t.bucketCount()).isLessThan(30);
    }

    @Test
    void aJoinRefreshesTheFarBucketsThatAreNotFull() {
        RoutingTable t = new RoutingTable(OWN, T0);
        t.heardFrom(id("1"), addr(), T0); // one far node, as a self-lookup leaves it
        for (int i = 0; i < 8; i++) {
            t.heardFrom(id("0001"), addr(), T0);
            t.heardFrom(id("00001"), addr(), T0);
        }
        // buckets 0 (one node), 1 and 2 (empty), 3 (full), and ours: only 0, 1 and 2 want nodes
        assertThat(t.joinRefreshTargets(T0, 16, random)).extracting(OWN::commonPrefix).containsExactly(0, 1, 2);
        assertThat(t.joinRefreshTargets(T0, 2, random)).extracting(OWN::commonPrefix).containsExactly(0, 1);
    }

    @Test
    void untouchedBucketsAreRefreshedOnce() {
        RoutingTable t = new RoutingTable(OWN, T0);
        for (int i = 0; i < 9; i++) {
            t.heardFrom(id(i < 8 ? "1" : "01"), addr(), T0);
        }
        long later = T0 + RoutingTable.REFRESH_AFTER_MS;
        assertThat(t.refreshTargets(later, random)).hasSize(2)
                .first().satisfies(target -> assertThat(OWN.commonPrefix(target)).isZero());
        assertThat(t.refreshTargets(later + 1, random)).isEmpty();
    }

    @Test
    void closestIsSortedByDistance() {
        RoutingTable t = new RoutingTable(OWN, T0);
        for (int i = 0; i < 50; i++) {
            t.heardFrom(NodeId.random(random), addr(), T0);
        }
        NodeId target = NodeId.random(random);
        var closest = t.closest(target, 8);
        assertThat(closest).hasSize(8);
        for (int i = 1; i < closest.size(); i++) {
            assertThat(target.closer(closest.get(i - 1).id(), closest.get(i).id())).isNegative();
        }
    }
}
