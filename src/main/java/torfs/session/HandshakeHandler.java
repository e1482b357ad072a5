package torfs.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import torfs.transport.mse.MseInitiator;
import torfs.wire.Handshake;

/**
 * The first exchange on a connection. Outgoing: send our handshake, check theirs names the
 * same torrent. Incoming: read theirs first, find the torrent by info-hash, then answer. A
 * connection that does not complete its handshake in time is closed. On success the torrent
 * replaces this handler with the connection's {@link torfs.peer.PeerConnection}.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {
    static final String NAME = "handshake";
    private static final System.Logger LOG = System.getLogger(HandshakeHandler.class.getName());
    private static final long TIMEOUT_SECONDS = 10;
    /**
     * How long an incoming handshake waits for its torrent's data check: just under the 10 s a
     * dialler waits for our answer (ours above, libtorrent's handshake_timeout), so that we
     * close first; a check of a few GB ends within it.
     */
    static final long PARK_SECONDS = 9;

    private final Client client;
    /** The torrent we dialled for, or null for an incoming connection. */
    private final TorrentSession outgoing;
    /** The address we dialled, or null for an incoming connection. */
    private final InetSocketAddress dialled;
    private ScheduledFuture<?> timeout;
    private boolean done;
    /** Set while an incoming handshake waits for its torrent's data check. */
    private boolean parked;

    HandshakeHandler(Client client, TorrentSession outgoing, InetSocketAddress dialled) {
        this.client = client;
        this.outgoing = outgoing;
        this.dialled = dialled;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        torfs.log.StartTrace.mark("first connection");
        timeout = ctx.executor().schedule(() -> {
            if (!done) {
                ctx.close();
            }
        }, TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (outgoing != null) {
            ctx.writeAndFlush(ours(outgoing));
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (done || !(msg instanceof Handshake theirs)) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        done = true;
        torfs.log.StartTrace.mark("first handshake received");
        if (timeout != null) {
            timeout.cancel(false);
        }
        TorrentSession session = outgoing != null ? outgoing : client.sessionFor(theirs.infoHash());
        CompletableFuture<TorrentSession> arriving =
                session == null && outgoing == null ? client.arriving(theirs.infoHash()) : null;
        if (arriving != null) {
            park(ctx, theirs, arriving);
            return;
        }
        MetadataFetch fetch = session == null && outgoing == null ? client.fetchFor(theirs.infoHash()) : null;
        if (fetch != null) {
            fetch.acceptIncoming(ctx.channel(), theirs, NAME); // a magnet's seeder found us
            return;
        }
        answer(ctx, theirs, session);
    }

    /**
     * Holds an incoming handshake for a torrent whose data is being checked: no answer and no
     * reading until its session starts (then answered as usual), its add fails, or
     * {@link #PARK_SECONDS} pass (closed: the peer retries later, as it would have at once).
     */
    private void park(ChannelHandlerContext ctx, Handshake theirs,
                      CompletableFuture<TorrentSession> arriving) {
        parked = true;
        ctx.channel().config().setAutoRead(false);
        timeout = ctx.executor().schedule(() -> {
            if (parked) {
                ctx.close();
            }
        }, PARK_SECONDS, TimeUnit.SECONDS);
        arriving.whenComplete((session, failure) -> ctx.executor().execute(() -> {
            if (!parked) {
                return; // timed out or closed meanwhile
            }
            parked = false;
            timeout.cancel(false);
            if (ctx.channel().isActive()) {
                answer(ctx, theirs, session);
            }
        }));
    }

    /** Answers a handshake for {@code session} (null: no torrent of ours) and hands the channel on. */
    private void answer(ChannelHandlerContext ctx, Handshake theirs, TorrentSession session) {
        if (session == null || !session.torrent().infoHash().equals(theirs.infoHash())) {
            ctx.close();
            if (outgoing != null) {
                outgoing.connectFailed(dialled);
            }
            return;
        }
        if (outgoing == null) {
            ctx.writeAndFlush(ours(session));
        }
        session.attach(ctx.channel(), theirs, NAME, dialled);
    }

    /** The DHT bit only when a DHT runs and the torrent is not private (BEP 27). */
    private Handshake ours(TorrentSession s) {
        return Handshake.ours(s.torrent().infoHash(), client.peerId(), client.dhtPort() > 0 && !s.isPrivate());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        parked = false;
        if (!done && outgoing != null && !MseInitiator.retriedInPlaintext(ctx.channel())) {
            outgoing.connectFailed(dialled); // closed before the handshake: retry later
        }
        if (timeout != null) {
            timeout.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "handshake failed", cause);
        ctx.close();
    }
}
