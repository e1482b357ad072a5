package torfs.session;

import java.util.Collection;
import java.util.function.LongSupplier;
import torfs.peer.PeerConnection;

/**
 * A session's transfer counters: bytes downloaded (first copies), bytes wasted (duplicates, and
 * the unrequested blocks of its peers, closed ones included), hash failures, and the rates of
 * the last second; {@link #snapshot} turns them into the {@link SessionStats} a status shows.
 * On the session's loop.
 */
final class TransferCounters {
    long downloaded;
    long wasted;
    /** Unrequested bytes that peers now closed sent (each connection counts its own). */
    long closedPeersWasted;
    int hashFailures;
    private long lastDownloaded;
    private long lastUploaded;
    private long downRate;
    private long upRate;

    /** Once a second: the rates since the last tick. */
    void tick(LongSupplier uploaded) {
        downRate = downloaded - lastDownloaded;
        upRate = uploaded.getAsLong() - lastUploaded;
        lastDownloaded = downloaded;
        lastUploaded = uploaded.getAsLong();
    }

    SessionStats snapshot(long uploaded, Collection<PeerConnection> peers, int verifiedPieces, int pieceCount,
                          long left) {
        long allWasted = wasted + closedPeersWasted; // the session's duplicates and peers' unrequested blocks
        int open = 0; // a peer closed just now (a pause's) leaves the map a task later: not counted
        for (PeerConnection p : peers) {
            allWasted += p.wasted();
            open += p.isOpen() ? 1 : 0;
        }
        return new SessionStats(downloaded, uploaded, allWasted, downRate, upRate, open,
                verifiedPieces, pieceCount, left, hashFailures);
    }
}
