package torfs.fuse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import torfs.metainfo.FileTable;
import torfs.metainfo.Torrent;
import torfs.metainfo.Utf8Names;

/**
 * The immutable directory tree of a mounted torrent, built once at mount over the torrent's
 * {@link FileTable}: no object per file. A node is an int: a file's index in the table (zero or
 * more), or {@code -1 - d} for directory d. Each directory's children are one sorted run of an
 * int array, searched by name bytes, so a lookup costs a binary search per path element. The
 * mount root holds the torrent's top entry, as btfs does: {@code /<name>} is the file of a
 * single-file torrent or the directory of a multi-file one. Pad files are left out; where two
 * entries share a name (a file where a directory should be), the first in the torrent wins.
 */
final class FsTree {
    /** What {@link #lookup} returns for a path that is not in the tree. */
    static final int NONE = Integer.MIN_VALUE;
    private static final int ROOT = 0;

    private final FileTable files;
    private final Utf8Names fileNames;
    /** The single file's name when the torrent is one file (its table name may differ). */
    private final byte[] singleName;
    /** Directory d's name; d = 0 is the mount root, d = k + 1 the table's directory k. */
    private final byte[][] dirNames;
    /** Directory d's children are children[childStart[d], childStart[d + 1]), sorted by name. */
    private final int[] childStart;
    private final int[] children;
    private final int[] subdirs;
    /** Byte extent [start, end) spanned by the regular files below each directory, and their size. */
    private final long[] dirStart;
    private final long[] dirEnd;
    private final long[] dirSize;
    private final int fileCount;
    private final int nodeCount;

    private FsTree(Builder b) {
        this.files = b.files;
        this.fileNames = b.files.fileNames();
        this.singleName = b.singleName;
        this.dirNames = b.dirNames;
        this.childStart = b.childStart;
        this.children = b.children;
        this.subdirs = b.subdirs;
        this.dirStart = b.dirStart;
        this.dirEnd = b.dirEnd;
        this.dirSize = b.dirSize;
        this.fileCount = b.fileCount;
        this.nodeCount = b.nodeCount;
    }

    static FsTree build(Torrent t) {
        return new FsTree(new Builder(t));
    }

    static boolean isDir(int node) {
        return node < 0 && node != NONE;
    }

    private static int dirOf(int node) {
        return -1 - node;
    }

    private static int dirNode(int dir) {
        return -1 - dir;
    }

