package torfs.dht;

/**
 * How one {@link DhtNode#lookup} went.
 *
 * @param queried   nodes queried
 * @param responded nodes that answered
 * @param peers     distinct peers found
 * @param announced nodes that accepted our announce_peer (0 when not announcing)
 */
public record LookupResult(int queried, int responded, int peers, int announced) {
}
