package torfs.fuse;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import ru.serce.jnrfuse.ErrorCodes;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.FuseOperations;
import ru.serce.jnrfuse.struct.Statvfs;
import torfs.geometry.PieceRange;
import torfs.log.StartTrace;
import torfs.metainfo.FileTable;
import torfs.stream.ReadFailure;
import torfs.stream.ReadHandle;
import torfs.stream.TorrentReader;

/**
 * The jnr-fuse adapter: paths, attributes and reads over the {@link TorrentReader}s of a
 * {@link TorrentSet}, nothing else. The root lists the set's torrents, each under its name;
 * the set may grow and shrink while mounted. Read-only; files are 0444 (0555 with BEP 47 'x'),
 * directories 0555, st_blocks counts verified bytes so {@code du} shows progress, and every
 * node carries user.torfs.* xattrs (the root's sum up every torrent).
 */
public final class TorrentFs extends FuseStubFS {
    private static final String USER_NAMESPACE = "user.";
    public static final String XATTR_PROGRESS = "user.torfs.progress";
    public static final String XATTR_PIECES = "user.torfs.pieces";
    public static final String XATTR_INFOHASH = "user.torfs.infohash";
    /** The root's: the control socket of the process serving the mount (when it has one). */
    public static final String XATTR_CONTROL = "user.torfs.control";
    private static final byte[] XATTR_LIST = (XATTR_PROGRESS + "\0" + XATTR_PIECES + "\0" + XATTR_INFOHASH + "\0")
            .getBytes(StandardCharsets.UTF_8);
    private static final System.Logger LOG = System.getLogger(TorrentFs.class.getName());
    private static final int O_ACCMODE = 3;
    /** access(2)'s mask bits (unistd.h). */
    private static final int W_OK = 2;
    private static final int X_OK = 1;
    private static final int STATFS_BLOCK = 4096;

    private final TorrentSet torrents;
    private final boolean dynamic;
    private final boolean capped;
    private final long uid;
    private final long gid;
    private final long mountTime = System.currentTimeMillis() / 1000;
    private final boolean utf8Paths;
    private final Map<Long, OpenFile> open = new ConcurrentHashMap<>();
    private final AtomicLong nextHandle = new AtomicLong(1);
    private volatile String controlSocket;

    /** An open file: its torrent and its bytes [offset, offset + length) in the torrent. */
    private record OpenFile(MountedTorrent torrent, int node, long offset, long length, ReadHandle handle) {
    }

    /** A path resolved: the root (torrent null), or a node of a torrent's tree. */
    private record Node(MountedTorrent torrent, int node) {
    }

    private static final Node ROOT = new Node(null, FsTree.NONE);

    /** A mount of one torrent, as before many: builds its tree; loads libfuse (throws if missing). */
    public TorrentFs(TorrentReader reader) {
        this(reader, false);
    }

    /** As above; {@code capped} when its pieces are kept in a capped cache (--cache-size). */
    public TorrentFs(TorrentReader reader, boolean capped) {
        this(singleSet(reader), false, capped);
    }

    /**
     * A mount of the torrents in {@code torrents}; {@code dynamic} when torrents come and go
     * while mounted (the kernel must not remember a missing name for long).
     */
    public TorrentFs(TorrentSet torrents, boolean dynamic) {
        this(torrents, dynamic, false);
    }

    /** As above; {@code capped} when their pieces are kept in a capped cache (--cache-size). */
    public TorrentFs(TorrentSet torrents, boolean dynamic, boolean capped) {
        this.torrents = torrents;
        this.dynamic = dynamic;
        this.capped = capped;
        // the JDK's own uid lookup: jnr-posix would bind all of libc first (~0.1 s of a mount)
        var unix = new com.sun.security.auth.module.UnixSystem();
        this.uid = unix.getUid();
        this.gid = unix.getGid();
        // jnr decodes paths with the JVM's default charset; torrent names are UTF-8.
        this.utf8Paths = Charset.defaultCharset().equals(StandardCharsets.UTF_8);
    }

    private static TorrentSet singleSet(TorrentReader reader) {
        TorrentSet set = new TorrentSet();
        set.add(reader);
        return set;
    }

    public TorrentSet torrents() {
        return torrents;
    }

