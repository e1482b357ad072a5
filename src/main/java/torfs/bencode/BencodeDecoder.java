package torfs.bencode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strict bencode decoder. Rejects leading zeros, "-0", empty integers, non-string keys,
 * duplicate keys, truncation and trailing bytes; checks every declared string length
 * against the bytes left before allocating; bounds nesting and token count.
 */
public final class BencodeDecoder {
    private final byte[] in;
    private final int limit;
    private final BencodeLimits limits;
    private static final int MAX_CACHED_KEYS = 256;
    /** Lists longer than this become a {@link SpanList}. */
    private static final int SPAN_LIST_AFTER = 1024;
    /** Dictionaries up to this size check duplicate keys by a scan. */
    private static final int LINEAR_KEYS = 16;
    private final Map<String, String> keyCache = new HashMap<>();
    private int pos;
    private int tokens;

    private BencodeDecoder(byte[] in, int offset, int limit, BencodeLimits limits) {
        this.in = in;
        this.pos = offset;
        this.limit = limit;
        this.limits = limits;
    }

    /** Decodes exactly one value spanning the whole array. */
    public static BValue decode(byte[] data) throws BencodeException {
        return decode(data, BencodeLimits.DEFAULT);
    }

    public static BValue decode(byte[] data, BencodeLimits limits) throws BencodeException {
        BencodeDecoder d = new BencodeDecoder(data, 0, data.length, limits);
        BValue v = d.value(0);
        if (d.pos != data.length) {
            throw new BencodeException("trailing data after the value", d.pos);
        }
        return v;
    }

    /**
     * Decodes one value starting at {@code offset} and returns it with the offset just past it;
     * bytes after it are left alone (BEP 9 and BEP 10 messages append raw data to a dictionary).
     */
    public static Prefix decodePrefix(byte[] data, int offset, int length) throws BencodeException {
        return decodePrefix(data, offset, length, BencodeLimits.DEFAULT);
    }

    /** As {@link #decodePrefix(byte[], int, int)} within tighter {@code limits}. */
    public static Prefix decodePrefix(byte[] data, int offset, int length, BencodeLimits limits)
            throws BencodeException {
        BencodeDecoder d = new BencodeDecoder(data, offset, offset + length, limits);
        BValue v = d.value(0);
        return new Prefix(v, d.pos);
    }

    /** A value decoded from the front of a buffer and the offset just past its encoding. */
    public record Prefix(BValue value, int end) {
    }

    private BValue value(int depth) throws BencodeException {
        if (++tokens > limits.maxTokens()) {
            throw new BencodeException("more than " + limits.maxTokens() + " values", pos);
        }
        if (pos >= limit) {
            throw new BencodeException("unexpected end of data", pos);
        }
        byte b = in[pos];
        if (b == 'i') {
            return integer();
        }
        if (b >= '0' && b <= '9') {
            return string();
        }
        if (b == 'l' || b == 'd') {
            if (depth + 1 > limits.maxDepth()) {
                throw new BencodeException("nesting deeper than " + limits.maxDepth(), pos);
            }
            return b == 'l' ? list(depth + 1) : dict(depth + 1);
        }
        throw new BencodeException("unexpected byte 0x" + String.format("%02x", b & 0xff), pos);
    }

    private BInt integer() throws BencodeException {
        int start = pos;
        pos++; // 'i'
        int end = indexOf((byte) 'e', pos);
        if (end < 0) {
            throw new BencodeException("unterminated integer", start);
        }
        int p = pos;
        boolean negative = false;
        if (p < end && in[p] == '-') {
            negative = true;
            p++;
        }
        if (p == end) {
            throw new BencodeException("empty integer", start);
        }
        if (in[p] == '0' && (end - p > 1 || negative)) {
            throw new BencodeException(negative ? "negative zero" : "integer with leading zero", start);
        }
        long v = 0;
        for (int i = p; i < end; i++) {
            int digit = in[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new BencodeException("non-digit in integer", i);
            }
            // accumulate negatively so Long.MIN_VALUE parses; overflow is an error
            if (v < (Long.MIN_VALUE + digit) / 10) {
                throw new BencodeException("integer out of 64-bit range", start);
            }
            v = v * 10 - digit;
        }
        if (!negative) {
            if (v == Long.MIN_VALUE) {
                throw new BencodeException("integer out of 64-bit range", start);
            }
            v = -v;
        }
        pos = end + 1;
        return new BInt(v);
    }

