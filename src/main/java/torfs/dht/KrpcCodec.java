package torfs.dht;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import torfs.bencode.BDict;
import torfs.bencode.BInt;
import torfs.bencode.BList;
import torfs.bencode.BString;
import torfs.bencode.BValue;
import torfs.bencode.BencodeDecoder;
import torfs.bencode.BencodeEncoder;
import torfs.bencode.BencodeException;
import torfs.bencode.BencodeLimits;

/**
 * KRPC over bencode (BEP 5, with BEP 32's {@code nodes6}, 18-byte {@code values} and {@code want}). Decoding is strict and bounded: one dictionary no deeper than
 * four levels and no more than {@link #LIMITS}' values, each field of the type and length BEP 5
 * gives it; anything else is a {@link KrpcException}, which the node counts and drops.
 * {@code v} and unknown keys are ignored.
 */
final class KrpcCodec {
    /** A KRPC message fits in a datagram; 2 KiB of bencode holds at most ~700 values. */
    static final BencodeLimits LIMITS = new BencodeLimits(4, 800);
    /** More nodes than this in one answer is not an answer we want (8 is usual, 16 generous). */
    static final int MAX_NODES = 16;
    /** Peers kept from one get_peers answer; more are ignored. */
    static final int MAX_PEERS = 200;
    static final int MAX_TID = 16;
    static final int MAX_TOKEN = 64;
    private static final byte[] VERSION = {'T', 'F', 0, 1};

    private KrpcCodec() {
    }

    static KrpcMessage decode(byte[] data) throws KrpcException {
        BValue root;
        try {
            root = BencodeDecoder.decode(data, LIMITS);
        } catch (BencodeException e) {
            throw new KrpcException("not bencode: " + e.getMessage());
        }
        if (!(root instanceof BDict d)) {
            throw new KrpcException("not a dictionary");
        }
        byte[] tid = string(d, "t", true, 1, MAX_TID);
        byte[] y = string(d, "y", true, 1, 1);
        return switch (y[0]) {
            case 'q' -> query(d, tid);
            case 'r' -> response(d, tid);
            case 'e' -> error(d, tid);
            default -> throw new KrpcException("unknown message type");
        };
    }

    private static KrpcMessage.Query query(BDict d, byte[] tid) throws KrpcException {
        String name = new String(string(d, "q", true, 1, 32), StandardCharsets.ISO_8859_1);
        BDict a = dict(d, "a");
        NodeId sender = id(a, "id", true);
        boolean readOnly = optionalInt(d, "ro", 0) == 1;
        KrpcMessage.Method m = KrpcMessage.Method.of(name);
        int want = want(a);
        KrpcMessage.Query q = switch (m) {
            case PING, UNKNOWN -> new KrpcMessage.Query(tid, m, sender, readOnly, null, 0, false, null);
            case FIND_NODE -> new KrpcMessage.Query(tid, m, sender, readOnly, id(a, "target", true), 0, false, null);
            case GET_PEERS -> new KrpcMessage.Query(tid, m, sender, readOnly, id(a, "info_hash", true), 0, false, null);
            case ANNOUNCE_PEER -> {
                NodeId hash = id(a, "info_hash", true);
                boolean implied = optionalInt(a, "implied_port", 0) == 1;
                long port = optionalInt(a, "port", -1);
                if (!implied && (port < 1 || port > 65535)) {
                    throw new KrpcException("announce_peer without a valid port");
                }
                byte[] token = string(a, "token", true, 1, MAX_TOKEN);
                yield new KrpcMessage.Query(tid, m, sender, readOnly, hash, implied ? 0 : (int) port, implied, token);
            }
        };
        return want == 0 ? q : q.withWant(want);
    }

    /** BEP 32's {@code want}: a list of strings; "n4" and "n6" count, others are ignored. */
    private static int want(BDict a) throws KrpcException {
        BValue v = a.get("want");
        if (v == null) {
            return 0;
        }
        if (!(v instanceof BList list)) {
            throw new KrpcException("want is not a list");
        }
        int bits = 0;
        for (BValue w : list.values()) {
            if (!(w instanceof BString s)) {
                throw new KrpcException("a want is not a string");
            }
            String name = s.utf8();
            bits |= name.equals("n4") ? KrpcMessage.Query.WANT_N4 : name.equals("n6") ? KrpcMessage.Query.WANT_N6 : 0;
        }
        return bits;
    }

    private static KrpcMessage.Response response(BDict d, byte[] tid) throws KrpcException {
        BDict r = dict(d, "r");
        NodeId sender = id(r, "id", true);
        List<NodeContact> nodes = new ArrayList<>();
        byte[] compactNodes = string(r, "nodes", false, 0, MAX_NODES * Compact.NODE);
        if (compactNodes != null) {
            List<NodeContact> v4 = Compact.nodes(compactNodes);
            if (v4 == null) {
                throw new KrpcException("nodes is not a multiple of 26 bytes");
            }
            nodes.addAll(v4);
        }
        byte[] compactNodes6 = string(r, "nodes6", false, 0, MAX_NODES * Compact.NODE6);
        if (compactNodes6 != null) {
            List<NodeContact> v6 = Compact.nodes6(compactNodes6);
            if (v6 == null) {
                throw new KrpcException("nodes6 is not a multiple of 38 bytes");
            }
            nodes.addAll(v6);
        }
        List<InetSocketAddress> peers = List.of();
        BValue values = r.get("values");
        if (values != null) {
            if (!(values instanceof BList list)) {
                throw new KrpcException("values is not a list");
            }
            peers = new ArrayList<>();
            for (BValue v : list.values()) {
                if (!(v instanceof BString s)) {
                    throw new KrpcException("a value is not a string");
                }
                if (s.length() != Compact.PEER && s.length() != Compact.PEER6) {
                    throw new KrpcException("a value of " + s.length() + " bytes");
                }
                InetSocketAddress a = Compact.peer(s.bytes(), 0, s.length()); // 18 bytes: IPv6 (BEP 32)
                if (a != null && peers.size() < MAX_PEERS) {
                    peers.add(a);
                }
            }
        }
        byte[] token = string(r, "token", false, 1, MAX_TOKEN);
        byte[] ip = string(d, "ip", false, 0, 18);
        InetSocketAddress seenAs = ip != null && (ip.length == Compact.PEER || ip.length == Compact.PEER6)
                ? Compact.peer(ip, 0, ip.length) : null;
        return new KrpcMessage.Response(tid, sender, List.copyOf(nodes), peers, token, seenAs);
    }

