package torfs.session;

/**
 * Numbers of one torrent at the last one-second tick.
 *
 * @param downloaded    payload bytes received that we kept
 * @param uploaded      payload bytes sent
 * @param wasted        payload bytes received that we did not need (duplicates, unrequested)
 * @param downloadRate  bytes per second, all peers
 * @param uploadRate    bytes per second, all peers
 * @param peers         open connections
 * @param verified      verified pieces
 * @param pieces        pieces in the torrent
 * @param left          bytes not verified yet
 * @param hashFailures  pieces that failed their hash
 */
public record SessionStats(long downloaded, long uploaded, long wasted, long downloadRate,
                           long uploadRate, int peers, int verified, int pieces, long left,
                           int hashFailures) {
}