    /** True when torrents may be added and removed while mounted. */
    public boolean isDynamic() {
        return dynamic;
    }

    /** True when the pieces are kept in a capped cache: the kernel then keeps no pages across opens. */
    public boolean capped() {
        return capped;
    }

    /** Announces the control socket through the root's {@value #XATTR_CONTROL}. */
    public void setControlSocket(String path) {
        this.controlSocket = path;
    }

    /** Ends every read: the mount is going away. */
    void closeReaders() {
        torrents.close();
    }

    /** Files visible in the mount (pad files and symlinks excluded). */
    public int fileCount() {
        int n = 0;
        for (MountedTorrent m : torrents.all()) {
            n += m.tree().fileCount();
        }
        return n;
    }

    /** Open file handles (for tests and status). */
    public int openHandles() {
        return open.size();
    }

    /**
     * A file open through a handle whose torrent was removed since. The kernel's fstat(2) comes
     * as a getattr by path, without the handle, and cat and cp fstat before they read: so the
     * path of a file still open answers (as fstat of an unlinked file does), and nothing else
     * of the removed torrent does.
     */
    private Node openButRemoved(String path) {
        if (path.length() < 2 || path.charAt(0) != '/') {
            return null;
        }
        int slash = path.indexOf('/', 1);
        MountedTorrent m = torrents.retired(slash < 0 ? path.substring(1) : path.substring(1, slash));
        if (m == null) {
            return null;
        }
        int node = slash < 0 ? m.tree().top() : m.tree().lookupBelow(m.tree().top(), path, slash + 1);
        for (OpenFile f : open.values()) {
            if (f.torrent() == m && f.node() == node) {
                return new Node(m, node);
            }
        }
        return null;
    }

    private Node lookup(String path) {
        if (!utf8Paths) {
            // lossless only when the default charset maps bytes 1:1 (ISO-8859-1); the daemon
            // forces UTF-8 with -Dfile.encoding, so this is a fallback
            path = new String(path.getBytes(Charset.defaultCharset()), StandardCharsets.UTF_8);
        }
        if (path.isEmpty() || path.charAt(0) != '/') {
            return null;
        }
        int from = 1;
        while (from < path.length() && path.charAt(from) == '/') {
            from++;
        }
        if (from >= path.length()) {
            return ROOT;
        }
        int slash = path.indexOf('/', from);
        int to = slash < 0 ? path.length() : slash;
        MountedTorrent m = torrents.byName(path.substring(from, to));
        if (m == null) {
            return null;
        }
        int node = m.tree().lookupBelow(m.tree().top(), path, to + 1);
        return node == FsTree.NONE ? null : new Node(m, node);
    }

    /** The node at {@code path}, or a removed torrent's file still open there; null if neither. */
    private Node lookupOrOpen(String path) {
        Node n = lookup(path);
        return n != null ? n : openButRemoved(path);
    }

    /** The callback table jnr-fuse built for this file system, for {@link FuseLoop}. */
    FuseOperations operations() {
        return fuseOperations;
    }

    @Override
    public int getattr(String path, FileStat stat) {
        Node n = lookupOrOpen(path);
        if (n == null) {
            return -ErrorCodes.ENOENT();
        }
        if (n == ROOT) {
            fillRoot(stat, true);
        } else {
            fillStat(n.torrent(), n.node(), stat, true);
        }
        return 0;
    }

    private void fillRoot(FileStat stat, boolean full) {
        int subdirs = 0;
        for (MountedTorrent m : torrents.all()) {
            subdirs += FsTree.isDir(m.tree().top()) ? 1 : 0;
        }
        stat.st_mode.set(FileStat.S_IFDIR | 0555);
        stat.st_nlink.set(2 + subdirs);
        stat.st_size.set(4096);
        if (full) {
            stat.st_uid.set(uid);
            stat.st_gid.set(gid);
            stat.st_blksize.set(128 * 1024);
            long t = torrents.size() == 1 ? torrents.all().get(0).mtime() : mountTime;
            stat.st_mtim.tv_sec.set(t);
            stat.st_ctim.tv_sec.set(t);
            stat.st_atim.tv_sec.set(t);
        }
    }

