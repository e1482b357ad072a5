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
 * outstanding requests it accepts ({@code reqq}), the size of the info dictionary it can send
 * with ut_metadata ({@code metadata_size}, BEP 9) and its listening port ({@code p}); each
 * number is 0 when not given. Unknown keys are ignored. A metadata_size that is not in
 * (0, {@link MetadataMessage#MAX_SIZE}] reads as absent: that peer is not asked for metadata.
 */
public record ExtensionHandshake(Map<String, Integer> extensions, String client, int requestQueue,
                                 int metadataSize, int listenPort) {
    private static final BencodeLimits LIMITS = new BencodeLimits(16, 10_000);

    public ExtensionHandshake {
        extensions = Map.copyOf(extensions);
    }

    public ExtensionHandshake(Map<String, Integer> extensions, String client, int requestQueue) {
        this(extensions, client, requestQueue, 0, 0);
    }

    public byte[] encode() {
        Map<String, BValue> m = new TreeMap<>();
        extensions.forEach((k, v) -> m.put(k, new BInt(v)));
        Map<String, BValue> root = new LinkedHashMap<>();
        root.put("m", new BDict(m));
        if (metadataSize > 0) {
            root.put("metadata_size", new BInt(metadataSize));
        }
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
        int metadataSize = 0;
        if (root.get("metadata_size") instanceof BInt i && i.value() > 0
                && i.value() <= MetadataMessage.MAX_SIZE) {
            metadataSize = (int) i.value();
        }
        int port = root.get("p") instanceof BInt i && i.value() > 0 && i.value() <= 65535
                ? (int) i.value() : 0;
        return new ExtensionHandshake(ext, client, reqq, metadataSize, port);
    }
}
