package torfs.dht;

import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import torfs.metainfo.InfoHash;
import torfs.tracker.Transports;
import torfs.transport.UdpEndpoint;

/**
 * Run by native-test/dht/libtorrent-dht-interop.sh inside the namespace where the libtorrent
 * nodes run: our node bootstraps from one of them, fills its table with them, finds the peer
 * libtorrent announced, and announces a peer that libtorrent's dht_get_peers then finds.
 * Args: BOOTSTRAP N_NODES LT_HASH LT_PEER OUR_HASH OUR_PORT LT_LOG. Exit 0 on success, 1 with a message.
 */
public final class LibtorrentDhtInteropMain {
    private LibtorrentDhtInteropMain() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        int ltNodes = Integer.parseInt(args[1]);
        InfoHash ltHash = InfoHash.fromHex(args[2]);
        InetSocketAddress ltPeer = DhtSettings.parseLiteral(args[3]);
        InfoHash ourHash = InfoHash.fromHex(args[4]);
        int ourPort = Integer.parseInt(args[5]);
        Path ltLog = Path.of(args[6]);

        EventLoopGroup group = Transports.newEventLoopGroup(1);
        UdpEndpoint endpoint = UdpEndpoint.bind(group, new InetSocketAddress("127.0.0.1", 0));
        DhtSettings settings = LoopbackDht.settings(List.of(bootstrap))
                .withQueryTimeout(java.time.Duration.ofSeconds(2));
        DhtNode node = DhtNode.start(settings, endpoint);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (node.routingTableSize() < ltNodes && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            check(node.routingTableSize() >= ltNodes, "routing table has " + node.routingTableSize()
                    + " nodes, want the " + ltNodes + " libtorrent nodes");
            System.out.println("ok routing table " + node.routingTableSize() + " nodes");

            Set<InetSocketAddress> found = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < 12 && !found.contains(ltPeer); i++) {
                LookupResult r = node.lookup(ltHash, -1, found::addAll).get(60, TimeUnit.SECONDS);
                System.out.println("lookup " + i + ": " + r + " peers " + found);
                if (!found.contains(ltPeer)) {
                    Thread.sleep(5000);
                }
            }
            check(found.contains(ltPeer), "lookup did not find libtorrent's peer " + ltPeer + ": " + found);
            System.out.println("ok found libtorrent's peer " + ltPeer);

            String want = "127.0.0.1:" + ourPort;
            boolean seen = false;
            for (int i = 0; i < 8 && !seen; i++) {
                LookupResult r = node.lookup(ourHash, ourPort, p -> { }).get(60, TimeUnit.SECONDS);
                System.out.println("announce " + i + ": " + r);
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!seen && System.nanoTime() < until) {
                    seen = Files.readAllLines(ltLog).stream()
                            .anyMatch(l -> l.startsWith("LT_FOUND " + ourHash.hex()) && l.contains(want));
                    Thread.sleep(300);
                }
            }
            check(seen, "libtorrent's dht_get_peers did not find our peer " + want);
            System.out.println("ok libtorrent found our peer " + want);
            DhtStats s = node.stats().get(5, TimeUnit.SECONDS);
            System.out.println("stats " + s);
            check(s.droppedMalformed() == 0, "libtorrent's packets counted malformed: " + s);
            System.out.println("OK libtorrent DHT interop");
        } catch (AssertionError e) {
            System.out.println("FAIL " + e.getMessage());
            System.exit(1);
        } finally {
            node.close();
            endpoint.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }
}
