package torfs.dht;

import java.net.InetSocketAddress;

/** A node as KRPC names one: its id and the UDP address it answers on. */
record NodeContact(NodeId id, InetSocketAddress address) {
}
