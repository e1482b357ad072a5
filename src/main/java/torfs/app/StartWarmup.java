package torfs.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import torfs.geometry.PieceRange;

/**
 * The native libraries and classes a download's, seed's or mount's first connection and first
 * block need, initialised on a spare thread while the main one parses the command line and the
 * .torrent (picocli alone takes ~0.3 s of a cold JVM; the machine has a second core). Without
 * it libcrypto's binding (jnr-ffi, ~0.2 s) was loaded on the event loop by the first block
 * received, between it and its write; the first encrypted handshake spent ~0.1 s in cold
 * BigInteger code. Whatever the main thread needs first it waits for, as
 * for any class being initialised: nothing runs twice.
 */
final class StartWarmup {
    /** The commands that go on to connect to peers and hash pieces. */
    private static final Set<String> COMMANDS = Set.of("download", "seed", "mount");
    /** Every one of these commands': the sockets' transport and buffers. */
    static final String[] CLASSES = {
            "io.netty.channel.epoll.Epoll", // the native transport's library
            "io.netty.buffer.PooledByteBufAllocator", // the peers' buffer arenas
    };
    /** The first block's and the first encrypted handshake's (with MSE's key exchange, run in {@link #run}). */
    static final String[] PEER_CLASSES = {
            "torfs.metainfo.OpenSslSha1", // libcrypto's SHA-1 through jnr-ffi
            "torfs.transport.mse.OpenSslRc4", // and its RC4, for encrypted peers
    };
    /**
     * A mount's too: libfuse's interrupt check, which jnr-ffi binds when its class is first used,
     * by the first read (~5 ms of a fresh mount's first byte, traced).
     */
    static final String[] MOUNT_CLASSES = {"torfs.fuse.FuseInterrupt"};
    /**
     * Set by the launcher for a mount of many (scripts/torfs): a long-lived server that may
     * never download, so libcrypto and the handshake's code load when a peer first needs them
     * (~0.1-0.2 s once, on that first connection or hash) instead of at start: ~2 MB less held
     * at rest (native-test/bench-many.sh).
     */
    static final String MANY_PROPERTY = "torfs.mount.many";

    private StartWarmup() {
    }

    /** Starts the warm-up when {@code args} name one of {@link #COMMANDS}; call after NettyDefaults. */
    static void startFor(String[] args) {
        String command = Subcommands.named(args);
        if (command == null || !COMMANDS.contains(command)) {
            return;
        }
        boolean many = Boolean.getBoolean(MANY_PROPERTY);
        List<String> classes = classesFor(command, many);
        Thread t = new Thread(() -> run(classes, !many), "torfs-warmup");
        t.setDaemon(true);
        t.start();
    }

    /**
     * The classes initialised for {@code command}: a mount's libfuse binding only for a mount,
     * the peers' only where not {@code many} (a mount of many, {@link #MANY_PROPERTY}).
     */
    static List<String> classesFor(String command, boolean many) {
        List<String> out = new ArrayList<>(List.of(CLASSES));
        if (!many) {
            out.addAll(List.of(PEER_CLASSES));
        }
        if (command.equals("mount")) {
            out.addAll(List.of(MOUNT_CLASSES));
        }
        return out;
    }

    private static void run(List<String> classes, boolean peers) {
        ClassLoader loader = StartWarmup.class.getClassLoader();
        for (String name : classes) {
            try {
                Class.forName(name, true, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                // the main thread meets the same failure where it is handled
            }
        }
        if (peers) {
            torfs.transport.mse.MseInitiator.warmUp(); // encryption is preferred by default
        }
        // a record's equals and hashCode are bound at their first call, by ObjectMethods'
        // bootstrap, which costs 2-3.5 ms the first time in a JVM: a mount's first read
        // compares piece ranges before it asks for its piece (traced)
        PieceRange r = new PieceRange(0, 1);
        r.equals(PieceRange.EMPTY);
        r.hashCode();
    }
}
