package torfs.fuse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import torfs.metainfo.InfoHash;
import torfs.stream.TorrentReader;

/**
 * The top level of a mount: the torrents it serves, by the name each shows under. It grows and
 * shrinks while mounted. A torrent shows under its own top name (as a mount of one torrent
 * does); when that is taken, under the name suffixed with the first 8 hex digits of its
 * info-hash, which does not depend on what else is mounted or in which order it came.
 */
public final class TorrentSet {
    /** Hex digits of the info-hash that tell two torrents of one name apart. */
    static final int SUFFIX_DIGITS = 8;
    private final Map<String, MountedTorrent> byName = new ConcurrentHashMap<>();
    private final Map<InfoHash, MountedTorrent> byHash = new ConcurrentHashMap<>();
    /** Removed torrents whose files are still open, by name: fstat of those must still work. */
    private final Map<String, MountedTorrent> retired = new ConcurrentHashMap<>();
    private volatile boolean closed;
    /** Told each top-level name added or removed, outside the set's lock (null: nobody). */
    private volatile Consumer<String> nameChanges;

    /**
     * Adds a torrent under a distinct name. Throws IllegalStateException when the same
     * torrent is already in the set, or when the set is closed.
     */
    public MountedTorrent add(TorrentReader reader) {
        MountedTorrent m = addLocked(reader);
        told(m.name());
        return m;
    }

    private synchronized MountedTorrent addLocked(TorrentReader reader) {
        if (closed) {
            throw new IllegalStateException("the mount is closing");
        }
        InfoHash hash = reader.torrent().infoHash();
        MountedTorrent present = byHash.get(hash);
        if (present != null) {
            throw new IllegalStateException("already mounted as " + present.name());
        }
        FsTree tree = FsTree.build(reader.torrent());
        int top = tree.top();
        String own = top == FsTree.NONE ? reader.torrent().name() : tree.name(top);
        String name = distinctName(own, hash.hex(), top != FsTree.NONE && !FsTree.isDir(top), byName::containsKey);
        MountedTorrent m = new MountedTorrent(name, tree, reader);
        byName.put(name, m);
        byHash.put(hash, m);
        return m;
    }

    /**
     * Takes the torrent named {@code nameOrHash} (its name in the mount, or its info-hash in
     * hex, or a unique prefix of at least 8 hex digits) out of the set: new opens fail with
     * ENOENT from now on. Null when there is no such torrent. The future completes when the
     * torrent's last open handle is closed.
     */
    public Removed remove(String nameOrHash) {
        Removed r = removeLocked(nameOrHash);
        if (r != null) {
            told(r.torrent().name());
        }
        return r;
    }

    private synchronized Removed removeLocked(String nameOrHash) {
        MountedTorrent m = find(nameOrHash);
        if (m == null) {
            return null;
        }
        byName.remove(m.name(), m);
        byHash.remove(m.torrent().infoHash(), m);
        CompletableFuture<Void> drained = m.retire();
        if (!drained.isDone()) {
            retired.put(m.name(), m);
            drained.whenComplete((ok, e) -> retired.remove(m.name(), m));
        }
        return new Removed(m, drained);
    }

    /**
     * Who is told the names that come and go: the mount's loop, so that the kernel forgets what
     * it cached of them ({@code FuseLoop.forgetTopName}). The call may block while a request on
     * the mount's root is in flight; no request handler adds or removes torrents.
     */
    void tellNameChanges(Consumer<String> listener) {
        nameChanges = listener;
    }

    private void told(String name) {
        Consumer<String> l = nameChanges;
        if (l != null) {
            l.accept(name);
        }
    }

    /** A torrent taken out of the set, and when its open handles are all closed. */
    public record Removed(MountedTorrent torrent, CompletableFuture<Void> drained) {
    }

    /** By name in the mount, full info-hash or a unique hex prefix of 8 digits or more. */
    public MountedTorrent find(String nameOrHash) {
        MountedTorrent m = byName.get(nameOrHash);
        if (m != null) {
            return m;
        }
        String h = nameOrHash.toLowerCase(Locale.ROOT);
        if (h.length() < SUFFIX_DIGITS || !h.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return null;
        }
        MountedTorrent found = null;
        for (MountedTorrent t : byHash.values()) {
            if (t.torrent().infoHash().hex().startsWith(h)) {
                if (found != null) {
                    return null; // ambiguous
                }
                found = t;
            }
        }
        return found;
    }

    /** The torrent shown under {@code name}, or null. */
    MountedTorrent byName(String name) {
        return byName.get(name);
    }

    /** A removed torrent with files still open, shown under {@code name} before, or null. */
    MountedTorrent retired(String name) {
        return retired.get(name);
    }

    public MountedTorrent byHash(InfoHash hash) {
        return byHash.get(hash);
    }

    /** Every torrent, by name. */
    public List<MountedTorrent> all() {
        List<MountedTorrent> l = new ArrayList<>(byName.values());
        l.sort(Comparator.comparing(MountedTorrent::name));
        return l;
    }

    public int size() {
        return byName.size();
    }

    /** Ends every read (blocked ones fail with EIO) and refuses additions: the mount is ending. */
    public void close() {
        synchronized (this) {
            closed = true;
        }
        for (MountedTorrent m : byName.values()) {
            m.reader().close();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * {@code own} when {@code taken} says it is free, else it with "-" and the first hex digits
     * of the info-hash before a file's extension ("film-0123abcd.mkv") or after a directory's
     * name; more digits in the unlikely case that is taken too.
     */
    static String distinctName(String own, String hex, boolean isFile, Predicate<String> taken) {
        if (!taken.test(own)) {
            return own;
        }
        int dot = isFile ? own.lastIndexOf('.') : -1;
        String stem = dot > 0 ? own.substring(0, dot) : own;
        String ext = dot > 0 ? own.substring(dot) : "";
        for (int digits = SUFFIX_DIGITS; digits <= hex.length(); digits += SUFFIX_DIGITS) {
            String n = stem + "-" + hex.substring(0, digits) + ext;
            if (!taken.test(n)) {
                return n;
            }
        }
        throw new IllegalStateException("no free name for " + own);
    }
}