    private void fillStat(MountedTorrent m, int node, FileStat stat, boolean full) {
        FsTree tree = m.tree();
        FileTable files = tree.files();
        if (FsTree.isDir(node)) {
            stat.st_mode.set(FileStat.S_IFDIR | 0555);
            stat.st_nlink.set(2 + tree.subdirs(node));
            stat.st_size.set(4096);
        } else if (!tree.isLink(node)) {
            stat.st_mode.set(FileStat.S_IFREG | (files.executable(node) ? 0555 : 0444));
            stat.st_nlink.set(1);
            stat.st_size.set(files.length(node));
            if (full) {
                stat.st_blocks.set((m.reader().verifiedBytes(files.offset(node), files.end(node)) + 511) / 512);
            }
        } else {
            stat.st_mode.set(FileStat.S_IFLNK | 0777);
            stat.st_nlink.set(1);
            if (full) {
                stat.st_size.set(tree.linkTarget(node).length);
            }
        }
        if (full) {
            stat.st_uid.set(uid);
            stat.st_gid.set(gid);
            stat.st_blksize.set(128 * 1024);
            stat.st_mtim.tv_sec.set(m.mtime());
            stat.st_ctim.tv_sec.set(m.mtime());
            stat.st_atim.tv_sec.set(m.mtime());
        }
    }

    @Override
    public int readdir(String path, Pointer buf, FuseFillDir filler, @off_t long offset, FuseFileInfo fi) {
        Node n = lookup(path);
        if (n == null) {
            return -ErrorCodes.ENOENT();
        }
        if (n != ROOT && !FsTree.isDir(n.node())) {
            return -ErrorCodes.ENOTDIR();
        }
        Runtime rt = Runtime.getSystemRuntime();
        FileStat probe = new FileStat(rt);
        Pointer mem = Memory.allocateDirect(rt, Struct.size(probe));
        FileStat stat = FileStat.of(mem);
        // the mode gives readdir a d_type, so `find -type f` needs no stat per entry
        stat.st_mode.set(FileStat.S_IFDIR | 0555);
        filler.apply(buf, ByteBuffer.wrap(".\0".getBytes(StandardCharsets.US_ASCII)), mem, 0);
        filler.apply(buf, ByteBuffer.wrap("..\0".getBytes(StandardCharsets.US_ASCII)), mem, 0);
        if (n == ROOT) {
            for (MountedTorrent m : torrents.all()) {
                int top = m.tree().top();
                if (top == FsTree.NONE) {
                    continue;
                }
                fillStat(m, top, stat, false);
                if (filler.apply(buf, ByteBuffer.wrap(m.cName()), mem, 0) != 0) {
                    break;
                }
            }
            return 0;
        }
        FsTree tree = n.torrent().tree();
        for (int k = 0, c = tree.childCount(n.node()); k < c; k++) {
            int child = tree.child(n.node(), k);
            fillStat(n.torrent(), child, stat, false);
            if (filler.apply(buf, ByteBuffer.wrap(tree.cName(child)), mem, 0) != 0) {
                break;
            }
        }
        return 0;
    }

    /**
     * access(2) reaches here because the mount has no default_permissions; without this
     * answer every mask succeeded, so {@code test -x} or {@code find -executable} called a
     * 0444 file executable. Nothing here is writable, and execute needs the torrent's 'x'.
     */
    @Override
    public int access(String path, int mask) {
        Node n = lookupOrOpen(path);
        if (n == null) {
            return -ErrorCodes.ENOENT();
        }
        if ((mask & W_OK) != 0) {
            return -ErrorCodes.EROFS();
        }
        if ((mask & X_OK) != 0 && n != ROOT && !FsTree.isDir(n.node()) && !n.torrent().tree().isLink(n.node())
                && !n.torrent().tree().files().executable(n.node())) {
            return -ErrorCodes.EACCES();
        }
        return 0;
    }

