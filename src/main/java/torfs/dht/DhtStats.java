package torfs.dht;

/**
 * Counters of a {@link DhtNode} since it started, for a status page and for measuring what the
 * DHT costs at rest.
 *
 * @param packetsIn          KRPC datagrams received
 * @param packetsOut         datagrams sent
 * @param bytesIn            bytes received in KRPC datagrams
 * @param bytesOut           bytes sent
 * @param queriesAnswered    queries from other nodes we answered (errors included)
 * @param droppedMalformed   datagrams that were not valid KRPC
 * @param droppedRateLimited queries over a source's rate limit
 * @param droppedNonLoopback sends refused by {@link DhtSettings#loopbackOnly()}
 * @param unmatchedReplies   responses and errors matching no query of ours (late or forged)
 * @param timeouts           our queries that got no answer in time
 * @param routingTableSize   live nodes in the routing table now
 * @param storedPeers        peers other nodes announced to us, held now
 */
public record DhtStats(long packetsIn, long packetsOut, long bytesIn, long bytesOut, long queriesAnswered,
                       long droppedMalformed, long droppedRateLimited, long droppedNonLoopback,
                       long unmatchedReplies, long timeouts, int routingTableSize, int storedPeers) {
}
