package torfs.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.metainfo.TorrentBuilder;

/** Fetching a .torrent over HTTP from the JDK's own server on 127.0.0.1: answers, redirects, failures. */
@Timeout(60)
class TorrentUrlTest {
    private HttpServer server;
    private String base;
    private byte[] torrent;
    private final AtomicInteger hits = new AtomicInteger();

    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws Exception {
        Path film = Files.write(tmp.resolve("film.mkv"), new byte[50_000]);
        torrent = TorrentBuilder.of(film).pieceLength(16384).build();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/t.torrent", ex -> answer(ex, 200, torrent));
        server.createContext("/page", ex -> answer(ex, 200, "<html>hi</html>".getBytes(StandardCharsets.US_ASCII)));
        server.createContext("/gone", ex -> answer(ex, 404, new byte[0]));
        server.createContext("/moved", ex -> redirect(ex, "/t.torrent")); // relative Location
        server.createContext("/loop", ex -> redirect(ex, "/loop"));
        server.createContext("/away", ex -> redirect(ex, "http://nosuchhost.invalid/t.torrent"));
        server.createContext("/huge", ex -> {
            ex.sendResponseHeaders(200, 0); // chunked: the size is learnt only by reading
            byte[] chunk = new byte[1 << 20];
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i <= TorrentUrl.MAX_BYTES >> 20; i++) {
                    out.write(chunk);
                }
            } catch (IOException e) {
                // the client stopped reading at its limit
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange ex, int status, byte[] body) throws IOException {
        hits.incrementAndGet();
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private void redirect(HttpExchange ex, String location) throws IOException {
        hits.incrementAndGet();
        ex.getResponseHeaders().add("Location", location);
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    @Test
    void fetchesTheFileAsServed() throws IOException {
        assertThat(TorrentUrl.fetch(base + "/t.torrent")).isEqualTo(torrent);
        TorrentUrl.Fetched f = TorrentUrl.load(base + "/t.torrent");
        assertThat(f.file()).isEqualTo(torrent);
        assertThat(f.torrent().name()).isEqualTo("film.mkv");
    }

    @Test
    void followsARelativeRedirect() throws IOException {
        assertThat(TorrentUrl.fetch(base + "/moved")).isEqualTo(torrent);
        assertThat(hits.get()).isEqualTo(2);
    }

    @Test
    void aRedirectLoopEndsAfterFiveHops() {
        assertThatThrownBy(() -> TorrentUrl.fetch(base + "/loop"))
                .isInstanceOf(IOException.class).hasMessage("more than 5 redirects");
        assertThat(hits.get()).isEqualTo(TorrentUrl.MAX_REDIRECTS + 1);
    }

    @Test
    void eachRedirectsHostIsCheckedBeforeItIsAsked() {
        assertThatThrownBy(() -> TorrentUrl.fetch(base + "/away"))
                .isInstanceOf(IOException.class).hasMessage("unknown host nosuchhost.invalid");
    }

    @Test
    void anHttpErrorIsItsStatus() {
        assertThatThrownBy(() -> TorrentUrl.fetch(base + "/gone"))
                .isInstanceOf(IOException.class).hasMessage("HTTP 404");
    }

    @Test
    void aBodyPastTheLimitIsRefused() {
        assertThatThrownBy(() -> TorrentUrl.fetch(base + "/huge"))
                .isInstanceOf(IOException.class).hasMessage("larger than 32 MiB");
    }

    @Test
    void aPortNobodyListensOnIsOneLine() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> TorrentUrl.fetch("http://127.0.0.1:" + port + "/t.torrent"))
                .isInstanceOf(IOException.class).hasMessage("cannot connect to 127.0.0.1:" + port);
    }

    @Test
    void aPageThatIsNotATorrentNamesTheUrl() {
        assertThatThrownBy(() -> TorrentUrl.load(base + "/page"))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith(base + "/page: not a valid torrent file");
    }

    @Test
    void onlyHttpAndHttpsAreUrls() {
        assertThat(TorrentUrl.isUrl("http://127.0.0.1/a.torrent")).isTrue();
        assertThat(TorrentUrl.isUrl("HTTPS://127.0.0.1/a.torrent")).isTrue();
        assertThat(TorrentUrl.isUrl("magnet:?xt=urn:btih:00")).isFalse();
        assertThat(TorrentUrl.isUrl("http.torrent")).isFalse();
        assertThat(TorrentUrl.isUrl("/srv/http://x")).isFalse();
    }
}
