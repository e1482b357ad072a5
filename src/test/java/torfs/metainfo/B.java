package torfs.metainfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import torfs.bencode.BDict;
import torfs.bencode.BInt;
import torfs.bencode.BList;
import torfs.bencode.BString;
import torfs.bencode.BValue;
import torfs.bencode.BencodeEncoder;

/** Test shorthand for writing bencode: d("k", v, ...), l(v, ...); String/byte[]/number/BValue. */
final class B {
    private B() {
    }

    static BDict d(Object... kv) {
        Map<String, BValue> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], v(kv[i + 1]));
        }
        return new BDict(m);
    }

    static BList l(Object... items) {
        List<BValue> out = new ArrayList<>();
        for (Object o : items) {
            out.add(v(o));
        }
        return new BList(out);
    }

    static BValue v(Object o) {
        if (o instanceof BValue b) {
            return b;
        }
        if (o instanceof String s) {
            return BString.of(s);
        }
        if (o instanceof byte[] b) {
            return new BString(b);
        }
        if (o instanceof Number n) {
            return new BInt(n.longValue());
        }
        throw new IllegalArgumentException(String.valueOf(o));
    }

    static byte[] enc(Object o) {
        return BencodeEncoder.encode(v(o));
    }

    /** n piece hashes' worth of bytes (contents irrelevant to parsing). */
    static byte[] hashes(int n) {
        return new byte[n * 20];
    }

    /** A valid multi-file torrent around the given file dictionaries, piece length 16 KiB. */
    static byte[] multi(long total, Object... files) {
        int pieces = (int) ((total + 16383) / 16384);
        return enc(d("info", d("name", "t", "piece length", 16384, "pieces", hashes(pieces),
                "files", l(files))));
    }

    static BDict file(long length, Object... path) {
        return d("length", length, "path", l(path));
    }
}
