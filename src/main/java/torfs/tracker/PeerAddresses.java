package torfs.tracker;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** Peer addresses as trackers write them: compact byte strings (BEP 23, BEP 7) and IP literals. */
final class PeerAddresses {
    static final int COMPACT_V4 = 6;
    static final int COMPACT_V6 = 18;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private PeerAddresses() {
    }

    /** Splits {@code data[offset, offset+length)} into entries of an address and a big-endian port. */
    static List<InetSocketAddress> compact(byte[] data, int offset, int length, int entrySize, String field)
            throws TrackerException {
        if (length % entrySize != 0) {
            throw new TrackerException("bad tracker response: '" + field + "' is " + length
                    + " bytes, not a multiple of " + entrySize);
        }
        int addrLen = entrySize - 2;
        List<InetSocketAddress> out = new ArrayList<>(length / entrySize);
        for (int p = offset; p < offset + length; p += entrySize) {
            int port = ((data[p + addrLen] & 0xff) << 8) | (data[p + addrLen + 1] & 0xff);
            if (port == 0) {
                continue; // nobody listens on port 0
            }
            try {
                InetAddress a = InetAddress.getByAddress(Arrays.copyOfRange(data, p, p + addrLen));
                out.add(new InetSocketAddress(a, port));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("address of " + addrLen + " bytes", e); // 4 or 16: cannot happen
            }
        }
        return out;
    }

    /**
     * An IP literal with port, or null for anything else: a host name in a tracker's dictionary
     * peer list is not resolved (no DNS lookups on a remote party's say-so).
     */
    static InetSocketAddress literal(String ip, long port) {
        if (port <= 0 || port > 65535) {
            return null;
        }
        boolean v4 = IPV4.matcher(ip).matches();
        boolean v6 = !v4 && ip.indexOf(':') >= 0 && ip.chars().allMatch(c -> Character.digit(c, 16) >= 0
                || c == ':' || c == '.' || c == '%');
        if (!v4 && !v6) {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), (int) port); // literal: no lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
