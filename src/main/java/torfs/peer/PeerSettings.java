package torfs.peer;

/**
 * Limits of one peer connection.
 *
 * @param maxIncomingRequests  requests we queue from a peer before rejecting (we announce it as reqq)
 * @param maxDepth             our pipeline cap (lower toward a peer that announces a smaller reqq):
 *                             every request the peer has read from its disk is in flight and
 *                             cannot be cancelled, so a deeper queue delays an urgent block
 * @param requestTimeoutNanos  a block not answered this long is given back to the picker
 * @param snubNanos            a peer that sends no block this long while we wait is snubbed
 * @param idleNanos            a peer that sends nothing at all this long is dropped
 * @param keepAliveNanos       we send a keep-alive when we sent nothing for this long
 * @param client               our client name in the extension handshake
 */
public record PeerSettings(int maxIncomingRequests, int maxDepth, long requestTimeoutNanos,
                           long snubNanos, long idleNanos, long keepAliveNanos, String client) {
    private static final long S = 1_000_000_000L;

    public static PeerSettings defaults() {
        return new PeerSettings(500, 250, 20 * S, 60 * S, 180 * S, 90 * S,
                "TorFS");
    }
}
