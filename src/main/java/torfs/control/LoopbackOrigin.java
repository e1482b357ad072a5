package torfs.control;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Which browser requests a token-less status page on loopback answers. Without a token any page
 * the user's browser opens could post to it (add a magnet, remove a torrent with its data), and
 * a name the attacker resolves to 127.0.0.1 could read it (DNS rebinding). So, as qBittorrent's
 * WebUI does: the {@code Host} must name loopback (an address literal or {@code localhost}; any
 * port, so an SSH tunnel's works), and a request that changes something must come from the
 * origin the {@code Host} names ({@code Origin}, else {@code Referer}; a request with neither
 * is not a browser's cross-site one). Names are never resolved.
 */
final class LoopbackOrigin {
    private LoopbackOrigin() {
    }

    /** A host and port as a Host header or an origin's authority gives them (port 80 when absent). */
    private record Authority(String name, int port) {
        static Authority parse(String s) {
            String h = s.trim().toLowerCase(Locale.ROOT);
            String name;
            String port;
            if (h.startsWith("[")) {
                int close = h.indexOf(']');
                if (close < 0) {
                    return null;
                }
                name = h.substring(1, close);
                String rest = h.substring(close + 1);
                if (!rest.isEmpty() && !rest.startsWith(":")) {
                    return null;
                }
                port = rest.isEmpty() ? null : rest.substring(1);
            } else {
                int colon = h.lastIndexOf(':');
                name = colon < 0 ? h : h.substring(0, colon);
                port = colon < 0 ? null : h.substring(colon + 1);
            }
            if (port == null) {
                return new Authority(name, 80);
            }
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            return new Authority(name, Integer.parseInt(port));
        }
    }

    /** Whether a {@code Host} header names loopback (null: an HTTP/1.0 client, allowed). */
    static boolean hostAllowed(String host) {
        if (host == null) {
            return true;
        }
        Authority a = Authority.parse(host);
        return a != null && isLoopbackName(a.name());
    }

    /** Whether {@code Origin} (or, when absent, {@code Referer}) is the origin {@code host} names. */
    static boolean originAllowed(String origin, String referer, String host) {
        String from = origin != null ? origin : referer;
        if (from == null) {
            return true;
        }
        if (from.equals("null") || host == null) { // "null": a sandboxed frame, a file: page
            return false;
        }
        try {
            URI u = new URI(from.trim());
            if (!"http".equalsIgnoreCase(u.getScheme()) || u.getRawAuthority() == null) {
                return false;
            }
            Authority a = Authority.parse(u.getRawAuthority());
            return a != null && a.equals(Authority.parse(host));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** localhost, 127.0.0.0/8 as a dotted quad, or ::1 in its usual spellings; nothing looked up. */
    private static boolean isLoopbackName(String name) {
        if (name.equals("localhost") || name.equals("localhost.")) {
            return true;
        }
        if (name.equals("::1") || name.equals("0:0:0:0:0:0:0:1")) {
            return true;
        }
        String[] parts = name.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }
}
