package torfs.peer;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import torfs.metainfo.InfoHash;

/**
 * The canonical BEP 6 allowed-fast set: the pieces a peer at one IPv4 address may request from
 * us while we choke it. Derived from the peer's /24 and the info-hash, so every reconnect from
 * that network gets the same pieces and a peer cannot collect more by cycling ports or hosts.
 */
public final class AllowedFastSet {
    /** How many pieces we grant (libtorrent's allowed_fast_set_size). */
    public static final int SIZE = 10;

    private AllowedFastSet() {
    }

    /**
     * BEP 6: x = SHA-1 of (ip & 0xFFFFFF00) + info-hash, then of x again, each digest giving five
     * big-endian 32-bit numbers mod {@code pieceCount}, skipping repeats, until {@code k} pieces.
     * With {@code k >= pieceCount} every piece is in the set (as libtorrent does).
     */
    public static List<Integer> generate(byte[] ipv4, InfoHash infoHash, int pieceCount, int k) {
        if (ipv4.length != 4) {
            throw new IllegalArgumentException("BEP 6 allowed-fast sets are defined for IPv4 only");
        }
        List<Integer> out = new ArrayList<>(Math.min(k, pieceCount));
        if (k >= pieceCount) {
            for (int i = 0; i < pieceCount; i++) {
                out.add(i);
            }
            return out;
        }
        byte[] x = new byte[24];
        System.arraycopy(ipv4, 0, x, 0, 3); // the last octet stays 0: the mask 0xFFFFFF00
        System.arraycopy(infoHash.bytes(), 0, x, 4, InfoHash.LENGTH);
        MessageDigest sha1 = InfoHash.newSha1();
        while (out.size() < k) {
            x = sha1.digest(x);
            for (int i = 0; i < 5 && out.size() < k; i++) {
                int j = i * 4;
                long y = ((x[j] & 0xffL) << 24) | ((x[j + 1] & 0xff) << 16) | ((x[j + 2] & 0xff) << 8)
                        | (x[j + 3] & 0xff);
                int index = (int) (y % pieceCount);
                if (!out.contains(index)) {
                    out.add(index);
                }
            }
        }
        return out;
    }
}
