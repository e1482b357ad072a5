package torfs.session;

/**
 * One connected peer as a status report shows it (Transmission's peer fields).
 *
 * @param address      ip:port
 * @param clientName   what its extension handshake calls it ("" when it sent none)
 * @param flagStr      Transmission's letters: D downloading from it, d it chokes us while we
 *                     want its data, U uploading to it, u we choke it while it wants ours,
 *                     K it unchokes us but we want nothing, ? we unchoke it but it wants nothing,
 *                     S snubbed (owes us data and sends none)
 * @param rateToClient bytes per second it sends us
 * @param rateToPeer   bytes per second we send it
 * @param progress     share of the pieces it has, 0 to 1
 * @param transport    tcp or utp
 */
public record PeerStatus(String address, String clientName, String flagStr, long rateToClient, long rateToPeer,
                         double progress, String transport) {
}
