package torfs.webseed;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import torfs.metainfo.Torrent;

/**
 * BEP 19 ("GetRight style"): where a torrent's file lives under a web seed's URL. A single-file
 * torrent's URL is the file itself, unless it ends in '/', which takes the torrent's name; a
 * multi-file torrent's URL (a '/' added when missing) takes {@code name/path/to/file}. Each
 * appended element is percent-encoded, so names with spaces, '#', '?' or non-ASCII stay one
 * path element.
 */
public final class WebSeedUrl {
    private WebSeedUrl() {
    }

    /** The URL of the torrent's file {@code file} under {@code base}. */
    public static URI of(String base, Torrent t, int file) {
        if (t.singleFile()) {
            return URI.create(base.endsWith("/") ? base + encode(t.name()) : base);
        }
        StringBuilder sb = new StringBuilder(base);
        if (!base.endsWith("/")) {
            sb.append('/');
        }
        sb.append(encode(t.name()));
        for (String element : t.fileTable().path(file)) {
            sb.append('/').append(encode(element));
        }
        return URI.create(sb.toString());
    }

    /** RFC 3986 percent-encoding of one path element: only unreserved characters stay as they are. */
    static String encode(String element) {
        StringBuilder sb = new StringBuilder();
        for (byte b : element.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }
}
