package torfs.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The class-data training's HTTP tracker ({@link CdsTraining}): on a loopback port, every
 * announce gets one peer, the training's seeder, so the training's clients take the path a
 * user's do (announce over HTTP, then dial), and that path's classes land in the archive. A
 * plain socket and a thread, not Netty: its own classes should not be the ones archived.
 */
final class TrainingTracker implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread thread;
    private volatile int peerPort;

    private TrainingTracker(ServerSocket socket) {
        this.socket = socket;
        this.thread = new Thread(this::serve, "torfs-cds-tracker");
        thread.setDaemon(true);
    }

    /** Listens on 127.0.0.1 (a compact peer list is IPv4). */
    static TrainingTracker start() throws IOException {
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        TrainingTracker t = new TrainingTracker(new ServerSocket(0, 8, loopback));
        t.thread.start();
        return t;
    }

    String announceUrl() {
        return "http://" + socket.getInetAddress().getHostAddress() + ":" + socket.getLocalPort() + "/announce";
    }

    /** The seeder every answer names (on the tracker's address); 0 names none. */
    void peerPort(int port) {
        peerPort = port;
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                s.setSoTimeout(5000);
                readRequestHead(s.getInputStream());
                byte[] body = answer();
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // closed, or a client that went away: the next one is served
            }
        }
    }

    /** Reads up to the blank line that ends a GET's head. */
    private static void readRequestHead(InputStream in) throws IOException {
        int state = 0; // how much of "\r\n\r\n" has been seen
        for (int n = 0; n < 16384 && state < 4; n++) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            state = b == '\r' ? (state == 2 ? 3 : 1) : b == '\n' && (state == 1 || state == 3) ? state + 1 : 0;
        }
    }

    /** {@code d8:intervali1800e5:peers6:<ip><port>e}: a compact list of the one seeder. */
    private byte[] answer() {
        int port = peerPort;
        byte[] ip = socket.getInetAddress().getAddress();
        byte[] head = ("d8:intervali1800e5:peers" + (port == 0 ? 0 : 6) + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + (port == 0 ? 0 : 6) + 1];
        System.arraycopy(head, 0, out, 0, head.length);
        int at = head.length;
        if (port != 0) {
            System.arraycopy(ip, 0, out, at, 4);
            out[at + 4] = (byte) (port >>> 8);
            out[at + 5] = (byte) port;
            at += 6;
        }
        out[at] = 'e';
        return out;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
