package torfs.fuse;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
import ru.serce.jnrfuse.struct.Statvfs;
import torfs.geometry.PieceGeometry;
import torfs.geometry.PieceRange;
import torfs.metainfo.FileTable;
import torfs.metainfo.Torrent;
import torfs.stream.ReadFailure;
import torfs.stream.ReadHandle;
import torfs.stream.TorrentReader;

/**
 * The jnr-fuse adapter: paths, attributes and reads over a {@link TorrentReader}, nothing else.
 * Read-only; files are 0444 (0555 with BEP 47 'x'), directories 0555, st_blocks counts verified
 * bytes so {@code du} shows progress, and every node carries user.torfs.* xattrs.
 */
public final class TorrentFs extends FuseStubFS {
    public static final String XATTR_PROGRESS = "user.torfs.progress";
    public static final String XATTR_PIECES = "user.torfs.pieces";
    public static final String XATTR_INFOHASH = "user.torfs.infohash";
    private static final byte[] XATTR_LIST = (XATTR_PROGRESS + "\0" + XATTR_PIECES + "\0" + XATTR_INFOHASH + "\0")
            .getBytes(StandardCharsets.UTF_8);
    private static final System.Logger LOG = System.getLogger(TorrentFs.class.getName());
    private static final int O_ACCMODE = 3;
    private static final int STATFS_BLOCK = 4096;

    private final TorrentReader reader;
    private final Torrent torrent;
    private final PieceGeometry geometry;
    private final FsTree tree;
    private final FileTable files;
    private final long mtime;
    private final long uid;
    private final long gid;
    private final boolean utf8Paths;
    private final Map<Long, OpenFile> open = new ConcurrentHashMap<>();
    private final AtomicLong nextHandle = new AtomicLong(1);

    /** An open file: its bytes [offset, offset + length) in the torrent. */
    private record OpenFile(long offset, long length, ReadHandle handle) {
    }

    /** Builds the tree index; loads libfuse (throws if libfuse.so.2 is missing). */
    public TorrentFs(TorrentReader reader) {
        this.reader = reader;
        this.torrent = reader.torrent();
        this.geometry = reader.geometry();
        this.tree = FsTree.build(torrent);
        this.files = tree.files();
        this.mtime = torrent.creationDate().orElse(Instant.now().getEpochSecond());
        // the JDK's own uid lookup: jnr-posix would bind all of libc first (~0.1 s of a mount)
        var unix = new com.sun.security.auth.module.UnixSystem();
        this.uid = unix.getUid();
        this.gid = unix.getGid();
        // jnr decodes paths with the JVM's default charset; torrent names are UTF-8.
        this.utf8Paths = Charset.defaultCharset().equals(StandardCharsets.UTF_8);
    }

    public TorrentReader reader() {
        return reader;
    }

    /** Files visible in the mount (pad files and symlinks excluded). */
    public int fileCount() {
        return tree.fileCount();
    }

    /** Open file handles (for tests and status). */
    public int openHandles() {
        return open.size();
    }

    private int lookup(String path) {
        if (!utf8Paths) {
            // lossless only when the default charset maps bytes 1:1 (ISO-8859-1); the daemon
            // forces UTF-8 with -Dfile.encoding, so this is a fallback
            path = new String(path.getBytes(Charset.defaultCharset()), StandardCharsets.UTF_8);
        }
        return tree.lookup(path);
    }

    @Override
    public int getattr(String path, FileStat stat) {
        int node = lookup(path);
        if (node == FsTree.NONE) {
            return -ErrorCodes.ENOENT();
        }
        fillStat(node, stat, true);
        return 0;
    }