    @Override
    public int open(String path, FuseFileInfo fi) {
        Node n = lookup(path);
        if (n == null) {
            return -ErrorCodes.ENOENT();
        }
        if ((fi.flags.get() & O_ACCMODE) != 0) {
            return -ErrorCodes.EROFS();
        }
        if (n == ROOT || FsTree.isDir(n.node())) {
            return -ErrorCodes.EISDIR();
        }
        MountedTorrent m = n.torrent();
        if (m.tree().isLink(n.node())) {
            return -ErrorCodes.EINVAL();
        }
        if (m.reader().isClosed()) {
            return -ErrorCodes.EIO();
        }
        if (!m.acquire()) {
            return -ErrorCodes.ENOENT(); // removed between the lookup and here
        }
        long id = nextHandle.getAndIncrement();
        FileTable files = m.tree().files();
        long start = files.offset(n.node());
        open.put(id, new OpenFile(m, n.node(), start, files.length(n.node()), m.reader().open(start, files.end(n.node()))));
        fi.fh.set(id);
        return 0;
    }

    @Override
    public int read(String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
        OpenFile f = open.get(fi.fh.get());
        if (f == null) {
            return -ErrorCodes.EBADF();
        }
        if (offset < 0) {
            return -ErrorCodes.EINVAL();
        }
        if (offset >= f.length() || size <= 0) {
            return 0;
        }
        int n = (int) Math.min(Math.min(size, Integer.MAX_VALUE), f.length() - offset);
        StartTrace.mark("first read asked");
        try {
            // the bytes go from the store straight into the kernel's buffer
            ByteBuffer dst = KernelBuffer.view(buf, n);
            int got;
            if (dst != null) {
                got = f.handle().read(f.offset() + offset, n, FuseInterrupt.forCurrentRequest(), dst);
            } else {
                byte[] scratch = KernelBuffer.scratch(n);
                got = f.handle().read(f.offset() + offset, n, FuseInterrupt.forCurrentRequest(),
                        ByteBuffer.wrap(scratch, 0, n));
                buf.put(0, scratch, 0, got);
            }
            StartTrace.mark("first read answered");
            return got;
        } catch (ReadFailure rf) {
            LOG.log(System.Logger.Level.DEBUG, "read {0} at {1}: {2}", path, offset, rf.getMessage());
            return rf.reason() == ReadFailure.Reason.INTERRUPTED ? -ErrorCodes.EINTR() : -ErrorCodes.EIO();
        } catch (RuntimeException ex) {
            LOG.log(System.Logger.Level.WARNING, "read " + path + " failed", ex);
            return -ErrorCodes.EIO();
        }
    }

    @Override
    public int release(String path, FuseFileInfo fi) {
        OpenFile f = open.remove(fi.fh.get());
        if (f != null) {
            f.handle().close();
            f.torrent().release();
        }
        return 0;
    }

    @Override
    public int readlink(String path, Pointer buf, @size_t long size) {
        Node n = lookup(path);
        if (n == null) {
            return -ErrorCodes.ENOENT();
        }
        if (n == ROOT || !n.torrent().tree().isLink(n.node())) {
            return -ErrorCodes.EINVAL();
        }
        byte[] target = n.torrent().tree().linkTarget(n.node());
        int len = (int) Math.min(target.length, size - 1);
        buf.put(0, target, 0, len);
        buf.putByte(len, (byte) 0);
        return 0;
    }

    @Override
    public int statfs(String path, Statvfs st) {
        long total = 0;
        long verified = 0;
        long nodes = 1;
        for (MountedTorrent m : torrents.all()) {
            var geometry = m.reader().geometry();
            total += geometry.totalLength();
            var snapshot = m.reader().source().verifiedSnapshot();
            for (int p = snapshot.nextSet(0); p >= 0; p = snapshot.nextSet(p + 1)) {
                verified += geometry.pieceSize(p);
            }
            nodes += m.tree().nodeCount() - 1;
        }
        long left = total - verified;
        st.f_bsize.set(STATFS_BLOCK);
        st.f_frsize.set(STATFS_BLOCK);
        st.f_blocks.set((total + STATFS_BLOCK - 1) / STATFS_BLOCK);
        st.f_bfree.set((left + STATFS_BLOCK - 1) / STATFS_BLOCK);
        st.f_bavail.set((left + STATFS_BLOCK - 1) / STATFS_BLOCK);
        st.f_files.set(nodes);
        st.f_ffree.set(0);
        st.f_favail.set(0);
        st.f_namemax.set(255);
        return 0;
    }

