package torfs.session;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import torfs.metainfo.MetainfoParser;
import torfs.metainfo.Torrent;
import torfs.picker.Priority;

/**
 * Run inside the namespace by native-test/pex/libtorrent-pex-interop.sh: our client on
 * 127.0.0.1 is given one libtorrent seeder and must end up connected to another it can only
 * have learnt of by ut_pex. Usage: TORRENT DATA_DIR FIRST_IP:PORT EXPECTED_IP SECONDS.
 */
public final class LibtorrentPexInteropMain {
    private LibtorrentPexInteropMain() {
    }

    public static void main(String[] args) throws Exception {
        Torrent t = MetainfoParser.parse(Files.readAllBytes(Path.of(args[0])));
        String[] first = args[2].split(":");
        String expected = args[3];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[4]));
        boolean found = false;
        try (Client c = Client.start(ClientSettings.defaults().withPort(0)
                .withBind(InetAddress.getByName("127.0.0.1")))) {
            TorrentSession s = c.add(t, Path.of(args[1]));
            // want nothing: a leecher that never completes stays connected to the seeders
            s.setDefaultPriority(Priority.NONE);
            s.addPeers(List.of(new InetSocketAddress(first[0], Integer.parseInt(first[1]))));
            while (!found && System.nanoTime() < deadline) {
                Thread.sleep(200);
                List<InetSocketAddress> peers = s.loop().submit(s::peerAddresses).get(5, TimeUnit.SECONDS);
                for (InetSocketAddress a : peers) {
                    if (a.getAddress().getHostAddress().equals(expected)) {
                        System.out.println("connected to " + a.getAddress().getHostAddress() + ":" + a.getPort());
                        found = true;
                    }
                }
            }
            System.out.println("peers at the end: " + s.loop().submit(s::peerAddresses).get(5, TimeUnit.SECONDS));
        }
        System.out.println(found ? "OK libtorrent pex interop" : "FAIL: never connected to " + expected);
        System.exit(found ? 0 : 1);
    }
}
