package torfs.dht;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * BEP 5's compact forms: a peer is 4 address bytes and a big-endian port (6 bytes), a node is
 * its 20-byte id followed by a peer (26 bytes). IPv4 only: this node speaks the IPv4 DHT.
 */
final class Compact {
    static final int PEER = 6;
    static final int NODE = NodeId.LENGTH + PEER;

    private Compact() {
    }

    /** Null when {@code data} is not a multiple of 26 bytes; entries with port 0 are skipped. */
    static List<NodeContact> nodes(byte[] data) {
        if (data.length % NODE != 0) {
            return null;
        }
        List<NodeContact> out = new ArrayList<>(data.length / NODE);
        for (int p = 0; p < data.length; p += NODE) {
            InetSocketAddress a = peer(data, p + NodeId.LENGTH);
            if (a != null) {
                out.add(new NodeContact(NodeId.of(data, p), a));
            }
        }
        return out;
    }

    /** The address at {@code data[p, p+6)}, or null for port 0 (nobody listens there). */
    static InetSocketAddress peer(byte[] data, int p) {
        int port = ((data[p + 4] & 0xff) << 8) | (data[p + 5] & 0xff);
        if (port == 0) {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(data, p, p + 4)), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are an IPv4 address", e);
        }
    }

    /** Whether {@code a} has a compact IPv4 form. */
    static boolean encodable(InetSocketAddress a) {
        return a.getAddress() instanceof Inet4Address && a.getPort() > 0;
    }

    static byte[] peer(InetSocketAddress a) {
        byte[] out = new byte[PEER];
        writePeer(a, out, 0);
        return out;
    }

    static byte[] nodes(List<NodeContact> nodes) {
        List<NodeContact> v4 = nodes.stream().filter(n -> encodable(n.address())).toList();
        byte[] out = new byte[v4.size() * NODE];
        int p = 0;
        for (NodeContact n : v4) {
            n.id().copyTo(out, p);
            writePeer(n.address(), out, p + NodeId.LENGTH);
            p += NODE;
        }
        return out;
    }

    private static void writePeer(InetSocketAddress a, byte[] out, int p) {
        System.arraycopy(a.getAddress().getAddress(), 0, out, p, 4);
        out[p + 4] = (byte) (a.getPort() >> 8);
        out[p + 5] = (byte) a.getPort();
    }
}
