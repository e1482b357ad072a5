package torfs.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.metainfo.InfoHash;

/** Forty of our own nodes on 127.0.0.1: they find each other, and a peer one announces another finds. */
class DhtNetworkTest {
    private static final InfoHash HASH = InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567");

    @Test
    @Timeout(60)
    void peerAnnouncedByOneNodeIsFoundByAnother() throws Exception {
        try (LoopbackDht net = new LoopbackDht()) {
            List<DhtNode> nodes = net.network(40);
            awaitTables(nodes, 8);

            LookupResult announced = nodes.get(7).lookup(HASH, 51413, p -> { }).get(30, TimeUnit.SECONDS);
            assertThat(announced.announced()).as("announce_peer accepted by the nearest").isPositive();

            Set<InetSocketAddress> found = ConcurrentHashMap.newKeySet();
            LookupResult r = nodes.get(31).lookup(HASH, -1, found::addAll).get(30, TimeUnit.SECONDS);
            InetSocketAddress expected = new InetSocketAddress("127.0.0.1", 51413);
            assertThat(found).contains(expected);
            assertThat(r.peers()).isEqualTo(found.size());
            assertThat(r.announced()).isZero();
            assertThat(r.queried()).isLessThan(40);

            DhtStats s = nodes.get(0).stats().get(5, TimeUnit.SECONDS);
            assertThat(s.queriesAnswered()).isPositive();
            assertThat(s.droppedMalformed()).isZero();
            assertThat(s.droppedNonLoopback()).isZero();
        }
    }

    @Test
    @Timeout(30)
    void lookupOnALoneNodeEndsEmpty() throws Exception {
        try (LoopbackDht net = new LoopbackDht()) {
            DhtNode alone = net.start(LoopbackDht.settings(List.of()));
            LookupResult r = alone.lookup(HASH, 6881, p -> { }).get(40, TimeUnit.SECONDS);
            assertThat(r).isEqualTo(new LookupResult(0, 0, 0, 0));
        }
    }

    @Test
    @Timeout(60)
    void restartBootstrapsFromTheStateFile(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("dht.dat");
        try (LoopbackDht net = new LoopbackDht()) {
            List<DhtNode> nodes = net.network(12);
            awaitTables(nodes, 5);
            DhtNode saver = net.start(LoopbackDht.settings(List.of(LoopbackDht.hostPort(net.endpoints.get(0).localAddress())))
                    .withStateFile(state));
            awaitTables(List.of(saver), 5);
            String id = saver.nodeId();
            saver.close();
            assertThat(Files.size(state)).isGreaterThan(5 * 26);

            // no bootstrap list this time: only the saved nodes
            DhtNode again = net.start(LoopbackDht.settings(List.of()).withStateFile(state));
            assertThat(again.nodeId()).isEqualTo(id);
            awaitTables(List.of(again), 5);
        }
    }

    @Test
    void corruptStateFileIsIgnored(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("dht.dat");
        Files.write(state, "d2:id3:abce".getBytes());
        assertThat(DhtState.load(state)).isNull();
        Files.write(state, new byte[] {1, 2, 3});
        assertThat(DhtState.load(state)).isNull();
        assertThat(DhtState.load(dir.resolve("missing"))).isNull();
    }

