package torfs.fuse;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import torfs.metainfo.Torrent;
import torfs.stream.TorrentReader;

/**
 * One torrent of a mount: the name it shows under (its own top name, or a distinct one when
 * another torrent took that), its tree and its reader. Open handles are counted so that a
 * torrent removed while a file of it is open keeps serving those handles until they close:
 * {@link #retire()} completes once the last one did.
 */
public final class MountedTorrent {
    private final String name;
    private final byte[] cName;
    private final FsTree tree;
    private final TorrentReader reader;
    private final long mtime;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private int handles;
    private boolean retired;

    MountedTorrent(String name, FsTree tree, TorrentReader reader) {
        this.name = name;
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        this.cName = java.util.Arrays.copyOf(b, b.length + 1);
        this.tree = tree;
        this.reader = reader;
        this.mtime = reader.torrent().creationDate().orElse(Instant.now().getEpochSecond());
    }

    /** The name under the mount root. */
    public String name() {
        return name;
    }

    public TorrentReader reader() {
        return reader;
    }

    public Torrent torrent() {
        return reader.torrent();
    }

    /** Bytes of the torrent's files (pad files excluded) that are verified. */
    public long verifiedBytes() {
        long[] sum = {0};
        int top = tree.top();
        if (FsTree.isDir(top)) {
            tree.forEachFileBelow(top, f -> sum[0] += reader.verifiedBytes(tree.files().offset(f), tree.files().end(f)));
        } else if (top != FsTree.NONE && !tree.isLink(top)) {
            sum[0] = reader.verifiedBytes(tree.files().offset(top), tree.files().end(top));
        }
        return sum[0];
    }

    /** Open handles on this torrent's files. */
    public synchronized int openHandles() {
        return handles;
    }

    public synchronized boolean isRetired() {
        return retired;
    }

    FsTree tree() {
        return tree;
    }

    byte[] cName() {
        return cName;
    }

    long mtime() {
        return mtime;
    }

    /** Counts a new handle; false once retired (the open then fails with ENOENT). */
    synchronized boolean acquire() {
        if (retired) {
            return false;
        }
        handles++;
        return true;
    }

    synchronized void release() {
        handles--;
        if (retired && handles == 0) {
            drained.complete(null);
        }
    }

    /** No new handles from now on; completes once the open ones are closed. */
    synchronized CompletableFuture<Void> retire() {
        retired = true;
        if (handles == 0) {
            drained.complete(null);
        }
        return drained;
    }
}
