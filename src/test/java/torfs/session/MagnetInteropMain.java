package torfs.session;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import torfs.metainfo.MagnetLink;
import torfs.metainfo.MetainfoParser;
import torfs.metainfo.Torrent;

/**
 * Run by native-test/magnet/magnet-interop.sh inside a loopback-only namespace.
 * {@code fetch MAGNET TORRENT}: fetches the metadata from the magnet's x.pe peers and checks it
 * is TORRENT's info dictionary. {@code seed TORRENT DATA_DIR IP PORT}: seeds until killed,
 * printing "seeding" once it listens. Exit 0 on success, 1 with a message otherwise.
 */
public final class MagnetInteropMain {
    private MagnetInteropMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("fetch")) {
            fetch(MagnetLink.parse(args[1]), MetainfoParser.parse(Path.of(args[2])));
        } else {
            seed(MetainfoParser.parse(Path.of(args[1])), Path.of(args[2]), args[3], Integer.parseInt(args[4]));
        }
    }

    private static void fetch(MagnetLink magnet, Torrent expected) throws Exception {
        ClientSettings s = ClientSettings.defaults().withPort(0).withBind(InetAddress.getByName("127.0.0.1"));
        try (Client c = Client.start(s)) {
            MetadataFetch f = c.fetchMetadata(magnet.infoHash());
            f.addPeers(magnet.peers());
            byte[] info;
            try {
                info = f.result().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.out.println("FAIL no metadata from " + magnet.peers() + ": " + e);
                System.exit(1);
                return;
            }
            Torrent t = MetainfoParser.parse(magnet.torrentFile(info));
            if (!t.infoHash().equals(expected.infoHash()) || !java.util.Arrays.equals(info, expected.rawInfo())) {
                System.out.println("FAIL fetched metadata differs from the .torrent's");
                System.exit(1);
            }
            System.out.println("ok fetched metadata from libtorrent: " + info.length + " bytes, "
                    + t.name() + " " + t.infoHash() + " from " + f.peersWithMetadata());
        }
    }

    private static void seed(Torrent t, Path dataDir, String ip, int port) throws Exception {
        ClientSettings s = ClientSettings.defaults().withPort(port).withBind(InetAddress.getByName(ip));
        try (Client c = Client.start(s)) {
            TorrentSession session = c.add(t, dataDir);
            if (!session.isComplete()) {
                System.out.println("FAIL data under " + dataDir + " is not complete");
                System.exit(1);
            }
            System.out.println("seeding " + t.infoHash() + " on " + ip + ":" + port);
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
