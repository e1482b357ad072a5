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
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

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
        try {
            byte[] v4 = ipv4(ip);
            if (v4 != null) {
                return new InetSocketAddress(InetAddress.getByAddress(v4), (int) port);
            }
            // getByName treats text as a literal only if it starts with a hex digit or ':' and
            // has a ':' (else it throws); "999.1.1.1" or ".:" would go to DNS
            boolean v6 = !ip.isEmpty() && ip.indexOf(':') >= 0 && (hexDigit(ip.charAt(0)) || ip.charAt(0) == ':')
                    && ip.chars().allMatch(c -> hexDigit(c) || c == ':' || c == '.' || c == '%');
            return v6 ? new InetSocketAddress(InetAddress.getByName(ip), (int) port) : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Dotted-quad IPv4 parsed here, not by InetAddress: out-of-range octets must not fall through to DNS. */
    private static byte[] ipv4(String ip) {
        if (!IPV4.matcher(ip).matches()) {
            return null;
        }
        String[] parts = ip.split("\\.");
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            int octet = Integer.parseInt(parts[i]);
            if (octet > 255) {
                return null;
            }
            out[i] = (byte) octet;
        }
        return out;
    }

    private static boolean hexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