    private BString string() throws BencodeException {
        int start = pos;
        long len = 0;
        int digits = 0;
        while (pos < limit && in[pos] != ':') {
            int digit = in[pos] - '0';
            if (digit < 0 || digit > 9) {
                throw new BencodeException("non-digit in string length", pos);
            }
            if (digits == 1 && len == 0) {
                throw new BencodeException("string length with leading zero", start);
            }
            len = len * 10 + digit;
            if (len > Integer.MAX_VALUE) {
                throw new BencodeException("string length larger than the data", start);
            }
            digits++;
            pos++;
        }
        if (pos >= limit) {
            throw new BencodeException("unterminated string length", start);
        }
        pos++; // ':'
        if (len > limit - pos) {
            throw new BencodeException("string length " + len + " larger than the " + (limit - pos)
                    + " bytes left", start);
        }
        byte[] bytes = Arrays.copyOfRange(in, pos, pos + (int) len);
        pos += (int) len;
        return new BString(bytes);
    }

    private BList list(int depth) throws BencodeException {
        pos++; // 'l'
        List<BValue> values = new ArrayList<>();
        int[] starts = new int[8]; // where each element starts, for a long list
        int n = 0;
        while (true) {
            if (pos >= limit) {
                throw new BencodeException("unterminated list", pos);
            }
            if (in[pos] == 'e') {
                pos++;
                if (values != null) {
                    return new BList(values);
                }
                starts[n] = pos - 1;
                return new BList(new SpanList(in, Arrays.copyOf(starts, n + 1)));
            }
            if (n + 1 >= starts.length) {
                starts = Arrays.copyOf(starts, starts.length * 2);
            }
            starts[n++] = pos;
            BValue v = value(depth);
            if (n > SPAN_LIST_AFTER) {
                values = null; // a long list keeps where its elements are, not the elements
            } else {
                values.add(v);
            }
        }
    }

    private BDict dict(int depth) throws BencodeException {
        int start = pos;
        pos++; // 'd'
        String[] keys = new String[4];
        BValue[] values = new BValue[4];
        int n = 0;
        Set<String> seen = null; // a hostile dictionary of a million keys stays linear
        while (true) {
            if (pos >= limit) {
                throw new BencodeException("unterminated dictionary", pos);
            }
            if (in[pos] == 'e') {
                pos++;
                return new BDict(Arrays.copyOf(keys, n), Arrays.copyOf(values, n), start, pos);
            }
            int keyAt = pos;
            if (in[pos] < '0' || in[pos] > '9') {
                throw new BencodeException("dictionary key is not a string", pos);
            }
            if (++tokens > limits.maxTokens()) {
                throw new BencodeException("more than " + limits.maxTokens() + " values", pos);
            }
            String key = key(string().bytes());
            if (n == LINEAR_KEYS) {
                seen = new HashSet<>(Arrays.asList(keys).subList(0, n));
            }
            if (seen != null ? !seen.add(key) : isAmong(key, keys, n)) {
                throw new BencodeException("duplicate dictionary key '" + key + "'", keyAt);
            }
            if (n == keys.length) {
                keys = Arrays.copyOf(keys, n * 2);
                values = Arrays.copyOf(values, n * 2);
            }
            keys[n] = key;
            values[n++] = value(depth);
        }
    }

    private static boolean isAmong(String key, String[] keys, int n) {
        for (int i = 0; i < n; i++) {
            if (keys[i].equals(key)) {
                return true;
            }
        }
        return false;
    }

    /** One String per distinct key: a torrent's 100,000 file dictionaries share "length" and "path". */
    private String key(byte[] bytes) {
        String k = new String(bytes, StandardCharsets.ISO_8859_1);
        if (keyCache.size() >= MAX_CACHED_KEYS) {
            return k;
        }
        String shared = keyCache.putIfAbsent(k, k);
        return shared != null ? shared : k;
    }

    private int indexOf(byte b, int from) {
        for (int i = from; i < limit; i++) {
            if (in[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
