package torfs.fuse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import torfs.metainfo.FileEntry;
import torfs.metainfo.Torrent;

/**
 * The immutable directory tree of a mounted torrent, built once at mount: one hash lookup per
 * path, children sorted by name. The mount root holds the torrent's top entry, as btfs does:
 * {@code /<name>} is the file of a single-file torrent or the directory of a multi-file one.
 * Pad files are left out.
 */
final class FsTree {
    /** A node of the tree. */
    abstract static class Node {
        final String name;
        final byte[] nameUtf8;

        Node(String name) {
            this.name = name;
            this.nameUtf8 = (name + "\0").getBytes(StandardCharsets.UTF_8);
        }
    }

    static final class Dir extends Node {
        Node[] children = new Node[0];
        int subdirs;
        /** Byte extent [start, end) spanned by the files below, and their total size. */
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        long size;
        final List<FileEntry> files = new ArrayList<>();

        Dir(String name) {
            super(name);
        }
    }

    static final class File extends Node {
        final FileEntry entry;

        File(String name, FileEntry entry) {
            super(name);
            this.entry = entry;
        }
    }

    static final class Link extends Node {
        final FileEntry entry;
        final byte[] target;

        Link(String name, FileEntry entry, String target) {
            super(name);
            this.entry = entry;
            this.target = target.getBytes(StandardCharsets.UTF_8);
        }
    }

    private final Map<String, Node> byPath;
    private final Dir root;
    private final int fileCount;

    private FsTree(Map<String, Node> byPath, Dir root, int fileCount) {
        this.byPath = byPath;
        this.root = root;
        this.fileCount = fileCount;
    }

    static FsTree build(Torrent t) {
        Map<String, Node> byPath = new HashMap<>();
        Map<Dir, TreeMap<String, Node>> kids = new HashMap<>();
        Dir root = new Dir("/");
        byPath.put("/", root);
        kids.put(root, new TreeMap<>());
        int files = 0;
        Dir top = root;
        String topPath = "";
        if (!t.singleFile()) {
            top = new Dir(t.name());
            topPath = "/" + t.name();
            add(byPath, kids, root, topPath, top);
        }
        for (FileEntry e : t.files()) {
            if (e.pad()) {
                continue;
            }
            List<String> path = t.singleFile() ? List.of(t.name()) : e.path();
            Dir dir = top;
            StringBuilder p = new StringBuilder(topPath);
            List<Dir> chain = new ArrayList<>();
            chain.add(root);
            if (top != root) {
                chain.add(top);
            }
            boolean clash = false;
            for (int i = 0; i < path.size() - 1; i++) {
                p.append('/').append(path.get(i));
                Node n = byPath.get(p.toString());
                if (n == null) {
                    Dir d = new Dir(path.get(i));
                    add(byPath, kids, dir, p.toString(), d);
                    n = d;
                }
                if (!(n instanceof Dir)) {
                    clash = true; // a file where a directory should be: first entry wins
                    break;
                }
                dir = (Dir) n;
                chain.add(dir);
            }
            String name = path.get(path.size() - 1);
            p.append('/').append(name);
            if (clash || byPath.containsKey(p.toString())) {
                continue;
            }
            Node leaf = e.isSymlink()
                    ? new Link(name, e, linkText(path.size() - 1, e.symlinkTarget().orElseThrow()))
                    : new File(name, e);
            add(byPath, kids, dir, p.toString(), leaf);
            if (leaf instanceof File) {
                files++;
                for (Dir d : chain) {
                    d.files.add(e);
                    d.size += e.length();
                    if (e.length() > 0) {
                        d.start = Math.min(d.start, e.offset());
                        d.end = Math.max(d.end, e.end());
                    }
                }
            }
        }
        for (Map.Entry<Dir, TreeMap<String, Node>> k : kids.entrySet()) {
            Dir d = k.getKey();
            d.children = k.getValue().values().toArray(new Node[0]);
            d.subdirs = (int) Arrays.stream(d.children).filter(c -> c instanceof Dir).count();
        }
        return new FsTree(byPath, root, files);
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

    private static void add(Map<String, Node> byPath, Map<Dir, TreeMap<String, Node>> kids, Dir parent,
                            String path, Node node) {
        byPath.put(path, node);
        kids.get(parent).put(node.name, node);
        if (node instanceof Dir) {
            kids.put((Dir) node, new TreeMap<>());
        }
    }

    Node lookup(String path) {
        return byPath.get(path);
    }

    Dir root() {
        return root;
    }

    int fileCount() {
        return fileCount;
    }

    int nodeCount() {
        return byPath.size();
    }
}
