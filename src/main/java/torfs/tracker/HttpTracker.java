package torfs.tracker;

import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/** An HTTP(S) tracker (BEP 3, 23): GET with the announce in the query, bencoded reply, up to 3 redirects. */
public final class HttpTracker implements Tracker {
    static final int MAX_REDIRECTS = 3;
    private static final System.Logger LOG = System.getLogger(HttpTracker.class.getName());

    private final String url;
    private final HttpGet http;
    private volatile String trackerId;

    public HttpTracker(String announceUrl, EventLoopGroup group, TrackerSettings settings) throws TrackerException {
        URI uri = parse(announceUrl);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new TrackerException("not an HTTP tracker URL: " + announceUrl);
        }
        this.url = announceUrl;
        this.http = new HttpGet(group, settings);
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public CompletableFuture<AnnounceResponse> announce(AnnounceRequest request) {
        URI uri;
        try {
            uri = parse(HttpAnnounceQuery.url(url, request, trackerId));
        } catch (TrackerException e) {
            return CompletableFuture.failedFuture(e);
        }
        return fetch(uri, MAX_REDIRECTS).thenApply(reply -> {
            try {
                AnnounceResponse r = HttpAnnounceParser.parse(reply.body());
                r.trackerId().ifPresent(id -> trackerId = id);
                return r;
            } catch (TrackerException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }).handle((r, e) -> {
            if (e != null) {
                throw new java.util.concurrent.CompletionException(unwrap(e));
            }
            return r;
        });
    }

    private CompletableFuture<HttpGet.Reply> fetch(URI uri, int redirectsLeft) {
        LOG.log(System.Logger.Level.DEBUG, "announce GET {0}", uri);
        return http.get(uri).thenCompose(reply -> {
            int s = reply.status();
            if (s == 200) {
                return CompletableFuture.completedFuture(reply);
            }
            if ((s == 301 || s == 302 || s == 303 || s == 307 || s == 308) && reply.location() != null) {
                if (redirectsLeft == 0) {
                    return failed("tracker redirected more than " + MAX_REDIRECTS + " times");
                }
                URI next;
                try {
                    next = uri.resolve(parse(reply.location()));
                } catch (TrackerException e) {
                    return CompletableFuture.failedFuture(e);
                }
                String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https")) {
                    return failed("tracker redirected to a non-HTTP URL");
                }
                return fetch(next, redirectsLeft - 1);
            }
            String reason = HttpAnnounceParser.failureReason(reply.body()).map(f -> "tracker failure: " + f)
                    .orElse("tracker answered HTTP " + s + " " + reply.reason());
            return failed(reason);
        });
    }

    private static <T> CompletableFuture<T> failed(String message) {
        return CompletableFuture.failedFuture(new TrackerException(message));
    }

    private static Throwable unwrap(Throwable e) {
        while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e instanceof TrackerException ? e : new TrackerException("announce failed: " + HttpGet.oneLine(e), e);
    }

    private static URI parse(String s) throws TrackerException {
        try {
            return new URI(s);
        } catch (URISyntaxException e) {
            throw new TrackerException("malformed tracker URL: " + s);
        }
    }
}
