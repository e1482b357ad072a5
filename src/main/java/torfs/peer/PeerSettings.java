package torfs.peer;

/**
 * Limits of one peer connection.
 *
 * @param maxIncomingRequests  requests we queue from a peer before rejecting (we announce it as reqq)
 * @param maxDepth             our pipeline cap (lower toward a peer that announces a smaller reqq):
 *                             a peer such as libtorrent reads every queued request from disk at
 *                             once, so all of them are in flight and cannot be cancelled, and a
 *                             block a read waits for comes after them. The client sets it per use
 *                             (ClientSettings: 2000 for bulk transfers, 64 for a mount); 64 blocks
 *                             (1 MiB) bound that wait to ~1 MiB of data and still allow 20 MB/s
 *                             per peer across a 50 ms path
 * @param queueNanos           time of the peer's data our queue holds beyond its measured delay
 * @param requestTimeoutNanos  a block not answered this long is given back to the picker
 * @param snubNanos            a peer that sends no block this long while we wait is snubbed
 * @param idleNanos            a peer that sends nothing at all this long is dropped
 * @param keepAliveNanos       we send a keep-alive when we sent nothing for this long
 * @param client               our client name in the extension handshake
 * @param listenPort           our TCP port, told to peers in the extension handshake (0: not told)
 */
public record PeerSettings(int maxIncomingRequests, int maxDepth, long queueNanos, long requestTimeoutNanos,
                           long snubNanos, long idleNanos, long keepAliveNanos, String client, int listenPort) {
    private static final long S = 1_000_000_000L;

    public PeerSettings(int maxIncomingRequests, int maxDepth, long queueNanos, long requestTimeoutNanos,
                        long snubNanos, long idleNanos, long keepAliveNanos, String client) {
        this(maxIncomingRequests, maxDepth, queueNanos, requestTimeoutNanos, snubNanos, idleNanos, keepAliveNanos,
                client, 0);
    }

    public PeerSettings withListenPort(int port) {
        return new PeerSettings(maxIncomingRequests, maxDepth, queueNanos, requestTimeoutNanos, snubNanos, idleNanos,
                keepAliveNanos, client, port);
    }

    public static PeerSettings defaults() {
        return new PeerSettings(500, 64, S, 20 * S, 60 * S, 180 * S, 90 * S,
                "TorFS");
    }
}
