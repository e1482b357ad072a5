/**
 * The mainline DHT (BEP 5) with BEP 42 node ids, on the client's shared UDP socket
 * ({@link torfs.transport.UdpEndpoint}).
 *
 * <p>The integrator's API: {@link torfs.dht.DhtNode#start(torfs.dht.DhtSettings, torfs.transport.UdpEndpoint)},
 * {@link torfs.dht.DhtNode#addNode}, {@link torfs.dht.DhtNode#lookup},
 * {@link torfs.dht.DhtNode#routingTableSize}, {@link torfs.dht.DhtNode#stats},
 * {@link torfs.dht.DhtNode#close}; {@link torfs.dht.DhtSettings} (with
 * {@link torfs.dht.DhtSettings#PUBLIC_ROUTERS} for users, never in tests) and the records
 * {@link torfs.dht.LookupResult} and {@link torfs.dht.DhtStats}. Everything else is package-private:
 * <ul>
 * <li>{@code KrpcCodec}, {@code KrpcMessage}, {@code Compact}: the wire, strict and bounded;</li>
 * <li>{@code NodeId}, {@code RoutingTable}, {@code RoutingEntry}: ids, XOR distance, buckets;</li>
 * <li>{@code Responder}, {@code Tokens}, {@code PeerStore}, {@code SourceRateLimit}: answering others;</li>
 * <li>{@code Lookup}, {@code Rpc}: our iterative find_node and get_peers (+ announce_peer);</li>
 * <li>{@code DhtState}: the state file.</li>
 * </ul>
 * The pure parts take time as an argument and are tested without a network; {@code DhtNode}
 * confines all of them to the endpoint's event loop.
 */
package torfs.dht;

