package torfs.metainfo;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.RandomAccess;

/**
 * Every file of a torrent in a few parallel arrays: offset, length, BEP 47 flags, the
 * directory it sits in and its name. Directories are numbered once each (their names shared by
 * every file below them), names are {@link Utf8Names}, symlink targets a sparse map. A file
 * costs about 25 bytes plus its name's, whatever its depth, so a torrent of a million files
 * fits in tens of megabytes. {@link FileEntry} objects are made on demand ({@link #asList()}).
 * Immutable.
 */
public final class FileTable {
    private static final byte PAD = 1;
    private static final byte EXECUTABLE = 2;
    private static final byte HIDDEN = 4;
    /** The directory every path starts from: the torrent's root. */
    public static final int ROOT_DIR = 0;

    private final long[] offsets;
    private final long[] lengths;
    private final byte[] flags;
    private final int[] dirOf;
    private final Utf8Names fileNames;
    /** Directory d's parent (-1 for {@link #ROOT_DIR}) and name; a parent is numbered first. */
    private final int[] dirParent;
    private final Utf8Names dirNames;
    private final Map<Integer, List<String>> links;
    private final List<FileEntry> view = new View();

    private FileTable(Builder b) {
        int n = b.count;
        this.offsets = Arrays.copyOf(b.offsets, n);
        this.lengths = Arrays.copyOf(b.lengths, n);
        this.flags = Arrays.copyOf(b.flags, n);
        this.dirOf = Arrays.copyOf(b.dirOf, n);
        this.fileNames = b.fileNames.build();
        this.dirParent = Arrays.copyOf(b.dirParent, b.dirNames.size());
        this.dirNames = b.dirNames.build();
        this.links = Map.copyOf(b.links);
    }

    /** The table behind {@code files}: itself when it is a table's view, else a new table. */
    public static FileTable of(List<FileEntry> files) {
        if (files instanceof View v) {
            return v.table();
        }
        Builder b = new Builder();
        for (FileEntry f : files) {
            int i = b.add(f.path(), f.length(), f.pad(), f.executable(), f.hidden());
            f.symlinkTarget().ifPresent(t -> b.link(i, t));
        }
        return b.build();
    }

    public int size() {
        return offsets.length;
    }

    public long offset(int i) {
        return offsets[i];
    }

    public long length(int i) {
        return lengths[i];
    }

    public long end(int i) {
        return offsets[i] + lengths[i];
    }

    public boolean pad(int i) {
        return (flags[i] & PAD) != 0;
    }

    public boolean executable(int i) {
        return (flags[i] & EXECUTABLE) != 0;
    }

    public boolean isSymlink(int i) {
        return links.containsKey(i);
    }

    public Optional<List<String>> symlinkTarget(int i) {
        return Optional.ofNullable(links.get(i));
    }

    /** The directory file i is in. */
    public int dirOf(int i) {
        return dirOf[i];
    }

    public Utf8Names fileNames() {
        return fileNames;
    }

    public int dirCount() {
        return dirParent.length;
    }

    /** Directory d's parent, or -1 for {@link #ROOT_DIR}. */
    public int dirParent(int d) {
        return dirParent[d];
    }

    /** Directory names; {@link #ROOT_DIR}'s is empty. */
    public Utf8Names dirNames() {
        return dirNames;
    }

    /** Directories between the root and file i: its path has this many elements plus one. */
    public int depth(int i) {
        int depth = 0;
        for (int d = dirOf[i]; d != ROOT_DIR; d = dirParent[d]) {
            depth++;
        }
        return depth;
    }

    /** File i's path elements, made now. */
    public List<String> path(int i) {
        String[] out = new String[depth(i) + 1];
        out[out.length - 1] = fileNames.get(i);
        int k = out.length - 2;
        for (int d = dirOf[i]; d != ROOT_DIR; d = dirParent[d]) {
            out[k--] = dirNames.get(d);
        }
        return List.of(out);
    }

    public FileEntry entry(int i) {
        return new FileEntry(i, path(i), offsets[i], lengths[i], pad(i), executable(i),
                (flags[i] & HIDDEN) != 0, symlinkTarget(i));
    }

    /** Every file, pad files included, as a list whose entries are made when read. */
    public List<FileEntry> asList() {
        return view;
    }

    /** Each file's length, a fresh array. */
    public long[] lengths() {
        return lengths.clone();
    }

    /** Heap bytes of the arrays, for tests and diagnostics. */
    long footprint() {
        return 25L * offsets.length + 4L * dirParent.length + fileNames.footprint() + dirNames.footprint();
    }

    private final class View extends AbstractList<FileEntry> implements RandomAccess {
        @Override
        public FileEntry get(int i) {
            return entry(i);
        }

        @Override
        public int size() {
            return offsets.length;
        }

        FileTable table() {
            return FileTable.this;
        }
    }

    /** Appends files in info-dictionary order; offsets follow from the lengths. */
    public static final class Builder {
        private long[] offsets = new long[16];
        private long[] lengths = new long[16];
        private byte[] flags = new byte[16];
        private int[] dirOf = new int[16];
        private int count;
        private long next;
        private final Utf8Names.Builder fileNames = new Utf8Names.Builder();
        private final Utf8Names.Builder dirNames = new Utf8Names.Builder();
        private int[] dirParent = new int[16];
        /** (parent, name) -> directory: one entry per directory, dropped by build(). */
        private final Map<DirKey, Integer> dirs = new HashMap<>();
        private final Map<Integer, List<String>> links = new HashMap<>();

        private record DirKey(int parent, String name) {
        }

        public Builder() {
            dirNames.add("");
            dirParent[0] = -1;
        }

        /** Adds a file at the next offset; returns its index. */
        public int add(List<String> path, long length, boolean pad, boolean executable, boolean hidden) {
            if (path.isEmpty()) {
                throw new IllegalArgumentException("empty path");
            }
            if (length < 0) {
                throw new IllegalArgumentException("negative length");
            }
            int d = ROOT_DIR;
            for (int k = 0; k < path.size() - 1; k++) {
                d = dir(d, path.get(k));
            }
            if (count == offsets.length) {
                int cap = count * 2;
                offsets = Arrays.copyOf(offsets, cap);
                lengths = Arrays.copyOf(lengths, cap);
                flags = Arrays.copyOf(flags, cap);
                dirOf = Arrays.copyOf(dirOf, cap);
            }
            offsets[count] = next;
            lengths[count] = length;
            flags[count] = (byte) ((pad ? PAD : 0) | (executable ? EXECUTABLE : 0) | (hidden ? HIDDEN : 0));
            dirOf[count] = d;
            fileNames.add(path.get(path.size() - 1));
            next = Math.addExact(next, length);
            return count++;
        }

        /** Makes file i a symlink to {@code target} (elements relative to the root). */
        public void link(int i, List<String> target) {
            links.put(i, List.copyOf(target));
        }

        private int dir(int parent, String name) {
            return dirs.computeIfAbsent(new DirKey(parent, name), k -> {
                int id = dirNames.add(name);
                if (id == dirParent.length) {
                    dirParent = Arrays.copyOf(dirParent, id * 2);
                }
                dirParent[id] = parent;
                return id;
            });
        }

        public int size() {
            return count;
        }

        public FileTable build() {
            return new FileTable(this);
        }
    }
}
