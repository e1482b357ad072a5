package torfs.metainfo;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** The 20-byte SHA-1 of a torrent's bencoded info dictionary: the torrent's identity. */
public final class InfoHash {
    public static final int LENGTH = 20;
    private final byte[] bytes;

    private InfoHash(byte[] bytes) {
        this.bytes = bytes;
    }

    public static InfoHash of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("an info-hash has 20 bytes, got " + bytes.length);
        }
        return new InfoHash(bytes.clone());
    }

    /** SHA-1 over {@code data[offset, offset+length)}: the raw info span of a .torrent. */
    public static InfoHash sha1Of(byte[] data, int offset, int length) {
        MessageDigest sha1 = newSha1();
        sha1.update(data, offset, length);
        return new InfoHash(sha1.digest());
    }

    /** A fresh SHA-1 digest, the hash of info dictionaries and pieces alike. */
    public static MessageDigest newSha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 missing from the JDK", e);
        }
    }

    /** Parses 40 hex digits, either case. */
    public static InfoHash fromHex(String hex) {
        if (hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("an info-hash has 40 hex digits, got " + hex.length());
        }
        return new InfoHash(HexFormat.of().parseHex(hex));
    }

    /** A copy of the 20 bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Lower-case hex, as trackers' whitelists and the data directory name use. */
    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InfoHash other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
