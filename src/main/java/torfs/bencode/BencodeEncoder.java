package torfs.bencode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Canonical bencode encoder: dictionary keys sorted as raw byte strings. */
public final class BencodeEncoder {
    private BencodeEncoder() {
    }

    public static byte[] encode(BValue value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(value, out);
        return out.toByteArray();
    }

    public static void write(BValue value, ByteArrayOutputStream out) {
        if (value instanceof BInt i) {
            ascii(out, "i" + i.value() + "e");
        } else if (value instanceof BString s) {
            ascii(out, s.length() + ":");
            out.writeBytes(s.bytes());
        } else if (value instanceof BList l) {
            out.write('l');
            for (BValue v : l.values()) {
                write(v, out);
            }
            out.write('e');
        } else if (value instanceof BDict d) {
            out.write('d');
            List<Map.Entry<String, BValue>> sorted = new ArrayList<>(d.entries().entrySet());
            sorted.sort(Map.Entry.comparingByKey()); // ISO-8859-1 chars compare like bytes
            for (Map.Entry<String, BValue> e : sorted) {
                byte[] key = e.getKey().getBytes(StandardCharsets.ISO_8859_1);
                ascii(out, key.length + ":");
                out.writeBytes(key);
                write(e.getValue(), out);
            }
            out.write('e');
        }
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
