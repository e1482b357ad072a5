package torfs.peer;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.TreeMap;
import torfs.wire.DontHaveMessage;
import torfs.wire.ExtensionHandshake;
import torfs.wire.Handshake;
import torfs.wire.MetadataMessage;
import torfs.wire.PeerMessage;
import torfs.wire.PexMessage;
import torfs.wire.WireException;

/**
 * One connection's extension traffic: BEP 10 (our extension handshake, and what the peer's says:
 * its extension ids, client, reqq and listening port), the extended messages we speak (ut_metadata
 * served by {@link MetadataServer}, ut_pex admitted by {@link PexGate} and passed to the torrent)
 * and BEP 5's PORT message. It decides and {@link PeerConnection} sends: methods return the
 * message to send, or null for none. Lives on the connection's event loop.
 */
final class PeerExtensions {
    private final PeerConnection peer;
    private final Handshake theirs;
    private final PeerListener listener;
    private final PeerSettings settings;
    private final PexGate pexGate = new PexGate();
    private MetadataServer metadataServer;
    private Map<String, Integer> peerExtensions = Map.of();
    private String peerClient = "";
    private int peerRequestQueue;
    private int peerListenPort;

    PeerExtensions(PeerConnection peer, Handshake theirs, PeerListener listener, PeerSettings settings) {
        this.peer = peer;
        this.theirs = theirs;
        this.listener = listener;
        this.settings = settings;
    }

    /** The extensions the peer named in its handshake, by name, with the ids it wants. */
    Map<String, Integer> peerExtensions() {
        return peerExtensions;
    }

    String peerClient() {
        return peerClient;
    }

    /** The peer's reqq, 0 if it announced none. */
    int peerRequestQueue() {
        return peerRequestQueue;
    }

    /** The TCP port the peer says it listens on (its {@code p}), 0 if unknown. */
    int peerListenPort() {
        return peerListenPort;
    }

    /** Our extension handshake, or null when the peer did not set the extension bit. */
    PeerMessage.Extended ourHandshake() {
        if (!theirs.supportsExtensions()) {
            return null;
        }
        int metadataSize = metadataServer().size(); // 0 for a private torrent: not offered
        Map<String, Integer> m = new TreeMap<>();
        if (metadataSize > 0) {
            m.put(MetadataMessage.NAME, MetadataMessage.LOCAL_ID);
        }
        // BEP 27: a private torrent's peers come from its trackers only, so no ut_pex
        if (!listener.torrentIsPrivate()) {
            m.put(PexMessage.NAME, PexMessage.LOCAL_ID);
        }
        m.put(DontHaveMessage.NAME, DontHaveMessage.LOCAL_ID); // BEP 54: we may drop pieces (a capped cache)
        return new ExtensionHandshake(m, settings.client(), settings.maxIncomingRequests(), metadataSize,
                settings.listenPort())
                .toMessage();
    }

    /**
     * Takes an extended message received at {@code now}; returns our answer (a ut_metadata block
     * or reject), or null.
     *
     * @param writable whether the channel's send buffer has room
     * @throws WireException when the peer breaks the protocol: the connection ends
     */
    PeerMessage onExtended(PeerMessage.Extended e, long now, boolean writable) {
        if (!theirs.supportsExtensions()) {
            throw new WireException("extended message without the extension bit");
        }
        if (e.extId() == 0) {
            ExtensionHandshake h = ExtensionHandshake.parse(e.payload());
            peerExtensions = h.extensions();
            peerClient = h.client();
            peerRequestQueue = h.requestQueue();
            peerListenPort = h.listenPort();
        } else if (e.extId() == MetadataMessage.LOCAL_ID) {
            return answerMetadata(MetadataMessage.parse(e.payload()), writable);
        } else if (e.extId() == DontHaveMessage.LOCAL_ID) {
            peer.peerDropped(DontHaveMessage.decode(e.payload(), peer.pieceCount()));
        } else if (e.extId() == PexMessage.LOCAL_ID && !listener.torrentIsPrivate()) {
            PexMessage pex = PexMessage.decode(e.payload());
            pexGate.admit(pex, now);
            listener.onPexPeers(peer, pex.added()); // dropped ones: their connections end anyway
        }
        // other extensions are not spoken yet: ignore. For a private torrent ut_pex is one
        // of them: we never advertised it, so a peer sending it just wastes its bytes
        return null;
    }

    /** BEP 9: a block of our info dictionary, or a reject (private, out of range, too many). */
    private PeerMessage answerMetadata(MetadataMessage m, boolean writable) {
        Integer theirId = peerExtensions.get(MetadataMessage.NAME);
        MetadataMessage answer = metadataServer().answer(m, writable);
        return answer != null && theirId != null && theirId > 0 ? answer.toMessage(theirId) : null;
    }

    private MetadataServer metadataServer() {
        if (metadataServer == null) {
            metadataServer = new MetadataServer(listener.metadata());
        }
        return metadataServer;
    }

    /**
     * Extended message {@code extension} with the id the peer asked for; null when the peer
     * does not speak it (or did not say yet).
     */
    PeerMessage.Extended extended(String extension, byte[] payload) {
        Integer peersId = peerExtensions.get(extension);
        return peersId == null || peersId == 0 ? null : new PeerMessage.Extended(peersId, payload);
    }

    /** Our PORT message for a peer that set the DHT bit (BEP 5), or null. */
    PeerMessage.Port dhtPort(int udpPort) {
        return theirs.supportsDht() ? new PeerMessage.Port(udpPort) : null;
    }

    /** A PORT message from a peer at {@code remote}: its DHT node goes to the torrent. */
    void onPort(PeerMessage.Port port, SocketAddress remote) {
        // BEP 5; libtorrent sometimes sends it without the DHT bit: ignored, not an error
        if (theirs.supportsDht() && port.port() != 0 && remote instanceof InetSocketAddress a) {
            listener.onDhtPort(peer, new InetSocketAddress(a.getAddress(), port.port()));
        }
    }
}
