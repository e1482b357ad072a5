package torfs.metainfo;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A magnet link (BEP 9, with BEP 53's {@code so}): what a torrent is called and where its peers
 * may be found, before its info dictionary is known. Parsing is strict about the fields we use
 * and ignores keys it does not know; it never resolves a host name.
 *
 * <p>Values are percent-decoded as UTF-8; a {@code +} stays a plus (BEP 9 says URL encoding,
 * which is RFC 3986's: {@code +} for a space belongs to HTML forms, and libtorrent keeps it too).
 *
 * @param infoHash      the v1 info-hash ({@code xt=urn:btih:}, 40 hex or 32 base32 digits)
 * @param displayName   {@code dn}, "" when absent
 * @param trackers      {@code tr} and {@code tr.N} in order of appearance, without repeats
 * @param peers         {@code x.pe}: literal addresses, or unresolved ones for host names
 * @param webSeeds      {@code ws}
 * @param selectedFiles {@code so}: file indexes to download, empty when absent
 * @param exactLength   {@code xl}, the total size in bytes
 */
public record MagnetLink(InfoHash infoHash, String displayName, List<String> trackers,
                         List<InetSocketAddress> peers, List<String> webSeeds,
                         SortedSet<Integer> selectedFiles, OptionalLong exactLength) {
    /** Longest magnet we read: longer ones are not links a person pastes. */
    public static final int MAX_LENGTH = 64 * 1024;
    /** Most file indexes {@code so} may select. */
    public static final int MAX_SELECTED = 100_000;
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public MagnetLink {
        trackers = List.copyOf(trackers);
        peers = List.copyOf(peers);
        webSeeds = List.copyOf(webSeeds);
        selectedFiles = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(selectedFiles));
    }

    /** Parses a magnet; anything malformed is a {@link MetainfoException} with a one-line message. */
    public static MagnetLink parse(String uri) throws MetainfoException {
        if (uri.length() > MAX_LENGTH) {
            throw new MetainfoException("magnet link is " + uri.length() + " characters, over the "
                    + MAX_LENGTH + " limit");
        }
        String s = uri.strip();
        if (!s.regionMatches(true, 0, "magnet:?", 0, 8)) {
            throw new MetainfoException("not a magnet link: it must start with 'magnet:?'");
        }
        InfoHash hash = null;
        boolean v2 = false;
        String name = null;
        Set<String> trackers = new LinkedHashSet<>();
        Set<InetSocketAddress> peers = new LinkedHashSet<>();
        Set<String> webSeeds = new LinkedHashSet<>();
        SortedSet<Integer> selected = new TreeSet<>();
        OptionalLong length = OptionalLong.empty();
        for (String part : s.substring(8).split("&", -1)) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String key = decode(eq < 0 ? part : part.substring(0, eq)).toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : decode(part.substring(eq + 1));
            if (key.equals("xt")) {
                String lower = value.toLowerCase(Locale.ROOT);
                if (lower.startsWith("urn:btih:")) {
                    InfoHash h = infoHash(value.substring(9));
                    hash = hash == null ? h : hash; // the first btih wins
                } else if (lower.startsWith("urn:btmh:")) {
                    v2 = true;
                }
            } else if (key.equals("dn")) {
                name = name == null ? value : name;
            } else if (key.equals("tr") || key.startsWith("tr.")) {
                addNonEmpty(trackers, value);
            } else if (key.equals("ws")) {
                addNonEmpty(webSeeds, value);
            } else if (key.equals("x.pe")) {
                peers.add(peer(value));
            } else if (key.equals("so")) {
                selected.addAll(selection(value));
            } else if (key.equals("xl") && length.isEmpty()) {
                length = OptionalLong.of(exactLength(value));
            }
        }
        if (hash == null) {
            // the same words as a v2-only .torrent (InfoParser)
            throw new MetainfoException(v2 ? "v2-only torrents are not supported yet"
                    : "magnet link has no info-hash (xt=urn:btih:...)");
        }
        return new MagnetLink(hash, name == null ? "" : name, new ArrayList<>(trackers),
                new ArrayList<>(peers), new ArrayList<>(webSeeds), selected, length);
    }

    /** A magnet for a known torrent: its hash, name, size and trackers. */
    public static MagnetLink of(Torrent t) {
        List<String> trackers = new ArrayList<>();
        t.trackers().forEach(trackers::addAll);
        return new MagnetLink(t.infoHash(), t.name(), trackers, List.of(), t.webSeeds(),
                new TreeSet<>(), OptionalLong.of(t.totalLength()));
    }

    /**
     * The .torrent for this magnet once its info dictionary is known: each tracker in a tier
     * of its own (as libtorrent writes a magnet's trackers), {@code rawInfo} verbatim, the web
     * seeds as {@code url-list}. {@link MetainfoParser#parse(byte[])} reads it back with this
     * magnet's info-hash.
     *
     * @throws MetainfoException when {@code rawInfo} is not this torrent's info dictionary
     */
    public byte[] torrentFile(byte[] rawInfo) throws MetainfoException {
        if (!InfoHash.sha1Of(rawInfo, 0, rawInfo.length).equals(infoHash)) {
            throw new MetainfoException("info dictionary does not match info-hash " + infoHash);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(rawInfo.length + 256);
        out.write('d');
        if (!trackers.isEmpty()) {
            string(out, "announce");
            string(out, trackers.get(0));
            string(out, "announce-list");
            out.write('l');
            for (String t : trackers) {
                out.write('l');
                string(out, t);
                out.write('e');
            }
            out.write('e');
        }
        string(out, "info");
        out.writeBytes(rawInfo);
        if (!webSeeds.isEmpty()) {
            string(out, "url-list");
            out.write('l');
            webSeeds.forEach(w -> string(out, w));
            out.write('e');
        }
        out.write('e');
        return out.toByteArray();
    }

    /** The canonical magnet: hash in lower-case hex, then dn, xl, tr, ws, x.pe, so. */
    public String toUri() {
        StringBuilder b = new StringBuilder("magnet:?xt=urn:btih:").append(infoHash.hex());
        if (!displayName.isEmpty()) {
            b.append("&dn=").append(encode(displayName));
        }
        exactLength.ifPresent(l -> b.append("&xl=").append(l));
        trackers.forEach(t -> b.append("&tr=").append(encode(t)));
        webSeeds.forEach(w -> b.append("&ws=").append(encode(w)));
        for (InetSocketAddress p : peers) {
            String host = p.isUnresolved() ? p.getHostString() : p.getAddress().getHostAddress();
            b.append("&x.pe=").append(host.contains(":") ? "[" + host + "]" : host)
                    .append(':').append(p.getPort());
        }
        if (!selectedFiles.isEmpty()) {
            b.append("&so=").append(ranges(selectedFiles));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return toUri();
    }

    // ---- the fields ----

    private static InfoHash infoHash(String digits) throws MetainfoException {
        if (digits.length() == 40) {
            try {
                return InfoHash.fromHex(digits);
            } catch (IllegalArgumentException e) {
                throw new MetainfoException("magnet info-hash '" + shorten(digits) + "' is not hexadecimal");
            }
        }
        if (digits.length() == 32) {
            return InfoHash.of(base32(digits));
        }
        throw new MetainfoException("magnet info-hash has " + digits.length()
                + " characters; expected 40 hex or 32 base32");
    }

    private static byte[] base32(String digits) throws MetainfoException {
        byte[] out = new byte[20];
        long buffer = 0;
        int bits = 0;
        int n = 0;
        for (char c : digits.toUpperCase(Locale.ROOT).toCharArray()) {
            int v = BASE32.indexOf(c);
            if (v < 0) {
                throw new MetainfoException("magnet info-hash '" + shorten(digits) + "' is not base32");
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                out[n++] = (byte) (buffer >>> bits);
            }
        }
        return out;
    }

    /** host:port, IPv4 or [IPv6] literals as addresses, host names left unresolved. */
    private static InetSocketAddress peer(String value) throws MetainfoException {
        int colon = value.lastIndexOf(':');
        if (colon <= 0) {
            throw new MetainfoException("magnet peer '" + shorten(value) + "' is not host:port");
        }
        String host = value.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535 || !value.substring(colon + 1).chars().allMatch(Character::isDigit)) {
            throw new MetainfoException("magnet peer '" + shorten(value) + "' has a bad port");
        }
        try {
            if (host.startsWith("[") && host.endsWith("]")) {
                String v6 = host.substring(1, host.length() - 1);
                // only hex digits, colons and dots: a literal, so no lookup happens
                if (v6.isEmpty() || !v6.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')
                        || !v6.contains(":")) {
                    throw new UnknownHostException(host);
                }
                return new InetSocketAddress(InetAddress.getByName(host), port);
            }
            byte[] v4 = ipv4(host);
            if (v4 != null) {
                return new InetSocketAddress(InetAddress.getByAddress(v4), port);
            }
        } catch (UnknownHostException e) {
            throw new MetainfoException("magnet peer '" + shorten(value) + "' has a bad address");
        }
        if (host.length() > 253 || !host.chars().allMatch(c -> c < 128
                && (Character.isLetterOrDigit(c) || c == '-' || c == '.'))) {
            throw new MetainfoException("magnet peer '" + shorten(value) + "' has a bad host name");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** Four dotted decimals 0-255, or null when {@code host} is not shaped like one. */
    private static byte[] ipv4(String host) throws UnknownHostException {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4 || !host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || Integer.parseInt(parts[i]) > 255) {
                throw new UnknownHostException(host);
            }
            b[i] = (byte) Integer.parseInt(parts[i]);
        }
        return b;
    }

    /** BEP 53: "0,2,4-6". */
    private static SortedSet<Integer> selection(String value) throws MetainfoException {
        SortedSet<Integer> out = new TreeSet<>();
        for (String item : value.split(",", -1)) {
            int dash = item.indexOf('-');
            int from = index(dash < 0 ? item : item.substring(0, dash), value);
            int to = dash < 0 ? from : index(item.substring(dash + 1), value);
            if (to < from) {
                throw new MetainfoException("magnet so '" + shorten(value) + "' has a backward range");
            }
            if ((long) to - from + 1 + out.size() > MAX_SELECTED) {
                throw new MetainfoException("magnet so '" + shorten(value) + "' selects more than "
                        + MAX_SELECTED + " files");
            }
            for (int i = from; i <= to; i++) {
                out.add(i);
            }
        }
        return out;
    }

    private static int index(String digits, String value) throws MetainfoException {
        if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new MetainfoException("magnet so '" + shorten(value) + "' is not a list of file indexes");
        }
        return Integer.parseInt(digits);
    }

    private static long exactLength(String value) throws MetainfoException {
        try {
            if (value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Long.parseLong(value);
            }
        } catch (NumberFormatException e) {
            // too long: below
        }
        throw new MetainfoException("magnet xl '" + shorten(value) + "' is not a length in bytes");
    }

    private static String ranges(SortedSet<Integer> set) {
        StringBuilder b = new StringBuilder();
        Integer start = null;
        int prev = 0;
        for (int i : set) {
            if (start != null && i == prev + 1) {
                prev = i;
                continue;
            }
            if (start != null) {
                b.append(start).append(start == prev ? "" : "-" + prev).append(',');
            }
            start = i;
            prev = i;
        }
        b.append(start).append(start == prev ? "" : "-" + prev);
        return b.toString();
    }

    // ---- URL encoding ----

    private static void addNonEmpty(Set<String> set, String value) {
        String v = value.strip();
        if (!v.isEmpty()) {
            set.add(v);
        }
    }

    /** %XX as bytes of UTF-8; a stray or short % is an error. */
    private static String decode(String s) throws MetainfoException {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%') {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
            if (lo < 0) {
                throw new MetainfoException("magnet link has a bad percent escape near '"
                        + shorten(s.substring(i)) + "'");
            }
            out.write(hi << 4 | lo);
            i += 2;
        }
        return PathSanitizer.decodeUtf8(out.toByteArray());
    }

    private static String encode(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == ':' || c == '/') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeBytes((b.length + ":").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(b);
    }

    private static String shorten(String s) {
        String one = s.replaceAll("[\\r\\n]", " ");
        return one.length() > 60 ? one.substring(0, 60) + "..." : one;
    }
}
