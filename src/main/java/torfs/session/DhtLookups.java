package torfs.session;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import torfs.dht.DhtNode;

/**
 * A torrent's DHT lookups: at start and every {@value #INTERVAL_MINUTES} minutes, get_peers
 * for its info-hash (the peers found go to the session) and announce_peer with our listen
 * port. Never for a private torrent (BEP 27): the client does not make one for it. Stopped
 * while the torrent is paused and started again (a lookup at once) on resume; {@link #status()}
 * keeps the last lookup's result across a pause.
 */
final class DhtLookups {
    static final int INTERVAL_MINUTES = 15;

    private final DhtNode dht;
    private final TorrentSession session;
    private final int port;
    private final EventLoop loop;
    private ScheduledFuture<?> next;
    private boolean stopped;
    /** Read from any thread; replaced whole. */
    private volatile DhtLookupStatus status = DhtLookupStatus.NONE;

    DhtLookups(DhtNode dht, TorrentSession session, int port, EventLoop loop) {
        this.dht = dht;
        this.session = session;
        this.port = port;
        this.loop = loop;
    }

    /** Looks up now and every 15 minutes (again after a {@link #stop()}). */
    void start() {
        loop.execute(() -> {
            stopped = false;
            cancelNext();
            run();
        });
    }

    private void run() {
        if (stopped) {
            return;
        }
        long began = System.currentTimeMillis();
        long nextAt = began + TimeUnit.MINUTES.toMillis(INTERVAL_MINUTES);
        DhtLookupStatus s = status;
        status = new DhtLookupStatus(true, s.lastLookupMillis(), s.lastPeerCount(), s.lastNodeCount(),
                s.lastAnnounceCount(), nextAt);
        dht.lookup(session.torrent().infoHash(), port, session::addPeers).whenComplete((r, e) -> loop.execute(() -> {
            DhtLookupStatus now = status;
            status = r == null ? new DhtLookupStatus(false, now.lastLookupMillis(), now.lastPeerCount(),
                    now.lastNodeCount(), now.lastAnnounceCount(), now.nextLookupMillis())
                    : new DhtLookupStatus(false, began, r.peers(), r.responded(), r.announced(),
                    now.nextLookupMillis());
        }));
        next = loop.schedule(this::run, INTERVAL_MINUTES, TimeUnit.MINUTES);
    }

    void stop() {
        loop.execute(() -> {
            stopped = true;
            cancelNext();
            DhtLookupStatus s = status;
            status = new DhtLookupStatus(s.lookingUp(), s.lastLookupMillis(), s.lastPeerCount(), s.lastNodeCount(),
                    s.lastAnnounceCount(), 0);
        });
    }

    private void cancelNext() {
        if (next != null) {
            next.cancel(false);
            next = null;
        }
    }

    DhtLookupStatus status() {
        return status;
    }
}
