package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import torfs.metainfo.InfoHash;
import torfs.session.FakeMetadataPeer.Behaviour;
import torfs.wire.MetadataMessage;

/**
 * A {@link MetadataFetch} against scripted peers on loopback: only a dictionary whose SHA-1 is
 * the info-hash is ever returned, and each kind of bad peer is dropped or worked around.
 */
@Timeout(60)
class MetadataFetchTest {
    /** Three blocks, the last one short. */
    private static final byte[] INFO = info(40_000);
    private static final InfoHash HASH = InfoHash.sha1Of(INFO, 0, INFO.length);
    private Client client;

    @BeforeEach
    void start() throws Exception {
        client = Client.start(ClientSettings.defaults().withPort(0).withBind(InetAddress.getLoopbackAddress()));
    }

    @AfterEach
    void stop() {
        client.close();
    }

    /** A parsable single-file info dictionary of exactly {@code size} bytes. */
    static byte[] info(int size) {
        for (int nameLength = 1; ; nameLength++) {
            String name = "n".repeat(nameLength);
            int pieces = 0;
            String head = "d6:lengthi" + (pieces * 16384L) + "e4:name" + name.length() + ":" + name
                    + "12:piece lengthi16384e6:pieces";
            // grow the piece count until the dictionary is just under size, then pad the name
            while (true) {
                String h = "d6:lengthi" + ((pieces + 1) * 16384L) + "e4:name" + name.length() + ":" + name
                        + "12:piece lengthi16384e6:pieces" + ((pieces + 1) * 20) + ":";
                if (h.length() + (pieces + 1) * 20 + 1 > size) {
                    break;
                }
                pieces++;
                head = h;
            }
            int total = head.length() + pieces * 20 + 1;
            if (total == size) {
                byte[] out = new byte[size];
                byte[] h = head.getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(h, 0, out, 0, h.length);
                for (int i = h.length; i < size - 1; i++) {
                    out[i] = (byte) ('a' + i % 26);
                }
                out[size - 1] = 'e';
                return out;
            }
        }
    }

