package torfs.bencode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A bencode byte string. Bytes are kept as given: names may not be valid UTF-8. */
public final class BString implements BValue {
    private final byte[] bytes;

    public BString(byte[] bytes) {
        this.bytes = bytes;
    }

    public static BString of(String utf8) {
        return new BString(utf8.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes themselves, not a copy: callers must not modify them. */
    public byte[] bytes() {
        return bytes;
    }

    public int length() {
        return bytes.length;
    }

    /** Decodes as UTF-8, replacing malformed sequences with U+FFFD. */
    public String utf8() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BString other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "BString(" + utf8() + ")";
    }
}
