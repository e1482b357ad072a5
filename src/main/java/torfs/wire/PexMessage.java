package torfs.wire;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import torfs.bencode.BDict;
import torfs.bencode.BString;
import torfs.bencode.BValue;
import torfs.bencode.BencodeDecoder;
import torfs.bencode.BencodeEncoder;
import torfs.bencode.BencodeException;
import torfs.bencode.BencodeLimits;

/**
 * A ut_pex message (BEP 11): peers the sender connected to ({@code added}, each with a flag
 * byte) and peers it lost ({@code dropped}) since its last message. On the wire IPv4 peers are
 * compact 6-byte entries under {@code added}/{@code added.f}/{@code dropped}, IPv6 ones 18-byte
 * entries under {@code added6}/{@code added6.f}/{@code dropped6}; here both families share one
 * list each.
 *
 * <p>Decoding is strict: a payload that is not a flat dictionary of byte strings, a list whose
 * length is not a multiple of its entry size, a flag string that does not match its list, or
 * more than {@link #MAX_PER_LIST} entries in a list (libtorrent sends at most 50 a family,
 * 200 in a first message is already generous) is a {@link WireException}. Unknown keys are
 * ignored; entries with port 0 (nobody listens there) are skipped.
 */
public record PexMessage(List<Peer> added, List<InetSocketAddress> dropped) {
    /** The extension's name in the BEP 10 {@code m} dictionary. */
    public static final String NAME = "ut_pex";
    /**
     * The id we ask peers to send ut_pex with (libtorrent's too). Other extensions we speak
     * must take other ids.
     */
    public static final int LOCAL_ID = 1;
    /** Entries allowed in one list of one family. */
    public static final int MAX_PER_LIST = 200;

    /** Flag bits of an added peer. */
    public static final int PREFERS_ENCRYPTION = 0x01, SEED = 0x02, SUPPORTS_UTP = 0x04,
            SUPPORTS_HOLEPUNCH = 0x08, REACHABLE = 0x10;

    /** Six byte strings and a few unknown keys fit; anything nested is garbage. */
    private static final BencodeLimits LIMITS = new BencodeLimits(1, 32);
    /** Three full lists of each family and their flags, with room to spare. */
    private static final int MAX_PAYLOAD = 16 * 1024;

    /** One added peer and its flags ({@link #SEED}, {@link #REACHABLE}, ...). */
    public record Peer(InetSocketAddress address, int flags) {
        public boolean has(int flag) {
            return (flags & flag) != 0;
        }
    }

    public PexMessage {
        added = List.copyOf(added);
        dropped = List.copyOf(dropped);
    }

    public byte[] encode() {
        List<Peer> added4 = new ArrayList<>();
        List<Peer> added6 = new ArrayList<>();
        for (Peer p : added) {
            (p.address().getAddress() instanceof Inet6Address ? added6 : added4).add(p);
        }
        List<InetSocketAddress> dropped4 = new ArrayList<>();
        List<InetSocketAddress> dropped6 = new ArrayList<>();
        for (InetSocketAddress a : dropped) {
            (a.getAddress() instanceof Inet6Address ? dropped6 : dropped4).add(a);
        }
        Map<String, BValue> root = new LinkedHashMap<>(); // keys in sorted order
        root.put("added", new BString(compact(added4.stream().map(Peer::address).toList(), 4)));
        root.put("added.f", new BString(flags(added4)));
        if (!added6.isEmpty()) {
            root.put("added6", new BString(compact(added6.stream().map(Peer::address).toList(), 16)));
            root.put("added6.f", new BString(flags(added6)));
        }
        root.put("dropped", new BString(compact(dropped4, 4)));
        if (!dropped6.isEmpty()) {
            root.put("dropped6", new BString(compact(dropped6, 16)));
        }
        return BencodeEncoder.encode(new BDict(root));
    }

    public PeerMessage.Extended toMessage(int peersId) {
        return new PeerMessage.Extended(peersId, encode());
    }