    @Test
    void loopbackOnlyRefusesOtherBootstrapNodes() {
        DhtSettings base = DhtSettings.loopbackForTests();
        assertThatThrownBy(() -> base.withBootstrap(List.of("192.0.2.1:6881")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base.withBootstrap(DhtSettings.PUBLIC_ROUTERS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base.withBootstrap(List.of("localhost:6881")))
                .as("a name cannot be checked without DNS").isInstanceOf(IllegalArgumentException.class);
        assertThat(base.withBootstrap(List.of("127.0.3.1:6881", "[::1]:6881")).bootstrap()).hasSize(2);
    }

    @Test
    void loopbackOnlyAcceptsIpv6LoopbackAndRefusesOtherIpv6() {
        DhtSettings base = DhtSettings.loopbackForTests();
        assertThat(base.withBootstrap(List.of("[::1]:6881", "::1:6882", "[::ffff:127.0.0.1]:6883")).bootstrap()).hasSize(3);
        for (String other : List.of("[2001:db8::1]:6881", "[::2]:6881", "[fe80::1]:6881", "[::]:6881", "[fd00::2]:6881")) {
            assertThatThrownBy(() -> base.withBootstrap(List.of(other))).as(other)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(DhtSettings.isLoopback(new InetSocketAddress("::1", 1))).isTrue();
        assertThat(DhtSettings.isLoopback(new InetSocketAddress("2001:db8::1", 1))).isFalse();
    }

    @Test
    @Timeout(60)
    void ipv6NodesBootstrapFromIpv6LoopbackAndFindAnIpv6Peer() throws Exception {
        try (LoopbackDht net = new LoopbackDht()) {
            DhtNode first = net.start(LoopbackDht.settings(List.of()), "::1");
            String seed = "[::1]:" + net.endpoints.get(0).localAddress().getPort();
            List<DhtNode> nodes = new java.util.ArrayList<>(List.of(first));
            for (int i = 0; i < 11; i++) {
                nodes.add(net.start(LoopbackDht.settings(List.of(seed)), "::1"));
            }
            awaitTables(nodes, 5); // filled from nodes6 answers: the queries came over IPv6
            nodes.get(3).lookup(HASH, 51413, p -> { }).get(30, TimeUnit.SECONDS);
            Set<InetSocketAddress> found = ConcurrentHashMap.newKeySet();
            nodes.get(10).lookup(HASH, -1, found::addAll).get(30, TimeUnit.SECONDS);
            assertThat(found).contains(new InetSocketAddress("::1", 51413)); // an 18-byte value
        }
    }

    @Test
    void stateFileKeepsIpv6Nodes(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("dht.dat");
        NodeContact v4 = new NodeContact(NodeId.fromHex("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
                new InetSocketAddress("127.0.0.1", 6881));
        NodeContact v6 = new NodeContact(NodeId.fromHex("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"),
                new InetSocketAddress("::1", 6882));
        new DhtState(NodeId.fromHex("cccccccccccccccccccccccccccccccccccccccc"), List.of(v4, v6)).save(state);
        assertThat(DhtState.load(state).nodes()).containsExactly(v4, v6);
    }

    @Test
    @Timeout(30)
    void loopbackOnlyNodeDropsSendsElsewhere() throws Exception {
        try (LoopbackDht net = new LoopbackDht()) {
            DhtNode n = net.start(LoopbackDht.settings(List.of()));
            n.addNode(new InetSocketAddress("192.0.2.1", 6881)); // TEST-NET-1: must never be contacted
            assertThat(n.stats().get(5, TimeUnit.SECONDS).droppedNonLoopback()).isEqualTo(1);
            assertThat(n.stats().get(5, TimeUnit.SECONDS).packetsOut()).isZero();
        }
    }

    @Test
    @Timeout(30)
    void garbageIsCountedAndDroppedAndReadOnlyNodesStayOut() throws Exception {
        try (LoopbackDht net = new LoopbackDht()) {
            DhtNode n = net.start(LoopbackDht.settings(List.of()));
            var sender = net.endpoint("127.0.0.1");
            InetSocketAddress to = net.endpoints.get(0).localAddress();
            for (String junk : List.of("de", "d1:t2:aa1:y1:qe", "d1:ad2:id3:abce1:q4:ping1:t2:aa1:y1:qe", "dxxxx")) {
                sender.send(to, io.netty.buffer.Unpooled.copiedBuffer(junk.getBytes()));
            }
            String readOnlyPing = "d1:ad2:id20:abcdefghij0123456789e1:q4:ping2:roi1e1:t2:aa1:y1:qe";
            java.util.concurrent.BlockingQueue<String> answers = new java.util.concurrent.LinkedBlockingQueue<>();
            sender.onKrpc((from, buf) -> answers.add(buf.toString(java.nio.charset.StandardCharsets.ISO_8859_1)));
            sender.send(to, io.netty.buffer.Unpooled.copiedBuffer(readOnlyPing.getBytes()));
            assertThat(answers.poll(5, TimeUnit.SECONDS)).contains("1:y1:r");
            DhtStats s = n.stats().get(5, TimeUnit.SECONDS);
            assertThat(s.droppedMalformed()).isEqualTo(4);
            assertThat(s.queriesAnswered()).isEqualTo(1);
            assertThat(s.routingTableSize()).as("ro=1: not added").isZero();
        }
    }

    static void awaitTables(List<DhtNode> nodes, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (nodes.stream().anyMatch(n -> n.routingTableSize() < atLeast)) {
            assertThat(System.nanoTime()).as("routing tables filling: %s",
                    nodes.stream().map(DhtNode::routingTableSize).toList()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
