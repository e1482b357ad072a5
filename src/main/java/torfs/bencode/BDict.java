package torfs.bencode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bencode dictionary. Keys are byte strings held as ISO-8859-1 Java strings so every byte
 * survives a round trip and byte order equals char order. A decoded dictionary remembers the
 * span [start, end) of its encoding in the source, so the info-hash can be taken over the
 * original bytes even when the writer did not sort its keys.
 */
public final class BDict implements BValue {
    private final Map<String, BValue> entries;
    private final int start;
    private final int end;

    public BDict(Map<String, BValue> entries) {
        this(entries, -1, -1);
    }

    BDict(Map<String, BValue> entries, int start, int end) {
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        this.start = start;
        this.end = end;
    }

    public Map<String, BValue> entries() {
        return entries;
    }

    public BValue get(String key) {
        return entries.get(key);
    }

    public boolean containsKey(String key) {
        return entries.containsKey(key);
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
        return o instanceof BDict other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "BDict" + entries;
    }
}
