package torfs.app;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A .torrent fetched from an http(s) URL for `torfs add URL`: the JDK's client, redirects
 * followed, 30 s at most, at most {@value #MAX_BYTES} bytes; under {@link LoopbackOnly} a host
 * that does not resolve to loopback is refused before anything is sent.
 */
final class TorrentUrl {
    static final int MAX_BYTES = 32 << 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TorrentUrl() {
    }

    static byte[] fetch(String url) throws IOException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IOException("not a URL");
        }
        if (uri.getHost() == null) {
            throw new IOException("the URL names no host");
        }
        if (LoopbackOnly.active() && !InetAddress.getByName(uri.getHost()).isLoopbackAddress()) {
            throw new IOException("refused: " + LoopbackOnly.ENV + " allows only 127.0.0.0/8 and ::1");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        try {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                if (r.statusCode() != 200) {
                    throw new IOException("HTTP " + r.statusCode());
                }
                byte[] b = in.readNBytes(MAX_BYTES + 1);
                if (b.length > MAX_BYTES) {
                    throw new IOException("larger than " + (MAX_BYTES >> 20) + " MiB");
                }
                return b;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }
}
