package torfs.session;

/**
 * How a torrent's DHT lookups went, for the status: the last get_peers lookup (and its
 * announce_peer) and when the next one runs.
 *
 * @param lookingUp          a lookup runs now
 * @param lastLookupMillis   epoch millis the last finished lookup began, 0 for none yet
 * @param lastPeerCount      distinct peers it found
 * @param lastNodeCount      nodes that answered it
 * @param lastAnnounceCount  nodes that took our announce_peer
 * @param nextLookupMillis   epoch millis of the next lookup, 0 when none is scheduled (paused)
 */
public record DhtLookupStatus(boolean lookingUp, long lastLookupMillis, int lastPeerCount, int lastNodeCount,
                              int lastAnnounceCount, long nextLookupMillis) {
    static final DhtLookupStatus NONE = new DhtLookupStatus(false, 0, 0, 0, 0, 0);
}
