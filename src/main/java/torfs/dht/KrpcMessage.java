package torfs.dht;

import java.net.InetSocketAddress;
import java.util.List;

/** One decoded KRPC datagram (BEP 5): a query, a response or an error, each with its transaction id. */
sealed interface KrpcMessage {
    /** The {@code t} bytes, echoed in the answer. */
    byte[] tid();

    enum Method {
        PING("ping"), FIND_NODE("find_node"), GET_PEERS("get_peers"), ANNOUNCE_PEER("announce_peer"),
        /** Any other name: answered with error 204. */
        UNKNOWN("");

        final String wire;

        Method(String wire) {
            this.wire = wire;
        }

        static Method of(String name) {
            for (Method m : values()) {
                if (m != UNKNOWN && m.wire.equals(name)) {
                    return m;
                }
            }
            return UNKNOWN;
        }
    }

    /**
     * {@code target}: find_node's target or the info-hash of get_peers and announce_peer, else
     * null. {@code port}, {@code impliedPort} and {@code token} belong to announce_peer.
     * {@code readOnly}: the sender set {@code ro=1} (BEP 43) and must not enter routing tables.
     * {@code want}: BEP 32's {@code want} as {@link #WANT_N4} and {@link #WANT_N6} bits; 0 when
     * absent (the answer then carries nodes of the family the query came over).
     */
    record Query(byte[] tid, Method method, NodeId sender, boolean readOnly, NodeId target,
                 int port, boolean impliedPort, byte[] token, int want) implements KrpcMessage {
        static final int WANT_N4 = 1;
        static final int WANT_N6 = 2;

        Query(byte[] tid, Method method, NodeId sender, boolean readOnly, NodeId target,
              int port, boolean impliedPort, byte[] token) {
            this(tid, method, sender, readOnly, target, port, impliedPort, token, 0);
        }

        Query withWant(int bits) {
            return new Query(tid, method, sender, readOnly, target, port, impliedPort, token, bits);
        }

        static Query ping(byte[] tid, NodeId sender) {
            return new Query(tid, Method.PING, sender, false, null, 0, false, null);
        }

        static Query findNode(byte[] tid, NodeId sender, NodeId target) {
            return new Query(tid, Method.FIND_NODE, sender, false, target, 0, false, null);
        }

        static Query getPeers(byte[] tid, NodeId sender, NodeId infoHash) {
            return new Query(tid, Method.GET_PEERS, sender, false, infoHash, 0, false, null);
        }

        static Query announcePeer(byte[] tid, NodeId sender, NodeId infoHash, int port, boolean implied, byte[] token) {
            return new Query(tid, Method.ANNOUNCE_PEER, sender, false, infoHash, port, implied, token);
        }
    }

    /**
     * {@code nodes} and {@code peers} are empty when absent; {@code token} null when absent;
     * {@code seenAs}: BEP 42's {@code ip}, our address as the responder saw it, or null.
     */
    record Response(byte[] tid, NodeId sender, List<NodeContact> nodes, List<InetSocketAddress> peers,
                    byte[] token, InetSocketAddress seenAs) implements KrpcMessage {
        static Response of(byte[] tid, NodeId sender) {
            return new Response(tid, sender, List.of(), List.of(), null, null);
        }
    }

    record Error(byte[] tid, int code, String message) implements KrpcMessage {
        static final int GENERIC = 201;
        static final int PROTOCOL = 203;
        static final int METHOD_UNKNOWN = 204;
    }
}
