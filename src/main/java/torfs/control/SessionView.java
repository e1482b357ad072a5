package torfs.control;

/**
 * The process as a whole, as the API tells it (qBittorrent's transfer limits in bytes/s).
 *
 * @param port          the one listening port
 * @param uploadLimit   bytes/s shared by every torrent, 0 for none
 * @param downloadLimit bytes/s shared by every torrent, 0 for none
 * @param torrentCount  torrents served
 * @param dhtState      the process's DHT node: off, bootstrapping (joining through its bootstrap
 *                      nodes) or ready
 * @param dhtNodes      live nodes in its routing table (0 when off)
 * @param pid           the process serving the mount: {@code torfs unmount} waits for it to end
 */
public record SessionView(int port, long uploadLimit, long downloadLimit, int torrentCount, String dhtState,
                          int dhtNodes, long pid) {
}