    /** Parses a peer's ut_pex payload; anything malformed is a protocol error. */
    public static PexMessage decode(byte[] payload) {
        if (payload.length > MAX_PAYLOAD) {
            throw new WireException("ut_pex message of " + payload.length + " bytes");
        }
        BValue v;
        try {
            v = BencodeDecoder.decode(payload, LIMITS);
        } catch (BencodeException | RuntimeException e) {
            throw new WireException("bad ut_pex message: " + e.getMessage());
        }
        if (!(v instanceof BDict root)) {
            throw new WireException("ut_pex message is not a dictionary");
        }
        List<Peer> added = new ArrayList<>();
        addPeers(root, "added", 4, added);
        addPeers(root, "added6", 16, added);
        List<InetSocketAddress> dropped = new ArrayList<>();
        dropped.addAll(addresses(root, "dropped", 4));
        dropped.addAll(addresses(root, "dropped6", 16));
        return new PexMessage(added, dropped);
    }

    private static void addPeers(BDict root, String key, int ipLength, List<Peer> into) {
        byte[] raw = entries(root, key, ipLength);
        int n = raw.length / (ipLength + 2);
        byte[] flags = bytes(root, key + ".f");
        if (flags != null && flags.length != n) {
            throw new WireException(key + ".f has " + flags.length + " flags for " + n + " peers");
        }
        for (int e = 0; e < n; e++) {
            InetSocketAddress a = entry(raw, e, ipLength);
            if (a != null) {
                into.add(new Peer(a, flags == null ? 0 : flags[e] & 0xff));
            }
        }
    }

    private static List<InetSocketAddress> addresses(BDict root, String key, int ipLength) {
        byte[] raw = entries(root, key, ipLength);
        List<InetSocketAddress> out = new ArrayList<>();
        for (int e = 0; e < raw.length / (ipLength + 2); e++) {
            InetSocketAddress a = entry(raw, e, ipLength);
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }

    /** The compact list under {@code key} (empty when absent), its length checked. */
    private static byte[] entries(BDict root, String key, int ipLength) {
        byte[] raw = bytes(root, key);
        if (raw == null) {
            return new byte[0];
        }
        int entrySize = ipLength + 2;
        if (raw.length % entrySize != 0) {
            throw new WireException(key + " of " + raw.length + " bytes is not a list of "
                    + entrySize + "-byte peers");
        }
        if (raw.length / entrySize > MAX_PER_LIST) {
            throw new WireException(key + " names " + raw.length / entrySize + " peers, more than "
                    + MAX_PER_LIST);
        }
        return raw;
    }

    /** Entry {@code e} of a compact list, or null when its port is 0. */
    private static InetSocketAddress entry(byte[] raw, int e, int ipLength) {
        int at = e * (ipLength + 2);
        int port = ((raw[at + ipLength] & 0xff) << 8) | (raw[at + ipLength + 1] & 0xff);
        if (port == 0) {
            return null;
        }
        try {
            // an IPv4-mapped IPv6 entry becomes an Inet4Address, as it should
            return new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(raw, at, at + ipLength)), port);
        } catch (UnknownHostException x) {
            throw new WireException("bad address"); // not reached: lengths are 4 or 16
        }
    }

    private static byte[] bytes(BDict root, String key) {
        BValue v = root.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof BString s)) {
            throw new WireException("ut_pex " + key + " is not a byte string");
        }
        return s.bytes();
    }

    private static byte[] compact(List<InetSocketAddress> addresses, int ipLength) {
        ByteBuffer b = ByteBuffer.allocate(addresses.size() * (ipLength + 2));
        for (InetSocketAddress a : addresses) {
            byte[] ip = a.getAddress().getAddress();
            if (ip.length != ipLength) {
                throw new IllegalArgumentException(a + " is not an IPv" + (ipLength == 4 ? 4 : 6) + " address");
            }
            b.put(ip).putShort((short) a.getPort());
        }
        return b.array();
    }

    private static byte[] flags(List<Peer> peers) {
        byte[] f = new byte[peers.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (byte) peers.get(i).flags();
        }
        return f;
    }

    /** True when {@code a} can be sent in a ut_pex list: an IPv4 or IPv6 address and a port. */
    public static boolean sendable(InetSocketAddress a) {
        return a != null && !a.isUnresolved() && a.getPort() > 0
                && (a.getAddress() instanceof Inet4Address || a.getAddress() instanceof Inet6Address);
    }
}
