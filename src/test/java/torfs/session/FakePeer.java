package torfs.session;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import torfs.metainfo.Torrent;

/**
 * A misbehaving peer on plain blocking sockets: it answers our handshake and then does what its
 * {@link Behaviour} says. One thread per connection; closed with the test.
 */
final class FakePeer implements AutoCloseable {
    enum Behaviour {
        /** Has everything, unchokes, answers every request with random bytes. */
        CORRUPT,
        /** Sends a 4 GiB length prefix right after the handshake. */
        HUGE_PREFIX,
        /** Has everything, unchokes, never answers a request. */
        SILENT,
        /** Fast extension: has everything, never unchokes, allows pieces 1 and 3; answers nothing. */
        CHOKING_ALLOWS_1_AND_3
    }

    private final ServerSocket server;
    private final Torrent torrent;
    private final Behaviour behaviour;
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger closedByRemote = new AtomicInteger();
    final AtomicInteger blocksSent = new AtomicInteger();
    /** Pieces of the requests received. */
    final java.util.Set<Integer> requestedPieces = java.util.concurrent.ConcurrentHashMap.newKeySet();

    FakePeer(String ip, Torrent torrent, Behaviour behaviour) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getByName(ip));
        this.torrent = torrent;
        this.behaviour = behaviour;
        Thread t = new Thread(this::acceptLoop, "fake-peer-" + behaviour);
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "fake-peer-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        Random random = new Random();
        try (s; DataInputStream in = new DataInputStream(s.getInputStream());
             DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
            in.readFully(new byte[68]);
            out.writeByte(19);
            out.write("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII));
            byte[] reserved = new byte[8];
            if (behaviour == Behaviour.CHOKING_ALLOWS_1_AND_3) {
                reserved[7] = 0x04;
            }
            out.write(reserved);
            out.write(torrent.infoHash().bytes());
            byte[] id = new byte[20];
            random.nextBytes(id);
            out.write(id);
            if (behaviour == Behaviour.HUGE_PREFIX) {
                out.writeInt(0xFFFFFFFF);
                out.write(new byte[1024]);
                out.flush();
            } else if (behaviour == Behaviour.CHOKING_ALLOWS_1_AND_3) {
                out.writeInt(1);
                out.writeByte(14); // have all
                for (int piece : new int[] {1, 3}) {
                    out.writeInt(5);
                    out.writeByte(17); // allowed fast
                    out.writeInt(piece);
                }
                out.flush();
            } else {
                int n = torrent.pieceCount();
                byte[] bits = new byte[(n + 7) / 8];
                for (int i = 0; i < n; i++) {
                    bits[i >>> 3] |= (byte) (0x80 >>> (i & 7));
                }
                out.writeInt(1 + bits.length);
                out.writeByte(5);
                out.write(bits);
                out.writeInt(1);
                out.writeByte(1); // unchoke
                out.flush();
            }
            while (true) {
                int len = in.readInt();
                if (len == 0) {
                    continue;
                }
                int msgId = in.readUnsignedByte();
                byte[] payload = new byte[len - 1];
                in.readFully(payload);
                if (msgId == 6) {
                    requestedPieces.add(java.nio.ByteBuffer.wrap(payload).getInt());
                }
                if (msgId == 6 && behaviour == Behaviour.CORRUPT) {
                    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(payload);
                    int piece = b.getInt();
                    int begin = b.getInt();
                    int length = b.getInt();
                    byte[] junk = new byte[length];
                    random.nextBytes(junk);
                    out.writeInt(9 + length);
                    out.writeByte(7);
                    out.writeInt(piece);
                    out.writeInt(begin);
                    out.write(junk);
                    out.flush();
                    blocksSent.incrementAndGet();
                }
            }
        } catch (IOException e) {
            closedByRemote.incrementAndGet(); // EOF or reset: the client dropped us
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
