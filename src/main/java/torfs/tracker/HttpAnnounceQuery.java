package torfs.tracker;

import java.nio.charset.StandardCharsets;

/** Builds the query string of an HTTP announce (BEP 3); binary fields are percent-encoded bytes. */
final class HttpAnnounceQuery {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private HttpAnnounceQuery() {
    }

    /** The announce URL with our parameters appended to any query it already has (e.g. a passkey). */
    static String url(String announceUrl, AnnounceRequest r, String trackerId) {
        StringBuilder q = new StringBuilder(announceUrl);
        int hash = q.indexOf("#");
        if (hash >= 0) {
            q.setLength(hash);
        }
        char last = q.charAt(q.length() - 1);
        q.append(q.indexOf("?") < 0 ? '?' : (last == '?' || last == '&' ? "" : "&"));
        q.append("info_hash=").append(encode(r.infoHash().bytes()));
        q.append("&peer_id=").append(encode(r.peerId()));
        q.append("&port=").append(r.port());
        q.append("&uploaded=").append(r.uploaded());
        q.append("&downloaded=").append(r.downloaded());
        q.append("&left=").append(r.left());
        q.append("&compact=1");
        if (r.event().httpName() != null) {
            q.append("&event=").append(r.event().httpName());
        }
        if (r.numWant() >= 0) {
            q.append("&numwant=").append(r.numWant());
        }
        q.append("&key=").append(String.format("%08X", r.key()));
        if (trackerId != null) {
            q.append("&trackerid=").append(encode(trackerId.getBytes(StandardCharsets.UTF_8)));
        }
        return q.toString();
    }

    /** RFC 3986 percent-encoding; unreserved characters stay as they are. */
    static String encode(byte[] bytes) {
        StringBuilder s = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                s.append((char) c);
            } else {
                s.append('%').append(HEX[c >> 4]).append(HEX[c & 15]);
            }
        }
        return s.toString();
    }
}
