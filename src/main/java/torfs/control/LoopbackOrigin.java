package torfs.control;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Which browser requests a token-less status page on loopback answers. Without a token any page
 * the user's browser opens could post to it (add a magnet, remove a torrent with its data), and
 * a name the attacker resolves to 127.0.0.1 could read it (DNS rebinding). So, as qBittorrent's
 * WebUI does: the {@code Host} must name loopback (an address literal or {@code localhost}) and
 * this port, and a request that changes something must not come from another origin
 * ({@code Origin}, else {@code Referer}; a request with neither is not a browser's cross-site
 * one). Names are never resolved.
 */
final class LoopbackOrigin {
    private LoopbackOrigin() {
    }

    /** Whether a {@code Host} header names this loopback server (null: an HTTP/1.0 client, allowed). */
    static boolean hostAllowed(String host, int port) {
        if (host == null) {
            return true;
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        String name;
        int given;
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            if (close < 0) {
                return false;
            }
            name = h.substring(1, close);
            String rest = h.substring(close + 1);
            if (rest.isEmpty()) {
                given = 80;
            } else if (rest.startsWith(":")) {
                given = parsePort(rest.substring(1));
            } else {
                return false;
            }
        } else {
            int colon = h.lastIndexOf(':');
            name = colon < 0 ? h : h.substring(0, colon);
            given = colon < 0 ? 80 : parsePort(h.substring(colon + 1));
        }
        return given == port && isLoopbackName(name);
    }

    /** Whether {@code Origin} (or, when absent, {@code Referer}) lets a request change something. */
    static boolean originAllowed(String origin, String referer, int port) {
        String from = origin != null ? origin : referer;
        if (from == null) {
            return true;
        }
        if (from.equals("null")) { // a sandboxed frame, a file: page, a redirect across origins
            return false;
        }
        try {
            URI u = new URI(from.trim());
            if (!"http".equalsIgnoreCase(u.getScheme()) || u.getRawAuthority() == null) {
                return false;
            }
            return hostAllowed(u.getRawAuthority(), port);
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static int parsePort(String s) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Integer.parseInt(s);
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
