package torfs.tracker;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import torfs.bencode.BDict;
import torfs.bencode.BInt;
import torfs.bencode.BList;
import torfs.bencode.BString;
import torfs.bencode.BValue;
import torfs.bencode.BencodeDecoder;
import torfs.bencode.BencodeException;
import torfs.bencode.BencodeLimits;

/** Parses the bencoded body of an HTTP announce reply (BEP 3, 7, 23). */
final class HttpAnnounceParser {
    /** A reply lists peers, not a whole torrent: small limits keep a hostile tracker cheap. */
    private static final BencodeLimits LIMITS = new BencodeLimits(8, 500_000);
    private static final int MAX_MESSAGE = 200;

    private HttpAnnounceParser() {
    }

    static AnnounceResponse parse(byte[] body) throws TrackerException {
        BDict d = decodeDict(body);
        BValue failure = d.get("failure reason");
        if (failure != null) {
            throw new TrackerException("tracker failure: " + text(failure));
        }
        List<InetSocketAddress> peers = new ArrayList<>();
        BValue p = d.get("peers");
        if (p instanceof BString s) {
            peers.addAll(PeerAddresses.compact(s.bytes(), 0, s.length(), PeerAddresses.COMPACT_V4, "peers"));
        } else if (p instanceof BList l) {
            peers.addAll(dictionaryPeers(l));
        } else if (p != null) {
            throw new TrackerException("bad tracker response: 'peers' is neither a string nor a list");
        }
        BValue p6 = d.get("peers6");
        if (p6 instanceof BString s) {
            peers.addAll(PeerAddresses.compact(s.bytes(), 0, s.length(), PeerAddresses.COMPACT_V6, "peers6"));
        }
        return AnnounceResponse.normalized(integer(d, "interval", 0), integer(d, "min interval", 0), peers,
                integer(d, "complete", -1), integer(d, "incomplete", -1),
                optionalText(d.get("warning message")), optionalText(d.get("tracker id")));
    }

    /** The tracker's failure reason if the body is a bencoded failure, for replies with an error status. */
    static Optional<String> failureReason(byte[] body) {
        try {
            BValue f = decodeDict(body).get("failure reason");
            return f == null ? Optional.empty() : Optional.of(text(f));
        } catch (TrackerException e) {
            return Optional.empty();
        }
    }

    private static BDict decodeDict(byte[] body) throws TrackerException {
        BValue v;
        try {
            v = BencodeDecoder.decode(body, LIMITS);
        } catch (BencodeException e) {
            // the decoder quotes input bytes (a duplicate key): control characters must not reach a terminal
            throw new TrackerException("malformed tracker response: " + sanitize(e.getMessage()));
        }
        if (!(v instanceof BDict d)) {
            throw new TrackerException("malformed tracker response: not a dictionary");
        }
        return d;
    }

    private static List<InetSocketAddress> dictionaryPeers(BList list) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (BValue v : list.values()) {
            if (v instanceof BDict peer && peer.get("ip") instanceof BString ip
                    && peer.get("port") instanceof BInt port) {
                InetSocketAddress a = PeerAddresses.literal(ip.utf8(), port.value());
                if (a != null) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    private static long integer(BDict d, String key, long absent) {
        return d.get(key) instanceof BInt i ? i.value() : absent;
    }

    private static Optional<String> optionalText(BValue v) {
        return v instanceof BString ? Optional.of(text(v)) : Optional.empty();
    }

    /** One printable line, bounded: tracker text ends up in a terminal. */
    static String text(BValue v) {
        return sanitize(v instanceof BString b ? b.utf8() : String.valueOf(v));
    }

    static String sanitize(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && out.length() < MAX_MESSAGE; i++) {
            char c = s.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        return out.toString().strip();
    }
}