    /** The node at an absolute path ("/" is the root), or {@link #NONE}. */
    int lookup(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return NONE;
        }
        return lookupBelow(root(), path, 1);
    }

    /**
     * The node at {@code path.substring(from)} taken relative to {@code node} (a mount of many
     * torrents resolves "/name/rest" from the torrent's top entry), or {@link #NONE}.
     */
    int lookupBelow(int node, String path, int from) {
        while (from < path.length()) {
            int slash = path.indexOf('/', from);
            int to = slash < 0 ? path.length() : slash;
            if (to > from) { // "a//b" and a trailing '/' name nothing more
                if (!isDir(node)) {
                    return NONE;
                }
                node = child(dirOf(node), path.substring(from, to).getBytes(StandardCharsets.UTF_8));
                if (node == NONE) {
                    return NONE;
                }
            }
            from = to + 1;
        }
        return node;
    }

    private int child(int dir, byte[] name) {
        int lo = childStart[dir];
        int hi = childStart[dir + 1] - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compareName(children[mid], name);
            if (c == 0) {
                return children[mid];
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return NONE;
    }

    private int compareName(int node, byte[] name) {
        if (isDir(node)) {
            return Arrays.compareUnsigned(dirNames[dirOf(node)], name);
        }
        return singleName != null ? Arrays.compareUnsigned(singleName, name) : fileNames.compareTo(node, name);
    }

    int root() {
        return dirNode(ROOT);
    }

    /** The torrent's top entry (its directory, or its one file), or {@link #NONE} when empty. */
    int top() {
        return childCount(root()) == 0 ? NONE : child(root(), 0);
    }

    /** The node's name as libfuse wants it: UTF-8 and a NUL. */
    byte[] cName(int node) {
        if (isDir(node)) {
            byte[] n = dirNames[dirOf(node)];
            return Arrays.copyOf(n, n.length + 1);
        }
        return singleName != null ? Arrays.copyOf(singleName, singleName.length + 1) : fileNames.cString(node);
    }

    /** The name as a String, for tests. */
    String name(int node) {
        byte[] c = cName(node);
        return new String(c, 0, c.length - 1, StandardCharsets.UTF_8);
    }

    int childCount(int dirNode) {
        int d = dirOf(dirNode);
        return childStart[d + 1] - childStart[d];
    }

    int child(int dirNode, int k) {
        return children[childStart[dirOf(dirNode)] + k];
    }

    int subdirs(int dirNode) {
        return subdirs[dirOf(dirNode)];
    }

    long dirStart(int dirNode) {
        return dirStart[dirOf(dirNode)];
    }

    long dirEnd(int dirNode) {
        return dirEnd[dirOf(dirNode)];
    }

    long dirSize(int dirNode) {
        return dirSize[dirOf(dirNode)];
    }

    boolean isLink(int node) {
        return node >= 0 && files.isSymlink(node);
    }

    /** A link's text, resolving inside the torrent. */
    byte[] linkTarget(int node) {
        return linkText(files.depth(node), files.symlinkTarget(node).orElseThrow())
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Every regular file at or below {@code dirNode}, by table index. */
    void forEachFileBelow(int dirNode, IntConsumer action) {
        int d = dirOf(dirNode);
        for (int k = childStart[d]; k < childStart[d + 1]; k++) {
            int c = children[k];
            if (isDir(c)) {
                forEachFileBelow(c, action);
            } else if (!files.isSymlink(c)) {
                action.accept(c);
            }
        }
    }

    FileTable files() {
        return files;
    }

    /** Link text that resolves inside the torrent: up {@code depth} levels, then the target. */
    static String linkText(int depth, List<String> target) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            s.append("../");
        }
        s.append(String.join("/", target));
        return s.length() == 0 ? "." : s.toString();
    }

    /** Regular files in the tree (pad files, symlinks and shadowed entries excluded). */
    int fileCount() {
        return fileCount;
    }

    /** Directories, files and links in the tree, the root included. */
    int nodeCount() {
        return nodeCount;
    }

    /** The arrays, filled once; dropped after construction but for what the tree keeps. */
    private static final class Builder {
        final FileTable files;
        final byte[] singleName;
        byte[][] dirNames;
        int[] childStart;
        int[] children;
        int[] subdirs;
        long[] dirStart;
        long[] dirEnd;
        long[] dirSize;
        int fileCount;
        int nodeCount;
        /** Tree directory holding directory d (d >= 1); the root has none. */
        private int[] parent;

        Builder(Torrent t) {
            files = t.fileTable();
            singleName = t.singleFile() ? t.name().getBytes(StandardCharsets.UTF_8) : null;
            int dirs = t.singleFile() ? 1 : files.dirCount() + 1;
            dirNames = new byte[dirs][];
            parent = new int[dirs];
            dirNames[ROOT] = "/".getBytes(StandardCharsets.US_ASCII);
            parent[ROOT] = -1;
            if (!t.singleFile()) {
                Utf8Names names = files.dirNames();
                dirNames[1] = t.name().getBytes(StandardCharsets.UTF_8);
                parent[1] = ROOT;
                for (int k = 1; k < files.dirCount(); k++) {
                    dirNames[k + 1] = names.bytes(k);
                    parent[k + 1] = files.dirParent(k) + 1;
                }
            }
            // the first file below each directory: a directory shows only if it holds a
            // non-pad entry, and it shadows a later file of its name (and is shadowed by an
            // earlier one)
            int[] first = new int[dirs];
            Arrays.fill(first, Integer.MAX_VALUE);
            int[] count = new int[dirs + 1];
            for (int i = 0; i < files.size(); i++) {
                if (files.pad(i)) {
                    continue;
                }
                int d = dirHolding(t, i);
                count[d]++;
                while (d >= 0 && first[d] == Integer.MAX_VALUE) {
                    first[d] = i;
                    if (parent[d] >= 0) {
                        count[parent[d]]++; // d becomes a child of its parent
                    }
                    d = parent[d];
                }
            }
            childStart = new int[dirs + 1];
            for (int d = 0; d < dirs; d++) {
                childStart[d + 1] = childStart[d] + count[d];
            }
            int[] fill = Arrays.copyOf(childStart, dirs);
            int[] all = new int[childStart[dirs]];
            for (int d = 1; d < dirs; d++) {
                if (first[d] != Integer.MAX_VALUE) {
                    all[fill[parent[d]]++] = dirNode(d);
                }
            }
            for (int i = 0; i < files.size(); i++) {
                if (!files.pad(i)) {
                    int d = dirHolding(t, i);
                    all[fill[d]++] = i;
                }
            }
            children = sortAndDropShadowed(all, first, dirs);
            boolean[] shown = shownOut;
            // a directory shows when it was kept and its parent shows; parents come first
            for (int d = 1; d < dirs; d++) {
                shown[d] = shown[d] && shown[parent[d]];
            }
            subdirs = new int[dirs];
            dirStart = new long[dirs];
            dirEnd = new long[dirs];
            dirSize = new long[dirs];
            Arrays.fill(dirStart, Long.MAX_VALUE);
            Arrays.fill(dirEnd, Long.MIN_VALUE);
            nodeCount = 1;
            for (int d = 0; d < dirs; d++) {
                if (!shown[d]) {
                    continue;
                }
                for (int k = childStart[d]; k < childStart[d + 1]; k++) {
                    int c = children[k];
                    nodeCount++;
                    if (isDir(c)) {
                        subdirs[d]++;
                    } else if (!files.isSymlink(c)) {
                        fileCount++;
                        for (int a = d; a >= 0; a = parent[a]) {
                            dirSize[a] += files.length(c);
                            if (files.length(c) > 0) {
                                dirStart[a] = Math.min(dirStart[a], files.offset(c));
                                dirEnd[a] = Math.max(dirEnd[a], files.end(c));
                            }
                        }
                    }
                }
            }
        }

        /** Set by sortAndDropShadowed: which directories kept their name. */
        private boolean[] shownOut;

        private int dirHolding(Torrent t, int file) {
            return t.singleFile() ? ROOT : files.dirOf(file) + 1;
        }

        /**
         * Sorts each directory's run by name, then by first appearance in the torrent, and
         * keeps the first of each name; returns the new children array (childStart adjusted)
         * and marks in shownOut the directories that kept their name.
         */
        private int[] sortAndDropShadowed(int[] all, int[] first, int dirs) {
            boolean[] kept = new boolean[dirs];
            kept[ROOT] = true;
            int[] out = new int[all.length];
            int n = 0;
            int[] newStart = new int[dirs + 1];
            for (int d = 0; d < dirs; d++) {
                newStart[d] = n;
                Integer[] run = new Integer[childStart[d + 1] - childStart[d]];
                for (int k = 0; k < run.length; k++) {
                    run[k] = all[childStart[d] + k];
                }
                Arrays.sort(run, (a, b) -> {
                    int c = compare(a, b);
                    return c != 0 ? c : Integer.compare(order(a, first), order(b, first));
                });
                for (int k = 0; k < run.length; k++) {
                    if (k > 0 && compare(run[k - 1], run[k]) == 0) {
                        continue; // shadowed by an earlier entry of the same name
                    }
                    out[n++] = run[k];
                    if (isDir(run[k])) {
                        kept[dirOf(run[k])] = true;
                    }
                }
            }
            newStart[dirs] = n;
            childStart = newStart;
            shownOut = kept;
            return Arrays.copyOf(out, n);
        }

        private int order(int node, int[] first) {
            return isDir(node) ? first[dirOf(node)] : node;
        }

        /** Name order without making the names: leaves compare in the table's bytes. */
        private int compare(int a, int b) {
            if (isDir(a) && isDir(b)) {
                return Arrays.compareUnsigned(dirNames[dirOf(a)], dirNames[dirOf(b)]);
            }
            if (singleName != null) {
                return 0; // a single-file torrent's root holds one entry
            }
            if (isDir(a)) {
                return -files.fileNames().compareTo(b, dirNames[dirOf(a)]);
            }
            if (isDir(b)) {
                return files.fileNames().compareTo(a, dirNames[dirOf(b)]);
            }
            return files.fileNames().compare(a, b);
        }
    }
}