    static void waitUntil(int seconds, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - end).as("waited %d s", seconds).isNegative();
            Thread.sleep(20);
        }
    }

    private FakeMetadataPeer peer(Behaviour b) throws Exception {
        return new FakeMetadataPeer(HASH, INFO, b);
    }

    private static void assertVerified(MetadataFetch f) throws Exception {
        assertThat(f.result().get(30, TimeUnit.SECONDS)).isEqualTo(INFO);
    }

    /** Feeds a bad peer alone, waits until the fetch has dropped it, then lets a good one finish. */
    private void droppedThenGoodCompletes(Behaviour bad) throws Exception {
        try (FakeMetadataPeer liar = peer(bad); FakeMetadataPeer good = peer(Behaviour.GOOD)) {
            MetadataFetch f = client.fetchMetadata(HASH);
            f.addPeers(List.of(liar.address()));
            waitUntil(20, () -> liar.closedByRemote.get() >= 1);
            assertThat(f.result()).as("nothing unverified is used").isNotDone();
            assertThat(f.peersWithMetadata()).doesNotContain(liar.address());
            f.addPeers(List.of(good.address()));
            assertVerified(f);
            assertThat(f.peersWithMetadata()).contains(good.address()).doesNotContain(liar.address());
        }
    }

    @Test
    void goodPeerDeliversTheVerifiedDictionary() throws Exception {
        try (FakeMetadataPeer good = peer(Behaviour.GOOD)) {
            MetadataFetch f = client.fetchMetadata(HASH);
            f.addPeers(List.of(good.address()));
            assertVerified(f);
            assertThat(f.peersWithMetadata()).containsExactly(good.address());
            assertThat(good.requests.get()).isEqualTo(3);
        }
    }

    @Test
    void wrongHashIsDiscardedAndAGoodPeerThenCompletesIt() throws Exception {
        droppedThenGoodCompletes(Behaviour.WRONG_HASH);
    }

    @Test
    void wrongHashPeerIsNotDialledAgain() throws Exception {
        try (FakeMetadataPeer liar = peer(Behaviour.WRONG_HASH); FakeMetadataPeer good = peer(Behaviour.GOOD)) {
            MetadataFetch f = client.fetchMetadata(HASH);
            f.addPeers(List.of(liar.address()));
            waitUntil(20, () -> liar.closedByRemote.get() >= 1);
            f.addPeers(List.of(liar.address(), good.address()));
            assertVerified(f);
            assertThat(liar.connections.get()).isEqualTo(1);
        }
    }

    @Test
    void liarAmongSeveralPeersIsFoundAndTheHonestOnesKept() throws Exception {
        byte[] info = info(10 * MetadataMessage.BLOCK + 5);
        InfoHash hash = InfoHash.sha1Of(info, 0, info.length);
        try (FakeMetadataPeer liar = new FakeMetadataPeer(hash, info, Behaviour.WRONG_HASH);
             FakeMetadataPeer good = new FakeMetadataPeer(hash, info, Behaviour.GOOD);
             FakeMetadataPeer good2 = new FakeMetadataPeer(hash, info, Behaviour.GOOD)) {
            MetadataFetch f = client.fetchMetadata(hash);
            // the liar is asked first, the honest ones join while it serves: the first
            // dictionary holds the liar's blocks (all of them, or mixed with honest ones)
            f.addPeers(List.of(liar.address()));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (liar.requests.get() == 0 && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            assertThat(liar.requests.get()).as("the liar was asked").isPositive();
            f.addPeers(List.of(good.address(), good2.address()));
            assertThat(f.result().get(30, TimeUnit.SECONDS)).isEqualTo(info);
            assertThat(f.peersWithMetadata()).doesNotContain(liar.address());
            assertThat(liar.connections.get()).isEqualTo(1);
        }
    }

    @Test
    void oversizeMetadataSizeIsNeverAsked() throws Exception {
        droppedThenGoodCompletes(Behaviour.OVERSIZE_SIZE);
    }

    @Test
    void negativeMetadataSizeIsNeverAsked() throws Exception {
        droppedThenGoodCompletes(Behaviour.NEGATIVE_SIZE);
    }

    @Test
    void blockOfTheWrongLengthDropsThePeer() throws Exception {
        droppedThenGoodCompletes(Behaviour.WRONG_LENGTH);
    }

    @Test
    void blockOfAWrongIndexDropsThePeer() throws Exception {
        droppedThenGoodCompletes(Behaviour.WRONG_INDEX);
    }

    @Test
    void dataWithoutARequestDropsThePeer() throws Exception {
        droppedThenGoodCompletes(Behaviour.UNASKED);
    }

    @Test
    void emptyExtraLastBlockIsHarmlessWhenTheSizeIsAMultipleOf16KiB() throws Exception {
        byte[] info = info(2 * MetadataMessage.BLOCK);
        InfoHash hash = InfoHash.sha1Of(info, 0, info.length);
        try (FakeMetadataPeer quirky = new FakeMetadataPeer(hash, info, Behaviour.EXTRA_EMPTY_LAST)) {
            MetadataFetch f = client.fetchMetadata(hash);
            f.addPeers(List.of(quirky.address()));
            assertThat(f.result().get(30, TimeUnit.SECONDS)).isEqualTo(info);
        }
    }

    @Test
    void stallingPeersBlocksAreServedByAnother() throws Exception {
        try (FakeMetadataPeer staller = peer(Behaviour.STALL); FakeMetadataPeer good = peer(Behaviour.GOOD)) {
            MetadataFetch f = client.fetchMetadata(HASH);
            f.addPeers(List.of(staller.address()));
            waitUntil(10, () -> staller.requests.get() >= 3);
            f.addPeers(List.of(good.address()));
            assertVerified(f);
        }
    }

    @Test
    void rejectingPeersBlocksAreServedByAnother() throws Exception {
        try (FakeMetadataPeer refuser = peer(Behaviour.REJECT); FakeMetadataPeer good = peer(Behaviour.GOOD)) {
            MetadataFetch f = client.fetchMetadata(HASH);
            f.addPeers(List.of(refuser.address()));
            // it refused every block: nothing more to ask of it
            waitUntil(10, () -> refuser.closedByRemote.get() >= 1);
            assertThat(refuser.requests.get()).isEqualTo(3);
            f.addPeers(List.of(good.address()));
            assertVerified(f);
        }
    }

    @Test
    void goodAndBadPeersTogetherStillGiveTheVerifiedDictionary() throws Exception {
        try (FakeMetadataPeer a = peer(Behaviour.WRONG_HASH); FakeMetadataPeer b = peer(Behaviour.WRONG_LENGTH);
             FakeMetadataPeer c = peer(Behaviour.STALL); FakeMetadataPeer d = peer(Behaviour.GOOD)) {
            MetadataFetch f = client.fetchMetadata(HASH);
            f.addPeers(List.of(a.address(), b.address(), c.address(), d.address()));
            assertVerified(f);
        }
    }

    @Test
    void closeCancelsTheResultAndClosesConnections() throws Exception {
        try (FakeMetadataPeer staller = peer(Behaviour.STALL)) {
            MetadataFetch f = client.fetchMetadata(HASH);
            f.addPeers(List.of(staller.address()));
            waitUntil(10, () -> staller.requests.get() >= 1);
            f.close();
            assertThat(f.result()).isCancelled();
            waitUntil(10, () -> staller.closedByRemote.get() >= 1);
        }
    }
}
