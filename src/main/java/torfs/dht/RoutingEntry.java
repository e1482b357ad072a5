package torfs.dht;

import java.net.InetSocketAddress;

/**
 * What the routing table knows of one node: when we last heard from it and how many queries to
 * it failed in a row since. BEP 5's states follow from these: good (answered within 15 minutes,
 * no failures), bad (failed {@link RoutingTable#MAX_FAILURES} times), questionable otherwise.
 */
final class RoutingEntry {
    final NodeId id;
    final InetSocketAddress address;
    long lastSeen;
    int failures;

    RoutingEntry(NodeId id, InetSocketAddress address, long lastSeen) {
        this.id = id;
        this.address = address;
        this.lastSeen = lastSeen;
    }

    boolean isBad() {
        return failures >= RoutingTable.MAX_FAILURES;
    }

    boolean isGood(long now) {
        return failures == 0 && now - lastSeen < RoutingTable.QUESTIONABLE_AFTER_MS;
    }

    NodeContact contact() {
        return new NodeContact(id, address);
    }

    @Override
    public String toString() {
        return id.hex().substring(0, 8) + "@" + address + (failures > 0 ? " failed " + failures : "");
    }
}
