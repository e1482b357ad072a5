package torfs.metainfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import torfs.bencode.BDict;
import torfs.bencode.BInt;
import torfs.bencode.BList;
import torfs.bencode.BString;
import torfs.bencode.BValue;

/**
 * Validates a v1 info dictionary (or the v1 part of a hybrid) and builds its file list.
 * Every check that protects later code (64-bit sizes, piece count, path depth) is here; the
 * path policy itself is {@link PathSanitizer}'s.
 *
 * <p>BEP 47 symlinks ('l' in 'attr', target in 'symlink path'): the target's elements are
 * sanitised like any path and must then name a file or directory of this torrent, either
 * relative to the root or, as libtorrent writes them, starting with the torrent's name. A link
 * whose target is missing or outside the torrent is dropped: the entry becomes a regular file
 * of its declared length, as libtorrent's {@code sanitize_symlinks} neutralises it.
 */
final class InfoParser {
    static final long MAX_PIECE_LENGTH = 1L << 30;
    static final int MAX_PIECES = 1 << 21;
    static final int MAX_PATH_DEPTH = 100;

    /** The validated content of an info dictionary. */
    record Info(String name, InfoHash infoHash, int pieceLength, byte[] pieceHashes,
                List<FileEntry> files, boolean singleFile, long totalLength, boolean isPrivate,
                boolean hybrid, byte[] rawInfo) {
    }

    /** A file as declared, before paths are made unique. */
    private record RawFile(List<String> path, long length, String attr,
                           Optional<List<String>> symlink) {
        boolean pad() {
            return attr.indexOf('p') >= 0;
        }
    }

    private InfoParser() {
    }

    static Info parse(byte[] source, BDict info) throws MetainfoException {
        boolean metaV2 = info.get("meta version") instanceof BInt v && v.value() == 2;
        boolean hasV1 = info.containsKey("pieces") || info.containsKey("files")
                || info.containsKey("length");
        if (metaV2 && !hasV1) {
            throw new MetainfoException("v2-only torrents are not supported yet");
        }
        int pieceLength = pieceLength(info);
        BString rawName = string(info, "name");
        if (rawName == null) {
            throw new MetainfoException("missing 'name'");
        }

        int start = info.sourceStart();
        InfoHash hash = InfoHash.sha1Of(source, start, info.sourceEnd() - start);
        String name = PathSanitizer.name(rawName.bytes(), hash);

        FileTable files;
        boolean single;
        BValue filesValue = info.get("files");
        if (filesValue != null) {
            if (!(filesValue instanceof BList list)) {
                throw new MetainfoException("'files' is not a list");
            }
            if (list.values().isEmpty()) {
                throw new MetainfoException("'files' is empty");
            }
            single = false;
            files = entries(list.values(), name);
        } else {
            BValue length = info.get("length");
            if (length == null) {
                throw new MetainfoException("missing 'length' or 'files'");
            }
            single = true;
            String attr = attr(info);
            FileTable.Builder one = new FileTable.Builder();
            one.add(List.of(name), length("'length'", length), false, attr.indexOf('x') >= 0,
                    attr.indexOf('h') >= 0);
            files = one.build();
        }
        long total = files.size() == 0 ? 0 : files.end(files.size() - 1);
        if (total == 0) {
            throw new MetainfoException("torrent has no data: total size is 0");
        }
        byte[] pieces = pieces(info, total, pieceLength);
        byte[] rawInfo = Arrays.copyOfRange(source, start, info.sourceEnd());
        boolean isPrivate = info.get("private") instanceof BInt p && p.value() != 0;
        return new Info(name, hash, pieceLength, pieces, files.asList(), single, total, isPrivate,
                metaV2, rawInfo);
    }

    private static int pieceLength(BDict info) throws MetainfoException {
        BValue v = info.get("piece length");
        if (v == null) {
            throw new MetainfoException("missing 'piece length'");
        }
        if (!(v instanceof BInt i)) {
            throw new MetainfoException("'piece length' is not an integer");
        }
        if (i.value() <= 0) {
            throw new MetainfoException("'piece length' must be positive, got " + i.value());
        }
        if (i.value() > MAX_PIECE_LENGTH) {
            throw new MetainfoException("'piece length' " + i.value() + " is over 2^30");
        }
        return (int) i.value();
    }

    private static byte[] pieces(BDict info, long total, int pieceLength) throws MetainfoException {
        BValue v = info.get("pieces");
        if (v == null) {
            throw new MetainfoException("missing 'pieces'");
        }
        if (!(v instanceof BString s)) {
            throw new MetainfoException("'pieces' is not a string");
        }
        if (s.length() % InfoHash.LENGTH != 0) {
            throw new MetainfoException("'pieces' is " + s.length()
                    + " bytes, not a multiple of 20");
        }
        long needed = (total - 1) / pieceLength + 1;
        if (needed > MAX_PIECES) {
            throw new MetainfoException("torrent needs " + needed + " pieces, over the limit of "
                    + MAX_PIECES);
        }
        long have = s.length() / InfoHash.LENGTH;
        if (have != needed) {
            throw new MetainfoException("'pieces' holds " + have + " hashes but " + total
                    + " bytes in pieces of " + pieceLength + " need " + needed);
        }
        return s.bytes().clone();
    }

