package torfs.tracker;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Netty settings every TorFS process wants, applied before Netty's first use unless the user
 * set them: a random machine id (Netty derives channel ids from a MAC address and warns when it
 * finds none, as in a loopback-only namespace; the id only needs to be unique), and no JFR
 * events from its allocators (declaring them makes the first pooled allocation start JFR's
 * event machinery, ~50 ms of a cold process's first connection, for events nobody records);
 * and a directory its native transport can be loaded from ({@link NettyNativeDir}).
 */
public final class NettyDefaults {
    private NettyDefaults() {
    }

    public static void apply() {
        if (System.getProperty("io.netty.machineId") == null) {
            byte[] id = new byte[8];
            ThreadLocalRandom.current().nextBytes(id);
            id[0] |= 0x02; // locally administered, never a real vendor's address
            System.setProperty("io.netty.machineId", HexFormat.ofDelimiter(":").formatHex(id));
        }
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        NettyNativeDir.apply();
    }
}
