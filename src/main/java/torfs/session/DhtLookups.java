package torfs.session;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import torfs.dht.DhtNode;

/**
 * A torrent's DHT lookups: at start and every {@value #INTERVAL_MINUTES} minutes, get_peers
 * for its info-hash (the peers found go to the session) and announce_peer with our listen
 * port. Never for a private torrent (BEP 27): the client does not make one for it.
 */
final class DhtLookups {
    static final int INTERVAL_MINUTES = 15;

    private final DhtNode dht;
    private final TorrentSession session;
    private final int port;
    private final EventLoop loop;
    private ScheduledFuture<?> next;
    private boolean stopped;

    DhtLookups(DhtNode dht, TorrentSession session, int port, EventLoop loop) {
        this.dht = dht;
        this.session = session;
        this.port = port;
        this.loop = loop;
    }

    void start() {
        loop.execute(this::run);
    }

    private void run() {
        if (stopped) {
            return;
        }
        dht.lookup(session.torrent().infoHash(), port, session::addPeers);
        next = loop.schedule(this::run, INTERVAL_MINUTES, TimeUnit.MINUTES);
    }

    void stop() {
        loop.execute(() -> {
            stopped = true;
            if (next != null) {
                next.cancel(false);
            }
        });
    }
}
