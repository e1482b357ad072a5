package torfs.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Answers other nodes' queries: ping, find_node, get_peers (with a token, and the peers we hold
 * or the nearest nodes we know), announce_peer (token checked, peer stored). Each source IP is
 * rate limited; queries over the limit get no answer. Pure apart from the table it reads and
 * the store it writes; time passed in.
 */
final class Responder {
    private final RoutingTable table;
    private final Tokens tokens;
    private final PeerStore store;
    private final SourceRateLimit limit;

    Responder(RoutingTable table, DhtSettings s, Random random, long now) {
        this.table = table;
        this.tokens = new Tokens(random, now);
        this.store = new PeerStore(s.peersPerHash(), s.maxHashes(), s.maxPeers());
        this.limit = new SourceRateLimit(s.queriesPerSecondPerSource(), 2 * s.queriesPerSecondPerSource(), 10_000);
    }

    /** The answer to send back, or null when the source is over its rate limit. */
    KrpcMessage answer(InetSocketAddress from, KrpcMessage.Query q, long now) {
        if (!limit.allow(from.getAddress(), now)) {
            return null;
        }
        NodeId own = table.ownId();
        return switch (q.method()) {
            case PING -> KrpcMessage.Response.of(q.tid(), own);
            case FIND_NODE -> new KrpcMessage.Response(q.tid(), own, closest(q, from), List.of(), null, from);
            case GET_PEERS -> new KrpcMessage.Response(q.tid(), own, closest(q, from),
                    store.peers(q.target(), now), tokens.issue(from.getAddress(), now), from);
            case ANNOUNCE_PEER -> {
                if (!tokens.accepts(q.token(), from.getAddress(), now)) {
                    yield new KrpcMessage.Error(q.tid(), KrpcMessage.Error.PROTOCOL, "bad token");
                }
                int port = q.impliedPort() ? from.getPort() : q.port();
                store.announce(q.target(), new InetSocketAddress(from.getAddress(), port), now);
                yield KrpcMessage.Response.of(q.tid(), own);
            }
            case UNKNOWN -> new KrpcMessage.Error(q.tid(), KrpcMessage.Error.METHOD_UNKNOWN, "method unknown");
        };
    }

    /**
     * The K nearest nodes of each family the query wants (BEP 32): those in {@code want}, or
     * without one the family it came over. One table holds both families.
     */
    private List<NodeContact> closest(KrpcMessage.Query q, InetSocketAddress from) {
        int want = q.want() != 0 ? q.want()
                : Compact.isV6(from) ? KrpcMessage.Query.WANT_N6 : KrpcMessage.Query.WANT_N4;
        List<NodeContact> out = new ArrayList<>();
        if ((want & KrpcMessage.Query.WANT_N4) != 0) {
            out.addAll(table.closest(q.target(), RoutingTable.K, false));
        }
        if ((want & KrpcMessage.Query.WANT_N6) != 0) {
            out.addAll(table.closest(q.target(), RoutingTable.K, true));
        }
        return out;
    }

    /** Expires stored peers and forgets idle sources; called by the node's maintenance. */
    void maintain(long now) {
        store.expire(now);
        limit.forgetIdle(now);
    }

    int storedPeers() {
        return store.size();
    }
}
