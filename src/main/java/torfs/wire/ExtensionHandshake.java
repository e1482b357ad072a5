package torfs.wire;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import torfs.bencode.BDict;
import torfs.bencode.BInt;
import torfs.bencode.BString;
import torfs.bencode.BValue;
import torfs.bencode.BencodeDecoder;
import torfs.bencode.BencodeEncoder;
import torfs.bencode.BencodeException;
import torfs.bencode.BencodeLimits;

/**
 * The BEP 10 extension handshake (extended message 0): the extensions a peer speaks and the
 * ids it wants them sent with ({@code m}), its client name ({@code v}), how many
 * outstanding requests it accepts ({@code reqq}, 0 when not given) and the TCP port it listens
 * on ({@code p}, 0 when not given: what lets us pass on a peer that dialled us by ut_pex).
 * Unknown keys are ignored.
 */
public record ExtensionHandshake(Map<String, Integer> extensions, String client, int requestQueue,
                                 int listenPort) {
    private static final BencodeLimits LIMITS = new BencodeLimits(16, 10_000);

    public ExtensionHandshake {
        extensions = Map.copyOf(extensions);
    }

    public ExtensionHandshake(Map<String, Integer> extensions, String client, int requestQueue) {
        this(extensions, client, requestQueue, 0);
    }

    public byte[] encode() {
        Map<String, BValue> m = new TreeMap<>();
        extensions.forEach((k, v) -> m.put(k, new BInt(v)));
        Map<String, BValue> root = new LinkedHashMap<>();
        root.put("m", new BDict(m));
        if (listenPort > 0) {
            root.put("p", new BInt(listenPort));
        }
        if (requestQueue > 0) {
            root.put("reqq", new BInt(requestQueue));
        }
        if (client != null && !client.isEmpty()) {
            root.put("v", BString.of(client));
        }
        return BencodeEncoder.encode(new BDict(root));
    }

    public PeerMessage.Extended toMessage() {
        return new PeerMessage.Extended(0, encode());
    }

    /** Parses a peer's handshake; anything malformed is a protocol error. */
    public static ExtensionHandshake parse(byte[] payload) {
        BValue v;
        try {
            v = BencodeDecoder.decode(payload, LIMITS);
        } catch (BencodeException | RuntimeException e) {
            throw new WireException("bad extension handshake: " + e.getMessage());
        }
        if (!(v instanceof BDict root)) {
            throw new WireException("extension handshake is not a dictionary");
        }
        Map<String, Integer> ext = new LinkedHashMap<>();
        if (root.get("m") instanceof BDict m) {
            m.entries().forEach((k, val) -> {
                if (val instanceof BInt i && i.value() >= 0 && i.value() <= 255) {
                    ext.put(k, (int) i.value());
                }
            });
        }
        String client = root.get("v") instanceof BString s ? s.utf8() : "";
        int reqq = 0;
        if (root.get("reqq") instanceof BInt i && i.value() > 0) {
            reqq = (int) Math.min(i.value(), 100_000);
        }
        int port = root.get("p") instanceof BInt p && p.value() > 0 && p.value() <= 65535 ? (int) p.value() : 0;
        return new ExtensionHandshake(ext, client, reqq, port);
    }
}
