package torfs.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The command line's side of the API: one HTTP/1.1 request over the JDK's own unix socket
 * channel (no Netty start-up in a short command), the whole answer read until the server
 * closes. Answers are at most {@value #MAX_ANSWER} bytes.
 */
public final class ControlClient {
    static final int MAX_ANSWER = 64 << 20;
    private final Path socket;

    public ControlClient(Path socket) {
        this.socket = socket;
    }

    /** An answer: HTTP status and body. */
    public record Answer(int status, String body) {
    }

    public Answer request(String method, String path, String jsonBody) throws IOException {
        byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: torfs\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.allocate(head.length() + body.length);
            out.put(head.getBytes(StandardCharsets.US_ASCII)).put(body).flip();
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(64 << 10);
            while (ch.read(in) >= 0) {
                in.flip();
                all.write(in.array(), 0, in.limit());
                in.clear();
                if (all.size() > MAX_ANSWER) {
                    throw new IOException("answer from " + socket + " is too long");
                }
            }
            return parse(all.toString(StandardCharsets.UTF_8));
        }
    }

    static Answer parse(String raw) throws IOException {
        int end = raw.indexOf("\r\n\r\n");
        if (!raw.startsWith("HTTP/1.") || end < 0) {
            throw new IOException("not an HTTP answer");
        }
        String status = raw.substring(0, raw.indexOf("\r\n"));
        String[] parts = status.split(" ", 3);
        try {
            return new Answer(Integer.parseInt(parts[1]), raw.substring(end + 4));
        } catch (RuntimeException e) {
            throw new IOException("bad status line: " + status);
        }
    }
}
