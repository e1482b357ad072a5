package torfs.dht;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The compact forms of BEP 5 and BEP 32: a peer is its address and a big-endian port (6 bytes
 * for IPv4, 18 for IPv6), a node is its 20-byte id followed by a peer (26 or 38 bytes). IPv4
 * nodes travel under {@code nodes}, IPv6 ones under {@code nodes6}; a {@code values} entry's
 * length tells its family.
 */
final class Compact {
    static final int PEER = 6;
    static final int PEER6 = 18;
    static final int NODE = NodeId.LENGTH + PEER;
    static final int NODE6 = NodeId.LENGTH + PEER6;

    private Compact() {
    }

    /** IPv4 nodes: null when {@code data} is not a multiple of 26 bytes; entries with port 0 are skipped. */
    static List<NodeContact> nodes(byte[] data) {
        return nodes(data, NODE);
    }

    /** IPv6 nodes ({@code nodes6}): null when {@code data} is not a multiple of 38 bytes. */
    static List<NodeContact> nodes6(byte[] data) {
        return nodes(data, NODE6);
    }

    private static List<NodeContact> nodes(byte[] data, int entry) {
        if (data.length % entry != 0) {
            return null;
        }
        List<NodeContact> out = new ArrayList<>(data.length / entry);
        for (int p = 0; p < data.length; p += entry) {
            InetSocketAddress a = peer(data, p + NodeId.LENGTH, entry - NodeId.LENGTH);
            if (a != null) {
                out.add(new NodeContact(NodeId.of(data, p), a));
            }
        }
        return out;
    }

    /** The IPv4 address at {@code data[p, p+6)}, or null for port 0 (nobody listens there). */
    static InetSocketAddress peer(byte[] data, int p) {
        return peer(data, p, PEER);
    }

    /** The peer at {@code data[p, p+length)}, length 6 or 18; null for port 0. */
    static InetSocketAddress peer(byte[] data, int p, int length) {
        int addr = length - 2;
        int port = ((data[p + addr] & 0xff) << 8) | (data[p + addr + 1] & 0xff);
        if (port == 0) {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(data, p, p + addr)), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are an IP address", e);
        }
    }

    /** Whether {@code a} has a compact form (IPv4 or IPv6, a port). */
    static boolean encodable(InetSocketAddress a) {
        return (a.getAddress() instanceof Inet4Address || a.getAddress() instanceof Inet6Address) && a.getPort() > 0;
    }

    static boolean isV6(InetSocketAddress a) {
        return a.getAddress() instanceof Inet6Address;
    }

    /** 6 bytes for an IPv4 peer, 18 for an IPv6 one. */
    static byte[] peer(InetSocketAddress a) {
        byte[] ip = a.getAddress().getAddress();
        byte[] out = new byte[ip.length + 2];
        writePeer(a, out, 0);
        return out;
    }

    /** The IPv4 nodes of {@code nodes}, 26 bytes each (what {@code nodes} carries). */
    static byte[] nodes(List<NodeContact> nodes) {
        return nodes(nodes, false);
    }

    /** The IPv6 nodes of {@code nodes}, 38 bytes each (what {@code nodes6} carries). */
    static byte[] nodes6(List<NodeContact> nodes) {
        return nodes(nodes, true);
    }

    private static byte[] nodes(List<NodeContact> nodes, boolean v6) {
        List<NodeContact> family = nodes.stream()
                .filter(n -> encodable(n.address()) && isV6(n.address()) == v6).toList();
        int entry = v6 ? NODE6 : NODE;
        byte[] out = new byte[family.size() * entry];
        int p = 0;
        for (NodeContact n : family) {
            n.id().copyTo(out, p);
            writePeer(n.address(), out, p + NodeId.LENGTH);
            p += entry;
        }
        return out;
    }

    private static void writePeer(InetSocketAddress a, byte[] out, int p) {
        byte[] ip = a.getAddress().getAddress();
        System.arraycopy(ip, 0, out, p, ip.length);
        out[p + ip.length] = (byte) (a.getPort() >> 8);
        out[p + ip.length + 1] = (byte) a.getPort();
    }
}
