package torfs.session;

import java.net.InetAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why the listening port could not be bound, as one plain line: {@code cannot listen on
 * 127.0.0.1 port 6881: address already in use}, in the words of the system call rather than
 * Netty's native transport's ({@code bind(..) failed with error(-98): Address already in use}).
 */
final class ListenFailure {
    private static final Pattern NATIVE = Pattern.compile("^\\w+\\(\\.\\.\\) failed with error\\(-?\\d+\\): (.+)$");

    private ListenFailure() {
    }

    /** @param proto "" for TCP, "UDP " for the UDP socket; {@code bind} null for every address */
    static String describe(String proto, InetAddress bind, int port, Throwable cause) {
        String m = String.valueOf(cause.getMessage());
        Matcher syscall = NATIVE.matcher(m);
        if (syscall.matches()) {
            m = syscall.group(1);
        }
        if (!m.isEmpty()) {
            m = Character.toLowerCase(m.charAt(0)) + m.substring(1);
        }
        return "cannot listen on " + proto + (bind == null ? "" : bind.getHostAddress() + " ") + "port " + port + ": " + m;
    }
}
