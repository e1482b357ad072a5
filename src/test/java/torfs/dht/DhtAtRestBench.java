package torfs.dht;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * What the DHT costs at rest, printed, not asserted: the heap a full routing table holds (one
 * fed a million random nodes, so every bucket and replacement cache is full) and the datagrams
 * per minute a loopback network of our nodes sends once joined, with the default one-minute
 * maintenance. Questionable-node pings and bucket refreshes start after 15 quiet minutes, so
 * run it for 20 or more to see them.
 * Usage: java -cp target/test-classes:target/classes:DEPS torfs.dht.DhtAtRestBench [NODES] [MINUTES]
 */
public final class DhtAtRestBench {
    private DhtAtRestBench() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        double minutes = args.length > 1 ? Double.parseDouble(args[1]) : 1;
        fullTableMemory();
        try (LoopbackDht net = new LoopbackDht()) {
            DhtNode first = net.start(LoopbackDht.settings(List.of()).withMaintenance(Duration.ofMinutes(1)));
            String seed = LoopbackDht.hostPort(net.endpoints.get(0).localAddress());
            for (int i = 1; i < nodes; i++) {
                net.start(LoopbackDht.settings(List.of(seed)).withMaintenance(Duration.ofMinutes(1))
                        .withQueryTimeout(Duration.ofMillis(2500)));
            }
            DhtNetworkTest.awaitTables(net.nodes, Math.min(8, nodes - 1));
            Thread.sleep(5000); // the joins' lookups end
            long before = packetsOut(net);
            Thread.sleep((long) (minutes * 60_000));
            long after = packetsOut(net);
            System.out.printf("%d nodes at rest for %.1f min: %.2f datagrams sent per node per minute; tables %s%n",
                    nodes, minutes, (after - before) / (double) nodes / minutes,
                    net.nodes.stream().map(DhtNode::routingTableSize).toList());
            first.routingTableSize();
        }
    }

    private static long packetsOut(LoopbackDht net) throws Exception {
        long sum = 0;
        for (DhtNode n : net.nodes) {
            sum += n.stats().get(5, TimeUnit.SECONDS).packetsOut();
        }
        return sum;
    }

    private static void fullTableMemory() {
        Random random = new Random(1);
        long before = usedHeap();
        RoutingTable table = new RoutingTable(NodeId.random(random), 0);
        byte[] ip = new byte[4];
        for (int i = 0; i < 1_000_000; i++) {
            random.nextBytes(ip);
            ip[0] = 127;
            try {
                table.heardFrom(NodeId.random(random), new InetSocketAddress(
                        java.net.InetAddress.getByAddress(ip.clone()), 1 + random.nextInt(65535)), 0);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        long after = usedHeap();
        System.out.printf("full routing table: %d live nodes in %d buckets (+ replacements), %d KiB of heap%n",
                table.size(), table.bucketCount(), (after - before) / 1024);
        if (table.size() < 0) {
            System.out.println(table); // keeps the table reachable until measured
        }
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
