package torfs.app;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import torfs.control.ControlClient;
import torfs.control.Json;
import torfs.fuse.MountTable;

/**
 * Which running mount a control command talks to: the one {@code --mount MNT} names, or the
 * only TorFS mount with a control socket. A mount tells where its socket is through its root's
 * {@code user.torfs.control} xattr, so nothing but the mount table and the mount itself is
 * consulted: no registry to go stale.
 */
final class ControlTarget {
    private static final String XATTR = "torfs.control"; // user.torfs.control, as the JDK names it

    private ControlTarget() {
    }

    static ControlClient client(Path mount) {
        return client(mount, false);
    }

    /**
     * As {@link #client(Path)}; {@code changesTheSet} (add, remove, pause): without --mount, when
     * several mounts run and only one of them is a mount of many, that one is meant (a mount of
     * one torrent refuses those verbs anyway).
     */
    static ControlClient client(Path mount, boolean changesTheSet) {
        if (mount != null) {
            Path mnt = mount.toAbsolutePath().normalize();
            if (!MountTable.isMounted(mnt)) {
                throw new UserError(mnt + ": not mounted");
            }
            if (MountTable.isStale(mnt)) {
                throw new UserError(ended(List.of(mnt.toString())));
            }
            String socket = socketOf(mnt);
            if (socket == null) {
                throw new UserError(mnt + ": this TorFS mount has no control socket (its log says why); `getfattr -d "
                        + mnt + "/*` shows its progress");
            }
            return new ControlClient(Path.of(socket));
        }
        List<String> found = new ArrayList<>();
        List<String> mounts = new ArrayList<>();
        List<String> without = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        for (MountTable.Entry e : MountTable.entries()) {
            if (e.fsType().equals("fuse.torfs")) {
                if (MountTable.isStale(Path.of(e.mountPoint()))) {
                    stale.add(e.mountPoint());
                    continue;
                }
                String s = socketOf(Path.of(e.mountPoint()));
                if (s != null) {
                    found.add(s);
                    mounts.add(e.mountPoint());
                } else {
                    without.add(e.mountPoint());
                }
            }
        }
        if (found.isEmpty() && !without.isEmpty()) {
            throw new UserError("no TorFS mount with a control socket is running (" + String.join(", ", without)
                    + " has none: its log says why; `getfattr -d MNT/*` shows the progress)");
        }
        if (found.isEmpty() && !stale.isEmpty()) {
            throw new UserError(ended(stale));
        }
        if (found.isEmpty()) {
            throw new UserError("no TorFS mount with a control socket is running");
        }
        if (found.size() > 1 && changesTheSet) {
            List<String> many = found.stream().filter(socket -> !ofOneTorrent(socket)).toList();
            if (many.size() == 1) {
                return new ControlClient(Path.of(many.get(0)));
            }
        }
        if (found.size() > 1) {
            throw new UserError("several TorFS mounts are running (" + String.join(", ", mounts)
                    + "); name one with --mount");
        }
        return new ControlClient(Path.of(found.get(0)));
    }

    /** The line for mounts whose process was killed: they answer nothing until cleared. */
    static String ended(List<String> stale) {
        String one = stale.size() == 1 ? stale.get(0) : "MNT";
        return "no TorFS mount is running: the process behind " + String.join(", ", stale)
                + " has ended (kill -9 or a crash; its log may say why); `torfs unmount " + one
                + "` clears it, and so does a new mount there";
    }

    /** A mount of one torrent keeps its socket in its data directory's state directory (ForegroundMount). */
    static boolean ofOneTorrent(String socket) {
        Path p = Path.of(socket);
        Path dir = p.getParent();
        return dir != null && dir.getFileName() != null
                && dir.getFileName().toString().equals(torfs.storage.DataLayout.STATE_DIR);
    }

    /** The client of {@code mnt}'s control socket, or null when the mount tells none. */
    static ControlClient clientIfAny(Path mnt) {
        String socket = socketOf(mnt);
        return socket == null ? null : new ControlClient(Path.of(socket));
    }

    private static String socketOf(Path mnt) {
        try {
            UserDefinedFileAttributeView v = Files.getFileAttributeView(mnt, UserDefinedFileAttributeView.class);
            if (v == null || !v.list().contains(XATTR)) {
                return null;
            }
            ByteBuffer b = ByteBuffer.allocate(v.size(XATTR));
            v.read(XATTR, b);
            b.flip();
            return StandardCharsets.UTF_8.decode(b).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /**
     * Sends a request; a refusal ({@code {"error": ...}}) becomes a one-line error: exit 2 for
     * bad input (4xx), 1 otherwise. The answer's body on success.
     */
    static String call(ControlClient client, String method, String path, String body) {
        ControlClient.Answer a;
        try {
            a = client.request(method, path, body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the mount's control socket: " + e.getMessage(), e);
        }
        if (a.status() / 100 == 2) {
            return a.body();
        }
        String message = a.body();
        try {
            if (Json.parse(a.body()) instanceof java.util.Map<?, ?> m && m.get("error") instanceof String s) {
                message = s;
            }
        } catch (IllegalArgumentException notJson) {
            // the raw body, then
        }
        if (a.status() / 100 == 4) {
            throw new UserError(message.strip());
        }
        throw new IllegalStateException(message.strip());
    }
}
