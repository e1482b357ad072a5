package torfs.app;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import torfs.metainfo.MetainfoException;
import torfs.metainfo.MetainfoParser;
import torfs.metainfo.Torrent;

/**
 * A .torrent fetched from an http(s) URL, for every command that takes a SOURCE (`mount`,
 * `add`, `download`, `info`, `seed`): the JDK's client, up to 5 redirects, 30 s at most, at
 * most {@value #MAX_BYTES} bytes; under {@link LoopbackOnly} a host (also a redirect's) that
 * does not resolve to loopback is refused before anything is sent to it. A failure is an
 * {@link IOException} whose message is one line for the user.
 */
final class TorrentUrl {
    static final int MAX_BYTES = 32 << 20;
    static final int MAX_REDIRECTS = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TorrentUrl() {
    }

    /** True when SOURCE is meant as a URL (then it is fetched, never taken for a file name). */
    static boolean isUrl(String source) {
        return source.regionMatches(true, 0, "http://", 0, 7) || source.regionMatches(true, 0, "https://", 0, 8);
    }

    /** A fetched .torrent: its bytes as served and the torrent they hold. */
    record Fetched(byte[] file, Torrent torrent) {
    }

    /** Fetches and parses the .torrent at {@code url}; any failure is a one-line {@link UserError} naming it. */
    static Fetched load(String url) {
        try {
            byte[] file = fetch(url);
            return new Fetched(file, MetainfoParser.parse(file));
        } catch (IOException e) {
            throw new UserError(url + ": " + e.getMessage(), e);
        } catch (MetainfoException e) {
            throw new UserError(url + ": " + e.getMessage(), e); // "not a valid torrent file: ..."
        }
    }

    static byte[] fetch(String url) throws IOException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IOException("not a URL");
        }
        // redirects followed here, not by the client: each hop's host is checked as the first
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            check(uri);
            HttpResponse<InputStream> r = send(http, uri);
            try (InputStream in = r.body()) {
                int status = r.statusCode();
                Optional<String> location = r.headers().firstValue("location");
                if (status >= 300 && status < 400 && location.isPresent()) {
                    URI next = resolve(uri, location.get());
                    if (uri.getScheme().equalsIgnoreCase("https") && !next.getScheme().equalsIgnoreCase("https")) {
                        throw new IOException("refused a redirect from https to " + next.getScheme());
                    }
                    uri = next;
                    continue;
                }
                if (status != 200) {
                    throw new IOException("HTTP " + status);
                }
                byte[] b = in.readNBytes(MAX_BYTES + 1);
                if (b.length > MAX_BYTES) {
                    throw new IOException("larger than " + (MAX_BYTES >> 20) + " MiB");
                }
                return b;
            }
        }
        throw new IOException("more than " + MAX_REDIRECTS + " redirects");
    }

    private static void check(URI uri) throws IOException {
        if (uri.getHost() == null || uri.getScheme() == null || !isUrl(uri.toString())) {
            throw new IOException(uri + ": not an http(s) URL with a host");
        }
        try {
            if (LoopbackOnly.active() && !InetAddress.getByName(uri.getHost()).isLoopbackAddress()) {
                throw new IOException("refused: " + LoopbackOnly.ENV + " allows only 127.0.0.0/8 and ::1");
            }
        } catch (UnknownHostException e) {
            throw new IOException("unknown host " + uri.getHost());
        }
    }

    private static URI resolve(URI base, String location) throws IOException {
        try {
            return base.resolve(location);
        } catch (IllegalArgumentException e) {
            throw new IOException("a redirect to a bad URL: " + location);
        }
    }

    private static HttpResponse<InputStream> send(HttpClient http, URI uri) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (HttpTimeoutException e) {
            throw new IOException("no answer within " + TIMEOUT.toSeconds() + " s");
        } catch (ConnectException e) {
            throw new IOException("cannot connect to " + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : ""));
        } catch (UnknownHostException e) {
            throw new IOException("unknown host " + uri.getHost());
        } catch (IllegalArgumentException e) {
            throw new IOException("not a URL torfs can fetch: " + e.getMessage()); // e.g. a bad port
        } catch (IOException e) {
            throw new IOException(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName(), e);
        }
    }
}
