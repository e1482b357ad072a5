package torfs.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One iterative Kademlia lookup (BEP 5): find_node toward a target, or get_peers for an
 * info-hash. Keeps candidates sorted by distance, asks the nearest not yet asked with at most
 * {@code alpha} queries in flight, and ends when the {@link RoutingTable#K} nearest nodes that
 * did not fail have all answered (or nobody is left to ask). Peers go to the callback as they
 * arrive, deduplicated. A get_peers lookup may then announce to the K nearest that gave a
 * token. Confined to the node's loop; queries never answer re-entrantly ({@link Rpc}).
 */
final class Lookup {
    private static final System.Logger LOG = System.getLogger(Lookup.class.getName());
    /** Candidates remembered; the farthest not yet asked are forgotten beyond this. */
    static final int MAX_CANDIDATES = 100;

    enum Kind { FIND_NODE, GET_PEERS }

    private enum State { NEW, ASKED, ANSWERED, FAILED }

    private static final class Candidate {
        final NodeContact contact;
        State state = State.NEW;
        byte[] token;

        Candidate(NodeContact contact) {
            this.contact = contact;
        }
    }

    private final Rpc rpc;
    private final Kind kind;
    private final NodeId target;
    private final int alpha;
    private final int announcePort;
    private final Consumer<List<InetSocketAddress>> peersFound;
    private final TreeMap<NodeId, Candidate> candidates;
    private final Set<InetSocketAddress> addresses = new HashSet<>();
    private final Set<InetSocketAddress> peers = new HashSet<>();
    private final CompletableFuture<LookupResult> done = new CompletableFuture<>();
    private int inFlight;
    private int queried;
    private int responded;
    private int announced;
    private int announcesPending;
    private boolean searching = true;
    private boolean callbackFailed;

    /**
     * {@code announcePort}: -1 for none, 0 to announce with implied_port (the port our
     * datagrams come from), else the TCP port peers should connect to.
     */
    Lookup(Rpc rpc, Kind kind, NodeId target, int alpha, int announcePort, Consumer<List<InetSocketAddress>> peersFound) {
        this.rpc = rpc;
        this.kind = kind;
        this.target = target;
        this.alpha = alpha;
        this.announcePort = kind == Kind.GET_PEERS ? announcePort : -1;
        this.peersFound = peersFound;
        this.candidates = new TreeMap<>(target::closer);
    }

    CompletableFuture<LookupResult> start(List<NodeContact> seeds) {
        for (NodeContact c : seeds) {
            consider(c);
        }
        step();
        return done;
    }

    CompletableFuture<LookupResult> future() {
        return done;
    }

    /** Ends the lookup with what it has (the node is closing). */
    void abort() {
        searching = false;
        finish();
    }

    private void consider(NodeContact c) {
        if (c.id().equals(rpc.ownId()) || !rpc.allowed(c.address()) || candidates.containsKey(c.id())
                || !addresses.add(c.address())) {
            return;
        }
        candidates.put(c.id(), new Candidate(c));
        if (candidates.size() > MAX_CANDIDATES) {
            Map.Entry<NodeId, Candidate> far = candidates.lastEntry();
            if (far.getValue().state == State.NEW) {
                candidates.pollLastEntry();
            }
        }
    }

    private void step() {
        if (!searching) {
            return;
        }
        int seen = 0;
        boolean allAnswered = true;
        for (Candidate c : candidates.values()) {
            if (seen >= RoutingTable.K) {
                break;
            }
            if (c.state == State.FAILED) {
                continue;
            }
            seen++;
            if (c.state != State.ANSWERED) {
                allAnswered = false;
            }
            if (c.state == State.NEW && inFlight < alpha) {
                ask(c);
            }
        }
        if ((allAnswered && seen > 0) || inFlight == 0) {
            searching = false;
            announce();
        }
    }

    private void ask(Candidate c) {
        c.state = State.ASKED;
        inFlight++;
        queried++;
        NodeId own = rpc.ownId();
        rpc.query(c.contact.address(), tid -> kind == Kind.FIND_NODE
                ? KrpcMessage.Query.findNode(tid, own, target)
                : KrpcMessage.Query.getPeers(tid, own, target), new Rpc.Reply() {
            @Override
            public void answered(KrpcMessage.Response r) {
                inFlight--;
                c.state = State.ANSWERED;
                c.token = r.token();
                responded++;
                for (NodeContact n : r.nodes()) {
                    consider(n);
                }
                if (kind == Kind.GET_PEERS && !r.peers().isEmpty() && !done.isDone()) {
                    List<InetSocketAddress> fresh = new ArrayList<>();
                    for (InetSocketAddress p : r.peers()) {
                        if (peers.add(p)) {
                            fresh.add(p);
                        }
                    }
                    if (!fresh.isEmpty()) {
                        deliver(List.copyOf(fresh));
                    }
                }
                step();
            }

            @Override
            public void failed() {
                inFlight--;
                c.state = State.FAILED;
                step();
            }
        });
    }

    /** A caller's exception must not stop the lookup (or reach the socket): logged once per lookup. */
    private void deliver(List<InetSocketAddress> fresh) {
        try {
            peersFound.accept(fresh);
        } catch (RuntimeException e) {
            if (!callbackFailed) {
                callbackFailed = true;
                LOG.log(System.Logger.Level.WARNING, "DHT peer callback failed: {0}", e.toString());
            }
        }
    }

    /** announce_peer to the K nearest that answered with a token; then the lookup is done. */
    private void announce() {
        if (announcePort < 0 || done.isDone()) {
            finish();
            return;
        }
        List<Candidate> targets = new ArrayList<>();
        for (Candidate c : candidates.values()) {
            if (targets.size() >= RoutingTable.K) {
                break;
            }
            if (c.state == State.ANSWERED && c.token != null) {
                targets.add(c);
            }
        }
        announcesPending = targets.size();
        if (announcesPending == 0) {
            finish();
            return;
        }
        NodeId own = rpc.ownId();
        for (Candidate c : targets) {
            rpc.query(c.contact.address(), tid -> KrpcMessage.Query.announcePeer(tid, own, target,
                    announcePort, announcePort == 0, c.token), new Rpc.Reply() {
                @Override
                public void answered(KrpcMessage.Response r) {
                    announced++;
                    announceEnded();
                }

                @Override
                public void failed() {
                    announceEnded();
                }
            });
        }
    }

    private void announceEnded() {
        if (--announcesPending == 0) {
            finish();
        }
    }

    private void finish() {
        done.complete(new LookupResult(queried, responded, peers.size(), announced));
    }
}
