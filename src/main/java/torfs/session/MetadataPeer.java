package torfs.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import torfs.metainfo.InfoHash;
import torfs.wire.ExtensionHandshake;
import torfs.wire.Handshake;
import torfs.wire.MetadataMessage;
import torfs.wire.PeerMessage;

/**
 * One connection of a {@link MetadataFetch}: our handshake, theirs (same torrent, the extension
 * bit), our extension handshake offering ut_metadata, theirs with its metadata_size; then
 * ut_metadata messages go to the fetch and everything else is dropped. A peer that has not
 * sent its extension handshake within 10 s, or breaks the protocol, is closed. Lives on the
 * client's loop.
 */
final class MetadataPeer extends ChannelInboundHandlerAdapter {
    private static final long HANDSHAKE_SECONDS = 10;
    final int number;
    final InetSocketAddress address;
    private final MetadataFetch fetch;
    private final InfoHash infoHash;
    private final byte[] ourPeerId;
    private final String clientName;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timeout;
    private boolean handshaken;
    private boolean extended;
    /** The id the peer wants ut_metadata messages sent with; 0 until known. */
    private int theirMetadataId;
    /** The size this peer advertised; 0 until it did. */
    int metadataSize;
    /** Requests that timed out at this peer. */
    int stalls;
    /** It dialled us: {@link #address} is its source port, its listening port comes in its extension handshake. */
    private final boolean incoming;
    /** An incoming peer's handshake, read before this handler took over; null once handled. */
    private Handshake theirs;
    /** The listening port its extension handshake gave, 0 if none. */
    private int listenPort;

    MetadataPeer(MetadataFetch fetch, int number, InetSocketAddress address, InfoHash infoHash,
                 byte[] ourPeerId, String clientName) {
        this(fetch, number, address, infoHash, ourPeerId, clientName, null);
    }

    /** A peer that dialled us and sent {@code theirs} (non-null): see {@link #startIncoming()}. */
    MetadataPeer(MetadataFetch fetch, int number, InetSocketAddress address, InfoHash infoHash,
                 byte[] ourPeerId, String clientName, Handshake theirs) {
        this.fetch = fetch;
        this.number = number;
        this.address = address;
        this.infoHash = infoHash;
        this.ourPeerId = ourPeerId;
        this.clientName = clientName;
        this.incoming = theirs != null;
        this.theirs = theirs;
    }

    /** Where the torrent's session can dial this peer: null for one that dialled us and gave no port. */
    InetSocketAddress dialable() {
        if (!incoming) {
            return address;
        }
        return listenPort > 0 ? new InetSocketAddress(address.getAddress(), listenPort) : null;
    }

    /** True once the peer offered metadata and can be asked for blocks. */
    boolean ready() {
        return theirMetadataId > 0 && metadataSize > 0 && ctx != null && ctx.channel().isActive();
    }

    void request(int piece) {
        ctx.writeAndFlush(MetadataMessage.request(piece).toMessage(theirMetadataId));
    }

    void close() {
        if (ctx != null) {
            ctx.close();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx; // an incoming peer's channel is active already: no channelActive comes
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        greet();
        ctx.fireChannelActive();
    }

    /** An incoming peer, once this handler is in its pipeline: our handshake answers theirs. */
    void startIncoming() {
        greet();
        Handshake h = theirs;
        theirs = null;
        onHandshake(h);
    }

    private void greet() {
        timeout = ctx.executor().schedule(() -> {
            if (!extended) {
                ctx.close();
            }
        }, HANDSHAKE_SECONDS, TimeUnit.SECONDS);
        ctx.writeAndFlush(Handshake.ours(infoHash, ourPeerId));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Handshake h) {
                onHandshake(h);
            } else if (!handshaken) {
                ctx.close();
            } else if (msg instanceof PeerMessage.Extended e) {
                onExtended(e);
            }
            // bitfields, haves, chokes, blocks: nothing we use before we have the metadata
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHandshake(Handshake h) {
        if (handshaken || !h.infoHash().equals(infoHash) || !h.supportsExtensions()
                || Arrays.equals(h.peerId(), ourPeerId)) {
            ctx.close(); // a second handshake, another torrent, no BEP 10, or ourselves
            return;
        }
        handshaken = true;
        if (h.supportsFast()) {
            ctx.write(PeerMessage.HaveNone.INSTANCE); // BEP 6: the have-set comes first
        }
        ctx.writeAndFlush(new ExtensionHandshake(Map.of(MetadataMessage.NAME, MetadataMessage.LOCAL_ID),
                clientName, 0).toMessage());
    }

    private void onExtended(PeerMessage.Extended e) {
        if (e.extId() == 0) {
            ExtensionHandshake h = ExtensionHandshake.parse(e.payload());
            if (extended) {
                return; // a repeated handshake may not change what we agreed on
            }
            extended = true;
            timeout.cancel(false);
            theirMetadataId = h.extensions().getOrDefault(MetadataMessage.NAME, 0);
            metadataSize = h.metadataSize();
            listenPort = h.listenPort();
            fetch.peerReady(this);
        } else if (e.extId() == MetadataMessage.LOCAL_ID) {
            MetadataMessage m = MetadataMessage.parse(e.payload());
            if (m.type() == MetadataMessage.REQUEST && theirMetadataId > 0) {
                ctx.writeAndFlush(MetadataMessage.reject(m.piece()).toMessage(theirMetadataId));
            } else if (extended) {
                fetch.onMessage(this, m);
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        fetch.peerClosed(this);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a WireException or worse: this peer is done
    }
}