    private static KrpcMessage.Error error(BDict d, byte[] tid) throws KrpcException {
        BValue e = d.get("e");
        if (!(e instanceof BList list) || list.values().size() < 2
                || !(list.values().get(0) instanceof BInt code) || !(list.values().get(1) instanceof BString msg)) {
            throw new KrpcException("e is not [code, message]");
        }
        String text = msg.length() > 200 ? "(long message)" : new String(msg.bytes(), StandardCharsets.ISO_8859_1);
        return new KrpcMessage.Error(tid, (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, code.value())), text);
    }

    private static BDict dict(BDict d, String key) throws KrpcException {
        if (!(d.get(key) instanceof BDict inner)) {
            throw new KrpcException("'" + key + "' is not a dictionary");
        }
        return inner;
    }

    private static NodeId id(BDict d, String key, boolean required) throws KrpcException {
        byte[] b = string(d, key, required, NodeId.LENGTH, NodeId.LENGTH);
        return b == null ? null : NodeId.of(b);
    }

    private static byte[] string(BDict d, String key, boolean required, int min, int max) throws KrpcException {
        BValue v = d.get(key);
        if (v == null) {
            if (required) {
                throw new KrpcException("missing '" + key + "'");
            }
            return null;
        }
        if (!(v instanceof BString s)) {
            throw new KrpcException("'" + key + "' is not a string");
        }
        if (s.length() < min || s.length() > max) {
            throw new KrpcException("'" + key + "' has " + s.length() + " bytes");
        }
        return s.bytes();
    }

    private static long optionalInt(BDict d, String key, long absent) throws KrpcException {
        BValue v = d.get(key);
        if (v == null) {
            return absent;
        }
        if (!(v instanceof BInt i)) {
            throw new KrpcException("'" + key + "' is not an integer");
        }
        return i.value();
    }

    // ---- encoding: canonical bencode through BencodeEncoder (sorted keys)

    static byte[] encode(KrpcMessage m) {
        Map<String, BValue> top = new TreeMap<>();
        top.put("t", new BString(m.tid()));
        top.put("v", new BString(VERSION));
        if (m instanceof KrpcMessage.Query q) {
            top.put("y", str("q"));
            top.put("q", str(q.method().wire));
            if (q.readOnly()) {
                top.put("ro", new BInt(1));
            }
            Map<String, BValue> a = new TreeMap<>();
            a.put("id", new BString(q.sender().bytes()));
            switch (q.method()) {
                case FIND_NODE -> a.put("target", new BString(q.target().bytes()));
                case GET_PEERS -> a.put("info_hash", new BString(q.target().bytes()));
                case ANNOUNCE_PEER -> {
                    a.put("info_hash", new BString(q.target().bytes()));
                    a.put("port", new BInt(q.port()));
                    a.put("implied_port", new BInt(q.impliedPort() ? 1 : 0));
                    a.put("token", new BString(q.token()));
                }
                default -> {
                }
            }
            List<BValue> want = new ArrayList<>();
            if ((q.want() & KrpcMessage.Query.WANT_N4) != 0) {
                want.add(str("n4"));
            }
            if ((q.want() & KrpcMessage.Query.WANT_N6) != 0) {
                want.add(str("n6"));
            }
            if (!want.isEmpty()) {
                a.put("want", new BList(want));
            }
            top.put("a", new BDict(a));
        } else if (m instanceof KrpcMessage.Response r) {
            top.put("y", str("r"));
            Map<String, BValue> body = new TreeMap<>();
            body.put("id", new BString(r.sender().bytes()));
            byte[] v4 = Compact.nodes(r.nodes());
            byte[] v6 = Compact.nodes6(r.nodes());
            if (v4.length > 0) {
                body.put("nodes", new BString(v4));
            }
            if (v6.length > 0) {
                body.put("nodes6", new BString(v6));
            }
            if (!r.peers().isEmpty()) {
                List<BValue> values = new ArrayList<>();
                for (InetSocketAddress p : r.peers()) {
                    if (Compact.encodable(p)) {
                        values.add(new BString(Compact.peer(p)));
                    }
                }
                body.put("values", new BList(values));
            }
            if (r.token() != null) {
                body.put("token", new BString(r.token()));
            }
            if (r.seenAs() != null && Compact.encodable(r.seenAs())) {
                top.put("ip", new BString(Compact.peer(r.seenAs())));
            }
            top.put("r", new BDict(body));
        } else if (m instanceof KrpcMessage.Error e) {
            top.put("y", str("e"));
            top.put("e", new BList(List.of(new BInt(e.code()), str(e.message()))));
        }
        return BencodeEncoder.encode(new BDict(top));
    }

    private static BString str(String ascii) {
        return new BString(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }
}
