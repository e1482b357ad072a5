package torfs.session;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import torfs.metainfo.Torrent;

/**
 * A peer on a plain blocking socket that a test drives message by message: it connects from
 * {@code 127.0.0.3} to a client on {@code 127.0.0.1}, handshakes with the reserved bits given and
 * reads the client's handshake back.
 */
final class RawPeer implements AutoCloseable {
    final Socket socket = new Socket();
    final DataInputStream in;
    final DataOutputStream out;

    RawPeer(Client client, Torrent t, byte[] reserved, String peerId, int timeoutMillis) throws Exception {
        socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.3"), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", client.port()), 5000);
        socket.setSoTimeout(timeoutMillis);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
        out.writeByte(19);
        out.write("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII));
        out.write(reserved);
        out.write(t.infoHash().bytes());
        out.write(peerId.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        in.readFully(new byte[68]);
    }

    void send(int id, byte[] payload) throws Exception {
        out.writeInt(1 + payload.length);
        out.writeByte(id);
        out.write(payload);
        out.flush();
    }

    /** The next message's type and, in {@code payload[0]}, its payload; keep-alives skipped. */
    int next(byte[][] payload) throws Exception {
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

    /** The payload of the next message of type {@code id}, others skipped. */
    byte[] next(int id) throws Exception {
        byte[][] p = new byte[1][];
        while (next(p) != id) {
            // skipped
        }
        return p[0];
    }

    @Override
    public void close() throws Exception {
        socket.close();
    }
}
