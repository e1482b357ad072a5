package torfs.session;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import io.netty.util.concurrent.ScheduledFuture;
import torfs.metainfo.InfoHash;
import torfs.tracker.AnnounceEvent;
import torfs.tracker.AnnounceRequest;
import torfs.tracker.Announcer;

/**
 * Looks for a torrent's peers while it has no session yet (a magnet's metadata phase): its
 * trackers, told we have nothing and want everything, and a DHT lookup now and then every
 * {@value #DHT_RETRY_SECONDS} s (the first may run before the routing table has filled).
 * Each list found goes to the consumer, on the client's loop. Closing stops both at once; the
 * trackers hear {@code stopped} in the background.
 */
public final class PeerFinding implements AutoCloseable {
    static final int DHT_RETRY_SECONDS = 10;
    /** What we tell trackers is left: unknown until the metadata arrives, but not nothing. */
    private static final long LEFT_UNKNOWN = 1L << 30;

    private final Client client;
    private final InfoHash infoHash;
    private final Consumer<Collection<InetSocketAddress>> found;
    private final Announcer announcer;
    private ScheduledFuture<?> dhtRetry;
    private volatile boolean closed;

    PeerFinding(Client client, InfoHash infoHash, List<List<String>> tiers,
                Consumer<Collection<InetSocketAddress>> found) {
        this.client = client;
        this.infoHash = infoHash;
        this.found = found;
        this.announcer = tiers.isEmpty() ? null : client.newAnnouncer(tiers, () -> new AnnounceRequest(infoHash,
                client.peerId(), client.port(), 0, 0, LEFT_UNKNOWN, AnnounceEvent.NONE, 50, client.announceKey()),
                peers -> deliver(peers));
        if (announcer != null) {
            announcer.start();
        }
        if (client.hasDht()) {
            client.loop().execute(this::lookup);
        }
    }

    private void lookup() {
        if (closed) {
            return;
        }
        client.dhtLookup(infoHash, false, this::deliver);
        dhtRetry = client.loop().schedule(this::lookup, DHT_RETRY_SECONDS, TimeUnit.SECONDS);
    }

    private void deliver(Collection<InetSocketAddress> peers) {
        if (!closed && !peers.isEmpty()) {
            found.accept(peers);
        }
    }

    @Override
    public void close() {
        closed = true;
        client.loop().execute(() -> {
            if (dhtRetry != null) {
                dhtRetry.cancel(false);
            }
        });
        if (announcer != null) {
            announcer.stop();
        }
    }
}
