package torfs.app;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** {@code --web ADDR:PORT} (IPv6 in brackets), resolved; a bad one is a one-line error. */
final class WebAddress {
    private WebAddress() {
    }

    static InetSocketAddress parse(String spec) {
        int colon = spec.lastIndexOf(':');
        if (colon <= 0 || colon == spec.length() - 1) {
            throw new UserError("--web " + spec + ": give ADDR:PORT, e.g. 127.0.0.1:8080");
        }
        String host = spec.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(spec.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new UserError("--web " + spec + ": the port is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new UserError("--web " + spec + ": the port must be 0-65535");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new UserError("--web " + spec + ": unknown host");
        }
    }
}