    private void fillStat(int node, FileStat stat, boolean full) {
        if (FsTree.isDir(node)) {
            stat.st_mode.set(FileStat.S_IFDIR | 0555);
            stat.st_nlink.set(2 + tree.subdirs(node));
            stat.st_size.set(4096);
        } else if (!tree.isLink(node)) {
            stat.st_mode.set(FileStat.S_IFREG | (files.executable(node) ? 0555 : 0444));
            stat.st_nlink.set(1);
            stat.st_size.set(files.length(node));
            if (full) {
                stat.st_blocks.set((reader.verifiedBytes(files.offset(node), files.end(node)) + 511) / 512);
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
            stat.st_mtim.tv_sec.set(mtime);
            stat.st_ctim.tv_sec.set(mtime);
            stat.st_atim.tv_sec.set(mtime);
        }
    }

    @Override
    public int readdir(String path, Pointer buf, FuseFillDir filler, @off_t long offset, FuseFileInfo fi) {
        int node = lookup(path);
        if (!FsTree.isDir(node)) {
            return node == FsTree.NONE ? -ErrorCodes.ENOENT() : -ErrorCodes.ENOTDIR();
        }
        Runtime rt = Runtime.getSystemRuntime();
        FileStat probe = new FileStat(rt);
        Pointer mem = Memory.allocateDirect(rt, Struct.size(probe));
        FileStat stat = FileStat.of(mem);
        // the mode gives readdir a d_type, so `find -type f` needs no stat per entry
        stat.st_mode.set(FileStat.S_IFDIR | 0555);
        filler.apply(buf, ByteBuffer.wrap(".\0".getBytes(StandardCharsets.US_ASCII)), mem, 0);
        filler.apply(buf, ByteBuffer.wrap("..\0".getBytes(StandardCharsets.US_ASCII)), mem, 0);
        for (int k = 0, n = tree.childCount(node); k < n; k++) {
            int child = tree.child(node, k);
            fillStat(child, stat, false);
            if (filler.apply(buf, ByteBuffer.wrap(tree.cName(child)), mem, 0) != 0) {
                break;
            }
        }
        return 0;
    }

    @Override
    public int open(String path, FuseFileInfo fi) {
        int node = lookup(path);
        if (node == FsTree.NONE) {
            return -ErrorCodes.ENOENT();
        }
        if ((fi.flags.get() & O_ACCMODE) != 0) {
            return -ErrorCodes.EROFS();
        }
        if (FsTree.isDir(node)) {
            return -ErrorCodes.EISDIR();
        }
        if (tree.isLink(node)) {
            return -ErrorCodes.EINVAL();
        }
        if (reader.isClosed()) {
            return -ErrorCodes.EIO();
        }
        long id = nextHandle.getAndIncrement();
        long start = files.offset(node);
        open.put(id, new OpenFile(start, files.length(node), reader.open(start, files.end(node))));
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
        try {
            // the bytes go from the store straight into the kernel's buffer
            ByteBuffer dst = KernelBuffer.view(buf, n);
            if (dst != null) {
                return f.handle().read(f.offset() + offset, n, FuseInterrupt.forCurrentRequest(), dst);
            }
            byte[] scratch = KernelBuffer.scratch(n);
            int got = f.handle().read(f.offset() + offset, n, FuseInterrupt.forCurrentRequest(),
                    ByteBuffer.wrap(scratch, 0, n));
            buf.put(0, scratch, 0, got);
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
        }
        return 0;
    }

    @Override
    public int readlink(String path, Pointer buf, @size_t long size) {
        int node = lookup(path);
        if (node == FsTree.NONE) {
            return -ErrorCodes.ENOENT();
        }
        if (!tree.isLink(node)) {
            return -ErrorCodes.EINVAL();
        }
        byte[] target = tree.linkTarget(node);
        int n = (int) Math.min(target.length, size - 1);
        buf.put(0, target, 0, n);
        buf.putByte(n, (byte) 0);
        return 0;
    }

    @Override
    public int statfs(String path, Statvfs st) {
        long total = geometry.totalLength();
        long verified = 0;
        var snapshot = reader.source().verifiedSnapshot();
        for (int p = snapshot.nextSet(0); p >= 0; p = snapshot.nextSet(p + 1)) {
            verified += geometry.pieceSize(p);
        }
        long left = total - verified;
        st.f_bsize.set(STATFS_BLOCK);
        st.f_frsize.set(STATFS_BLOCK);
        st.f_blocks.set((total + STATFS_BLOCK - 1) / STATFS_BLOCK);
        st.f_bfree.set((left + STATFS_BLOCK - 1) / STATFS_BLOCK);
        st.f_bavail.set((left + STATFS_BLOCK - 1) / STATFS_BLOCK);
        st.f_files.set(tree.nodeCount());
        st.f_ffree.set(0);
        st.f_favail.set(0);
        st.f_namemax.set(255);
        return 0;
    }

    @Override
    public int getxattr(String path, String name, Pointer value, @size_t long size) {
        if (!isOurs(name)) {
            // ls -l asks every file for security.selinux and system.posix_acl_access: answer
            // before any lookup
            return -ErrorCodes.ENODATA();
        }
        int node = lookup(path);
        if (node == FsTree.NONE) {
            return -ErrorCodes.ENOENT();
        }
        String text = xattr(node, name);
        if (text == null) {
            return -ErrorCodes.ENODATA();
        }
        return copyOut(text.getBytes(StandardCharsets.UTF_8), value, size);
    }

    @Override
    public int listxattr(String path, Pointer list, @size_t long size) {
        if (lookup(path) == FsTree.NONE) {
            return -ErrorCodes.ENOENT();
        }
        return copyOut(XATTR_LIST, list, size);
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
        return XATTR_PROGRESS.equals(name) || XATTR_PIECES.equals(name) || XATTR_INFOHASH.equals(name);
    }

    private String xattr(int node, String name) {
        if (XATTR_INFOHASH.equals(name)) {
            return torrent.infoHash().hex();
        }
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
            PieceRange r = end > start ? geometry.piecesOf(start, end - start) : PieceRange.EMPTY;
            return r.isEmpty() ? "none" : r.first() + "-" + r.last();
        }
        return null;
    }
}
