package torfs.bencode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bencode dictionary. Keys are byte strings held as ISO-8859-1 Java strings so every byte
 * survives a round trip and byte order equals char order. A decoded dictionary remembers the
 * span [start, end) of its encoding in the source, so the info-hash can be taken over the
 * original bytes even when the writer did not sort its keys. Entries are two arrays searched
 * in order, not a hash map: a .torrent of 100,000 files decodes 100,000 small dictionaries,
 * and a map each cost three times their bytes.
 */
public final class BDict implements BValue {
    private final String[] keys;
    private final BValue[] values;
    private final int start;
    private final int end;

    public BDict(Map<String, BValue> entries) {
        this(entries.keySet().toArray(new String[0]), entries.values().toArray(new BValue[0]), -1, -1);
    }

    /** Takes the arrays as they are: keys distinct, in the order they appeared. */
    BDict(String[] keys, BValue[] values, int start, int end) {
        this.keys = keys;
        this.values = values;
        this.start = start;
        this.end = end;
    }

    /** The entries in their order, as a new unmodifiable map. */
    public Map<String, BValue> entries() {
        Map<String, BValue> m = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) {
            m.put(keys[i], values[i]);
        }
        return Collections.unmodifiableMap(m);
    }

    public BValue get(String key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return values[i];
            }
        }
        return null;
    }

    public boolean containsKey(String key) {
        return get(key) != null;
    }

    public int size() {
        return keys.length;
    }

    /** Offset of the leading 'd' in the decoded source, or -1 when built in memory. */
    public int sourceStart() {
        return start;
    }

    /** Offset just past the closing 'e' in the decoded source, or -1 when built in memory. */
    public int sourceEnd() {
        return end;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BDict other && entries().equals(other.entries());
    }

    @Override
    public int hashCode() {
        return entries().hashCode();
    }

    @Override
    public String toString() {
        return "BDict" + entries();
    }
}
