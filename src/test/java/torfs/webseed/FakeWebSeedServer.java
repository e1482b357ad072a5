package torfs.webseed;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A web seed that serves the files under a directory at 127.0.0.1 with Range support, and
 * misbehaves as told: the misbehaviours our client must survive.
 */
final class FakeWebSeedServer implements AutoCloseable {
    enum Misbehaviour {
        NONE,
        /** 206 with the right length and every byte flipped. */
        WRONG_BYTES,
        /** 404 for everything. */
        NOT_FOUND,
        /** 503 for the first few requests, then honest. */
        UNAVAILABLE_AT_FIRST,
        /** 200 with the whole (large) file, whatever range was asked. */
        IGNORES_RANGE
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");
    static final int UNAVAILABLE_REQUESTS = 3;

    private final HttpServer server;
    private final Path root;
    private final Misbehaviour misbehaviour;
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger unavailableSent = new AtomicInteger();

    FakeWebSeedServer(Path root, Misbehaviour misbehaviour) throws IOException {
        this.root = root;
        this.misbehaviour = misbehaviour;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            int n = requests.incrementAndGet();
            Path file = root.resolve(ex.getRequestURI().getPath().substring(1)).normalize();
            if (misbehaviour == Misbehaviour.NOT_FOUND || !file.startsWith(root) || !Files.isRegularFile(file)) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            if (misbehaviour == Misbehaviour.UNAVAILABLE_AT_FIRST && n <= UNAVAILABLE_REQUESTS) {
                unavailableSent.incrementAndGet();
                ex.sendResponseHeaders(503, -1);
                return;
            }
            if (misbehaviour == Misbehaviour.IGNORES_RANGE) {
                ex.sendResponseHeaders(200, Files.size(file));
                try (var in = Files.newInputStream(file)) {
                    in.transferTo(ex.getResponseBody());
                } catch (IOException e) {
                    // the client hung up: it should
                }
                return;
            }
            byte[] data = Files.readAllBytes(file);
            Matcher m = RANGE.matcher(String.valueOf(ex.getRequestHeaders().getFirst("Range")));
            if (!m.matches()) {
                ex.sendResponseHeaders(400, -1);
                return;
            }
            int from = Integer.parseInt(m.group(1));
            int to = Math.min(Integer.parseInt(m.group(2)), data.length - 1);
            byte[] body = java.util.Arrays.copyOfRange(data, from, to + 1);
            if (misbehaviour == Misbehaviour.WRONG_BYTES) {
                for (int i = 0; i < body.length; i++) {
                    body[i] ^= (byte) 0xff;
                }
            }
            ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + data.length);
            ex.sendResponseHeaders(206, body.length);
            writeQuietly(ex.getResponseBody(), body, 0, body.length);
        }
    }

    /** The client may hang up mid-body (it drops a seed that sends a whole large file). */
    private static void writeQuietly(OutputStream out, byte[] b, int off, int len) {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            // the client went away
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
