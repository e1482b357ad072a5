package torfs.tracker;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The local address to send from when a bind address is set: only one of the remote's family.
 * An IPv4 bind address cannot reach an IPv6 peer (nor the reverse), and the kernel's error
 * for trying ("Network is unreachable", "Invalid argument") says nothing useful; the other
 * family goes out from the wildcard instead.
 */
public final class LocalBind {
    private LocalBind() {
    }

    /** {@code bind} when it is a specific address of {@code remote}'s family, else null (any). */
    public static InetAddress forRemote(InetAddress bind, InetAddress remote) {
        if (bind == null || bind.isAnyLocalAddress() || remote == null) {
            return null;
        }
        return (bind instanceof Inet6Address) == (remote instanceof Inet6Address) ? bind : null;
    }
}
