package torfs.session;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import torfs.metainfo.Torrent;

/**
 * A fast-extension seed on a blocking socket that answers only the first {@code answerFirst}
 * requests (with the real data), then goes quiet, and records every REQUEST and CANCEL it gets
 * in arrival order. One connection; {@link #sendBlock} makes it send a block on command.
 */
final class ScriptedSeed implements AutoCloseable {
    /** A REQUEST or CANCEL as received. */
    record Msg(boolean cancel, int piece, int begin) {
    }

    private final ServerSocket server;
    private final Torrent torrent;
    private final byte[] content;
    private final int answerFirst;
    final List<Msg> received = new CopyOnWriteArrayList<>();
    private volatile DataOutputStream out;

    ScriptedSeed(String ip, Torrent torrent, byte[] content, int answerFirst) throws IOException {
        this.server = new ServerSocket(0, 5, InetAddress.getByName(ip));
        this.torrent = torrent;
        this.content = content;
        this.answerFirst = answerFirst;
        Thread t = new Thread(this::serve, "scripted-seed");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    long requests() {
        return received.stream().filter(m -> !m.cancel()).count();
    }

    /** Sends one block of the content (any thread). */
    void sendBlock(int piece, int begin) throws IOException {
        long at = (long) piece * torrent.pieceLength() + begin;
        int length = (int) Math.min(16384, content.length - at);
        synchronized (this) {
            out.writeInt(9 + length);
            out.writeByte(7);
            out.writeInt(piece);
            out.writeInt(begin);
            out.write(content, (int) at, length);
            out.flush();
        }
    }

    private void serve() {
        try (Socket s = server.accept();
             DataInputStream in = new DataInputStream(s.getInputStream());
             DataOutputStream o = new DataOutputStream(s.getOutputStream())) {
            in.readFully(new byte[68]);
            o.writeByte(19);
            o.write("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII));
            byte[] reserved = new byte[8];
            reserved[7] = 0x04; // fast extension
            o.write(reserved);
            o.write(torrent.infoHash().bytes());
            o.write(new byte[20]);
            o.writeInt(1);
            o.writeByte(14); // have all
            o.writeInt(1);
            o.writeByte(1); // unchoke
            o.flush();
            out = o;
            int answered = 0;
            while (true) {
                int len = in.readInt();
                if (len == 0) {
                    continue;
                }
                int id = in.readUnsignedByte();
                byte[] payload = new byte[len - 1];
                in.readFully(payload);
                if (id != 6 && id != 8) {
                    continue;
                }
                ByteBuffer b = ByteBuffer.wrap(payload);
                int piece = b.getInt();
                int begin = b.getInt();
                received.add(new Msg(id == 8, piece, begin));
                if (id == 6 && answered < answerFirst) {
                    answered++;
                    sendBlock(piece, begin);
                }
            }
        } catch (IOException e) {
            // closed by the client or the test
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
