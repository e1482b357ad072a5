package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.geometry.PieceRange;
import torfs.metainfo.Torrent;
import torfs.picker.Priority;

/**
 * A lazy session's readahead window whose reader went away is not fetched for nobody: a raw
 * seeder that holds our requests unanswered gets a CANCEL for each once the window is dropped
 * (the handle closed), and no new request for it.
 */
class ClosedWindowWireTest {
    private static final int PIECE = 32768;

    @TempDir
    Path tmp;

    private static void send(DataOutputStream out, int id, byte[] payload) throws Exception {
        out.writeInt(1 + payload.length);
        out.writeByte(id);
        out.write(payload);
        out.flush();
    }

    /** The next message's type and payload, keep-alives skipped. */
    private static int next(DataInputStream in, byte[][] payload) throws Exception {
        while (true) {
            int len = in.readInt();
            if (len == 0) {
                continue;
            }
            int type = in.readUnsignedByte();
            payload[0] = new byte[len - 1];
            in.readFully(payload[0]);
            return type;
        }
    }

    private static String key(byte[] p) {
        ByteBuffer b = ByteBuffer.wrap(p);
        return b.getInt() + "." + b.getInt() + "." + b.getInt();
    }

    @Test
    @Timeout(60)
    void theRequestsOfADroppedWindowAreCancelled() throws Exception {
        Torrent t = TestTorrents.create(tmp.resolve("seed"), "win", PIECE, new long[] {16L * PIECE}, 7);
        try (Client leecher = Client.start(SeedToDownloadTest.on("127.0.0.1"))) {
            TorrentSession s = leecher.add(t, tmp.resolve("leech"));
            s.setDefaultPriority(Priority.NONE);
            try (Socket sock = new Socket()) {
                sock.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.3"), 0));
                sock.connect(new InetSocketAddress("127.0.0.1", leecher.port()), 5000);
                sock.setSoTimeout(20_000);
                DataInputStream in = new DataInputStream(sock.getInputStream());
                DataOutputStream out = new DataOutputStream(sock.getOutputStream());
                out.writeByte(19);
                out.write("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII));
                byte[] reserved = new byte[8];
                reserved[7] = 0x04; // BEP 6
                out.write(reserved);
                out.write(t.infoHash().bytes());
                out.write("-XX0001-raw-seed-123".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                in.readFully(new byte[68]);
                send(out, 14, new byte[0]); // HAVE_ALL
                send(out, 1, new byte[0]); // UNCHOKE

                Object window = new Object();
                s.want(window, new PieceRange(4, 12), Priority.READAHEAD, System.nanoTime(), 1_000_000);
                byte[][] p = new byte[1][];
                Set<String> requested = new HashSet<>();
                while (requested.isEmpty()) {
                    if (next(in, p) == 6) {
                        requested.add(key(p[0]));
                    }
                }
                Thread.sleep(200); // the rest of the first batch
                while (in.available() > 0) {
                    if (next(in, p) == 6) {
                        requested.add(key(p[0]));
                    }
                }
                s.forget(window); // the file was closed
                Set<String> cancelled = new HashSet<>();
                while (!cancelled.containsAll(requested)) {
                    int type = next(in, p);
                    assertThat(type).as("no new request once the window is gone").isNotEqualTo(6);
                    if (type == 8) {
                        cancelled.add(key(p[0]));
                    }
                }
                assertThat(cancelled).isEqualTo(requested);
            }
            s.stop().get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