    @Override
    public int getxattr(String path, String name, Pointer value, @size_t long size) {
        if (!isOurs(name)) {
            // ls -l asks every file for security.selinux and system.posix_acl_access. Labels and
            // ACLs are namespaces this file system does not support: EOPNOTSUPP says so, and ls
            // then stops asking for the rest of the device (ENODATA would cost two requests a
            // file). An unknown user.* name is merely absent.
            return name.startsWith(USER_NAMESPACE) ? -ErrorCodes.ENODATA() : -ErrorCodes.EOPNOTSUPP();
        }
        Node n = lookup(path);
        if (n == null) {
            return -ErrorCodes.ENOENT();
        }
        String text = n == ROOT ? rootXattr(name) : xattr(n.torrent(), n.node(), name);
        if (text == null) {
            return -ErrorCodes.ENODATA();
        }
        return copyOut(text.getBytes(StandardCharsets.UTF_8), value, size);
    }

    @Override
    public int listxattr(String path, Pointer list, @size_t long size) {
        Node n = lookup(path);
        if (n == null) {
            return -ErrorCodes.ENOENT();
        }
        byte[] names = XATTR_LIST;
        if (n == ROOT && controlSocket != null) {
            names = (new String(XATTR_LIST, StandardCharsets.UTF_8) + XATTR_CONTROL + "\0")
                    .getBytes(StandardCharsets.UTF_8);
        }
        return copyOut(names, list, size);
    }

    private static int copyOut(byte[] bytes, Pointer dst, long size) {
        if (size == 0) {
            return bytes.length; // a size probe
        }
        if (size < bytes.length) {
            return -ErrorCodes.ERANGE();
        }
        dst.put(0, bytes, 0, bytes.length);
        return bytes.length;
    }

    private static boolean isOurs(String name) {
        return XATTR_PROGRESS.equals(name) || XATTR_PIECES.equals(name) || XATTR_INFOHASH.equals(name)
                || XATTR_CONTROL.equals(name);
    }

    /**
     * The root: with one torrent its xattrs as before many (the root stands for it); with
     * several the progress of all together, and no pieces or info-hash of its own.
     */
    private String rootXattr(String name) {
        if (XATTR_CONTROL.equals(name)) {
            return controlSocket;
        }
        List<MountedTorrent> all = torrents.all();
        if (all.size() == 1 && !dynamic) {
            MountedTorrent m = all.get(0);
            return xattr(m, m.tree().root(), name);
        }
        if (XATTR_PROGRESS.equals(name)) {
            long done = 0;
            long size = 0;
            for (MountedTorrent m : all) {
                done += m.verifiedBytes();
                size += m.tree().dirSize(m.tree().root());
            }
            return done + "/" + size;
        }
        return null;
    }

    private static String xattr(MountedTorrent m, int node, String name) {
        if (XATTR_CONTROL.equals(name)) {
            return null;
        }
        if (XATTR_INFOHASH.equals(name)) {
            return m.torrent().infoHash().hex();
        }
        FsTree tree = m.tree();
        FileTable files = tree.files();
        TorrentReader reader = m.reader();
        long start;
        long end;
        long size;
        long done;
        if (FsTree.isDir(node)) {
            start = tree.dirStart(node);
            end = tree.dirEnd(node);
            size = tree.dirSize(node);
            done = 0;
            if (XATTR_PROGRESS.equals(name)) {
                long[] sum = {0};
                tree.forEachFileBelow(node, f -> sum[0] += reader.verifiedBytes(files.offset(f), files.end(f)));
                done = sum[0];
            }
        } else if (!tree.isLink(node)) {
            start = files.offset(node);
            end = files.end(node);
            size = files.length(node);
            done = XATTR_PROGRESS.equals(name) ? reader.verifiedBytes(start, end) : 0;
        } else {
            start = 0;
            end = 0;
            size = 0;
            done = 0;
        }
        if (XATTR_PROGRESS.equals(name)) {
            return done + "/" + size;
        }
        if (XATTR_PIECES.equals(name)) {
            PieceRange r = end > start ? reader.geometry().piecesOf(start, end - start) : PieceRange.EMPTY;
            return r.isEmpty() ? "none" : r.first() + "-" + r.last();
        }
        return null;
    }
}