    private static RawFile file(int index, BValue value) throws MetainfoException {
        if (!(value instanceof BDict d)) {
            throw new MetainfoException("file " + index + " is not a dictionary");
        }
        BValue length = d.get("length");
        if (length == null) {
            throw new MetainfoException("file " + index + ": missing 'length'");
        }
        long len = length("file " + index + ": 'length'", length);
        BValue pathValue = d.get("path.utf-8") instanceof BList ? d.get("path.utf-8") : d.get("path");
        if (pathValue == null) {
            throw new MetainfoException("file " + index + ": missing 'path'");
        }
        List<String> path = pathList(index, "'path'", pathValue);
        String attr = attr(d);
        Optional<List<String>> symlink = Optional.empty();
        if (attr.indexOf('l') >= 0 && d.get("symlink path") instanceof BList) {
            symlink = Optional.of(pathList(index, "'symlink path'", d.get("symlink path")));
        }
        return new RawFile(path, len, attr, symlink);
    }

    private static long length(String what, BValue v) throws MetainfoException {
        if (!(v instanceof BInt i)) {
            throw new MetainfoException(what + " is not an integer");
        }
        if (i.value() < 0) {
            throw new MetainfoException(what + " is negative: " + i.value());
        }
        return i.value();
    }

    /** Sanitised elements; an empty result stays empty (callers decide what that means). */
    private static List<String> pathList(int index, String what, BValue v) throws MetainfoException {
        if (!(v instanceof BList list)) {
            throw new MetainfoException("file " + index + ": " + what + " is not a list");
        }
        if (list.values().size() > MAX_PATH_DEPTH) {
            throw new MetainfoException("file " + index + ": " + what + " is deeper than "
                    + MAX_PATH_DEPTH + " elements");
        }
        List<String> out = new ArrayList<>();
        for (BValue e : list.values()) {
            if (!(e instanceof BString s)) {
                throw new MetainfoException("file " + index + ": " + what
                        + " has an element that is not a string");
            }
            String clean = PathSanitizer.element(s.bytes());
            if (!PathSanitizer.isDropped(clean)) {
                out.add(clean);
            }
        }
        return out;
    }

    private static String attr(BDict d) {
        return d.get("attr") instanceof BString s ? s.utf8() : "";
    }

    private static BString string(BDict d, String key) throws MetainfoException {
        BValue v = d.get(key + ".utf-8") instanceof BString ? d.get(key + ".utf-8") : d.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof BString s)) {
            throw new MetainfoException("'" + key + "' is not a string");
        }
        return s;
    }

    /**
     * The files as a compact table. Most torrents have no symlinks and no two entries of one
     * name: their paths go in as they are, with nothing kept per file but the table. Others are
     * read again through the {@link PathSanitizer.Deduplicator}, whose sets hold every path.
     */
    private static FileTable entries(List<BValue> list, String name) throws MetainfoException {
        FileTable plain = plainEntries(list);
        if (plain != null && !NameClashes.any(plain)) {
            return plain;
        }
        return dedupedEntries(list, name);
    }

    /** The files with their paths as declared, or null at the first symlink. */
    private static FileTable plainEntries(List<BValue> list) throws MetainfoException {
        FileTable.Builder table = new FileTable.Builder();
        for (int i = 0; i < list.size(); i++) {
            RawFile f = file(i, list.get(i));
            if (!f.pad() && f.symlink().isPresent()) {
                return null;
            }
            add(table, i, f, f.path().isEmpty() ? List.of("_") : f.path());
        }
        return table.build();
    }

    private static void add(FileTable.Builder table, int i, RawFile f, List<String> path)
            throws MetainfoException {
        try {
            table.add(path, f.length(), f.pad(), f.attr().indexOf('x') >= 0, f.attr().indexOf('h') >= 0);
        } catch (ArithmeticException e) {
            throw new MetainfoException("total size overflows 64 bits at file " + i);
        }
    }

    /**
     * Each file is checked, made unique and added to the compact table; symlinks are checked
     * against the finished tree.
     */
    private static FileTable dedupedEntries(List<BValue> list, String name) throws MetainfoException {
        FileTable.Builder table = new FileTable.Builder();
        PathSanitizer.Deduplicator dedup = new PathSanitizer.Deduplicator();
        Map<Integer, List<String>> symlinks = new HashMap<>();
        Map<Integer, List<String>> paths = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            RawFile f = file(i, list.get(i));
            List<String> p = f.path().isEmpty() ? List.of("_") : f.path();
            if (!f.pad()) {
                p = dedup.unique(p);
            }
            add(table, i, f, p);
            if (!f.pad() && f.symlink().isPresent()) {
                symlinks.put(i, f.symlink().get());
                paths.put(i, p);
            }
        }
        for (Map.Entry<Integer, List<String>> s : symlinks.entrySet()) {
            Optional<List<String>> link = insideTarget(s.getValue(), name, dedup);
            if (link.isPresent() && !link.get().equals(paths.get(s.getKey()))) { // not to itself
                table.link(s.getKey(), link.get());
            }
        }
        return table.build();
    }

    private static Optional<List<String>> insideTarget(List<String> target, String name,
                                                       PathSanitizer.Deduplicator tree) {
        if (target.isEmpty()) {
            return Optional.empty();
        }
        if (tree.names(target)) {
            return Optional.of(target);
        }
        if (target.size() > 1 && target.get(0).equals(name)) {
            List<String> rest = target.subList(1, target.size());
            if (tree.names(rest)) {
                return Optional.of(List.copyOf(rest));
            }
        }
        return Optional.empty();
    }
}
