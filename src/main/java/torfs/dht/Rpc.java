package torfs.dht;

import java.net.InetSocketAddress;
import java.util.function.Function;

/** What a {@link Lookup} needs from the node: send a query, and know where it may send. */
interface Rpc {
    /** Answers go to {@code reply} on the node's loop, never from inside this call. */
    void query(InetSocketAddress to, Function<byte[], KrpcMessage.Query> query, Reply reply);

    /** Whether datagrams may go to {@code a} (loopback-only mode says no to the rest). */
    boolean allowed(InetSocketAddress a);

    NodeId ownId();

    interface Reply {
        void answered(KrpcMessage.Response r);

        /** A timeout or a KRPC error. */
        void failed();
    }
}
