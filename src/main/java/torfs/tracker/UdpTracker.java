package torfs.tracker;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A UDP tracker (BEP 15): connect, then announce with the connection id (valid 60 s);
 * a request without a reply is resent after base * 2^n, n = 0..maxRetries.
 */
public final class UdpTracker implements Tracker {
    static final long PROTOCOL_ID = 0x41727101980L;
    static final int ACTION_CONNECT = 0;
    static final int ACTION_ANNOUNCE = 1;
    static final int ACTION_ERROR = 3;
    private static final long CONNECTION_ID_LIFETIME_NANOS = 60_000_000_000L;

    private final String url;
    private final String host;
    private final int port;
    private final UdpSocket socket;
    private final TrackerSettings settings;
    private volatile InetSocketAddress address;
    private volatile long connectionId;
    private volatile long connectedAtNanos;
    private volatile boolean connected;

    UdpTracker(String announceUrl, UdpSocket socket, TrackerSettings settings) throws TrackerException {
        URI uri;
        try {
            uri = new URI(announceUrl);
        } catch (URISyntaxException e) {
            throw new TrackerException("malformed tracker URL: " + announceUrl);
        }
        if (!"udp".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getPort() <= 0) {
            throw new TrackerException("not a UDP tracker URL (udp://host:port): " + announceUrl);
        }
        String h = uri.getHost();
        this.host = h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
        this.port = uri.getPort();
        this.url = announceUrl;
        this.socket = socket;
        this.settings = settings;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public CompletableFuture<AnnounceResponse> announce(AnnounceRequest request) {
        return resolve().thenCompose(to -> attempt(to, request, 0));
    }

    private CompletableFuture<InetSocketAddress> resolve() {
        InetSocketAddress a = address;
        if (a != null) {
            return CompletableFuture.completedFuture(a);
        }
        // a host name lookup blocks: keep it off the event loops
        return CompletableFuture.supplyAsync(() -> {
            InetSocketAddress r = new InetSocketAddress(host, port);
            if (r.isUnresolved()) {
                throw new CompletionException(new TrackerException("cannot resolve tracker host " + host));
            }
            address = r;
            return r;
        });
    }

    private CompletableFuture<AnnounceResponse> attempt(InetSocketAddress to, AnnounceRequest r, int n) {
        if (n > settings.udpMaxRetries()) {
            return CompletableFuture.failedFuture(new TrackerException("UDP tracker did not answer after "
                    + (n) + " tries"));
        }
        long timeout = settings.udpBaseTimeout().toMillis() << n;
        boolean fresh = connected && System.nanoTime() - connectedAtNanos < CONNECTION_ID_LIFETIME_NANOS;
        CompletableFuture<AnnounceResponse> step = fresh
                ? socket.exchange(to, timeout, txid -> announcePacket(connectionId, txid, r))
                        .thenApply(reply -> announceReply(reply, to))
                : socket.exchange(to, timeout, UdpTracker::connectPacket).thenApply(reply -> {
                    connectReply(reply);
                    return null;
                });
        return step.handle((resp, e) -> {
            if (e == null) {
                // a connect succeeded (resp == null): announce at the same n; else done
                return resp == null ? attempt(to, r, n) : CompletableFuture.completedFuture(resp);
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof UdpSocket.Timeout) {
                return attempt(to, r, n + 1);
            }
            return CompletableFuture.<AnnounceResponse>failedFuture(cause);
        }).thenCompose(f -> f);
    }

    static byte[] connectPacket(int txid) {
        return ByteBuffer.allocate(16).putLong(PROTOCOL_ID).putInt(ACTION_CONNECT).putInt(txid).array();
    }

    static byte[] announcePacket(long connectionId, int txid, AnnounceRequest r) {
        return ByteBuffer.allocate(98).putLong(connectionId).putInt(ACTION_ANNOUNCE).putInt(txid)
                .put(r.infoHash().bytes()).put(r.peerId())
                .putLong(r.downloaded()).putLong(r.left()).putLong(r.uploaded())
                .putInt(r.event().udpCode()).putInt(0) // IP 0: the tracker uses the sender's
                .putInt(r.key()).putInt(r.numWant() < 0 ? -1 : r.numWant()).putShort((short) r.port())
                .array();
    }

    // package-private (not private) so the fuzz tests can feed them datagrams
    void connectReply(byte[] reply) {
        int action = action(reply);
        if (action == ACTION_CONNECT && reply.length >= 16) {
            connectionId = ByteBuffer.wrap(reply, 8, 8).getLong();
            connectedAtNanos = System.nanoTime();
            connected = true;
            return;
        }
        throw new CompletionException(failure(reply, action, "connect"));
    }

    AnnounceResponse announceReply(byte[] reply, InetSocketAddress to) {
        int action = action(reply);
        if (action != ACTION_ANNOUNCE || reply.length < 20) {
            throw new CompletionException(failure(reply, action, "announce"));
        }
        ByteBuffer b = ByteBuffer.wrap(reply, 8, 12);
        long interval = b.getInt() & 0xffffffffL;
        long leechers = b.getInt() & 0xffffffffL;
        long seeders = b.getInt() & 0xffffffffL;
        int entry = to.getAddress() instanceof Inet6Address ? PeerAddresses.COMPACT_V6 : PeerAddresses.COMPACT_V4;
        List<InetSocketAddress> peers;
        try {
            peers = PeerAddresses.compact(reply, 20, reply.length - 20, entry, "peers");
        } catch (TrackerException e) {
            throw new CompletionException(e);
        }
        return AnnounceResponse.normalized(interval, 0, peers, seeders, leechers, Optional.empty(), Optional.empty());
    }

    private static int action(byte[] reply) {
        return ByteBuffer.wrap(reply, 0, 4).getInt();
    }

    private TrackerException failure(byte[] reply, int action, String what) {
        if (action == ACTION_ERROR) {
            connected = false; // some trackers answer an expired connection id with an error
            return new TrackerException("tracker failure: "
                    + HttpAnnounceParser.sanitize(new String(reply, 8, reply.length - 8, StandardCharsets.UTF_8)));
        }
        return new TrackerException("bad UDP tracker reply to " + what + ": action " + action + ", "
                + reply.length + " bytes");
    }
}
