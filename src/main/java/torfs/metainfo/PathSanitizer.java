package torfs.metainfo;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the path elements of a .torrent into names that are safe to create below the torrent's
 * root, following libtorrent's policy so a torrent shows the same tree here as in libtorrent:
 * <ol>
 *   <li>bytes that are not valid UTF-8 become {@code _}, one per malformed sequence;</li>
 *   <li>inside an element, the separators {@code /} and {@code \}, NUL and the other control
 *       characters (U+0000..U+001F, U+007F) become {@code _};</li>
 *   <li>the Unicode direction marks U+200E, U+200F and U+202A..U+202E are dropped (libtorrent:
 *       they make {@code evil.exe} display as {@code exe.live}); an element that is only such
 *       marks counts as empty;</li>
 *   <li>an element of more than 240 bytes (UTF-8) is cut as libtorrent cuts it, so it can be
 *       created where names stop at 255 bytes (ext4, xfs, btrfs) and lands where libtorrent
 *       and qBittorrent put the same file: code points are kept until 240 bytes or more are
 *       kept, then an extension in the element's last 9 bytes (a {@code .} and what follows)
 *       is appended, or nothing; a clash's number (below) shortens the stem rather than pass
 *       255 bytes;</li>
 *   <li>elements {@code .} and {@code ..} are dropped, and so are empty elements, which also makes
 *       an absolute path ({@code ["", "etc"]}) relative;</li>
 *   <li>a file whose elements all drop is named {@code _};</li>
 *   <li>the torrent name (one element) that is empty, {@code .} or {@code ..} after step 1-3
 *       becomes the info-hash in hex;</li>
 *   <li>duplicate paths (also a file whose path is a directory of another, or whose directory is
 *       another file) get {@code .1}, {@code .2}, ... inserted before the extension of the
 *       clashing element ({@code a.txt} -> {@code a.1.txt}); more than 500 clashes for one
 *       path reject the torrent. Pad files take no part: they are never created.</li>
 * </ol>
 * What comes out never contains an element that is empty, {@code .}, {@code ..}, or holds a
 * {@code /}, a {@code \} or a control character, so it cannot leave the root.
 */
final class PathSanitizer {
    static final int MAX_DUPLICATES = 500;
    /** Where libtorrent starts cutting a long element (its sanitize_append_path_element). */
    static final int CUT_AT = 240;
    /** The longest name ext4, xfs and btrfs take, in bytes. */
    static final int NAME_MAX = 255;

    private PathSanitizer() {
    }

    /** Decodes UTF-8 with one {@code _} per malformed sequence, then cleans and cuts one element. */
    static String element(byte[] raw) {
        return cut(clean(decodeUtf8(raw)));
    }

    /**
     * Cuts an element longer than {@link #CUT_AT} bytes: whole code points up to the first that
     * reaches 240 bytes, then the extension if a {@code .} lies in the last 9 bytes and after
     * that point. At most 252 bytes come out.
     */
    static String cut(String element) {
        if (element.length() <= CUT_AT / 3) { // a UTF-16 unit is at most 3 bytes of UTF-8: no bytes made per name
            return element;
        }
        byte[] b = element.getBytes(StandardCharsets.UTF_8);
        if (b.length <= CUT_AT) {
            return element;
        }
        int last = 0; // where the code point that reaches CUT_AT starts
        int kept = 0;
        while (kept < CUT_AT) {
            last = kept;
            kept += sequenceLength(b[kept]);
        }
        // libtorrent looks for the extension's dot in the last 9 bytes, after that code point
        int dot = -1;
        for (int j = b.length - 1; j > Math.max(b.length - 10, last) && dot < 0; j--) {
            dot = b[j] == '.' ? j : -1;
        }
        String head = new String(b, 0, kept, StandardCharsets.UTF_8);
        return dot < 0 ? head : head + new String(b, dot, b.length - dot, StandardCharsets.UTF_8);
    }

    /** {@code stem + tail}, the stem shortened by whole code points to keep it within 255 bytes. */
    static String fitted(String stem, String tail) {
        int room = NAME_MAX - tail.getBytes(StandardCharsets.UTF_8).length;
        String s = stem;
        while (!s.isEmpty() && s.getBytes(StandardCharsets.UTF_8).length > room) {
            s = s.substring(0, s.offsetByCodePoints(s.length(), -1));
        }
        return s + tail;
    }

    /** The length of the UTF-8 sequence a lead byte starts (the input is valid UTF-8). */
    private static int sequenceLength(byte lead) {
        int u = lead & 0xff;
        return u < 0x80 ? 1 : u < 0xe0 ? 2 : u < 0xf0 ? 3 : 4;
    }

    /**
     * Replaces separators and control characters with {@code _} and drops direction marks.
     * Does not drop {@code .}/{@code ..}: callers decide (see {@link #isDropped}).
     */
    static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e)) {
                continue;
            }
            if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
                b.append('_');
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    static boolean isDropped(String element) {
        return element.isEmpty() || element.equals(".") || element.equals("..");
    }

    /** Cleans every element and drops the empty and dot ones; an all-dropped path becomes "_". */
    static List<String> path(List<byte[]> raw) {
        List<String> out = new ArrayList<>(raw.size());
        for (byte[] r : raw) {
            String e = element(r);
            if (!isDropped(e)) {
                out.add(e);
            }
        }
        if (out.isEmpty()) {
            out.add("_");
        }
        return out;
    }

    /** The cleaned torrent name, or the info-hash hex when nothing usable is left. */
    static String name(byte[] raw, InfoHash infoHash) {
        String e = element(raw);
        return isDropped(e) ? infoHash.hex() : e;
    }

    static String decodeUtf8(byte[] raw) {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith("_");
        try {
            return dec.decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("REPLACE never throws", e);
        }
    }

    /**
     * Gives every file a unique path, in info-dictionary order: the first file keeps its name,
     * later clashes are renamed. A directory element that clashes with an earlier file is
     * renamed once and every later file below it follows the rename.
     */
    static final class Deduplicator {
        private final Set<String> files = new HashSet<>();
        private final Set<String> dirs = new HashSet<>();
        private final Map<String, String> dirAliases = new HashMap<>();

        List<String> unique(List<String> path) throws MetainfoException {
            List<String> out = new ArrayList<>(path.size());
            for (int i = 0; i < path.size() - 1; i++) {
                out.add(path.get(i));
                String key = String.join("/", out);
                String alias = dirAliases.get(key);
                if (alias != null) {
                    out.set(i, alias);
                } else if (files.contains(key)) {
                    String renamed = freeName(out);
                    dirAliases.put(key, renamed);
                    out.set(i, renamed);
                }
                dirs.add(String.join("/", out));
            }
            out.add(path.get(path.size() - 1));
            String key = String.join("/", out);
            if (files.contains(key) || dirs.contains(key)) {
                out.set(out.size() - 1, freeName(out));
            }
            files.add(String.join("/", out));
            return out;
        }

        /** Whether {@code path} names a file or directory given out so far. */
        boolean names(List<String> path) {
            String key = String.join("/", path);
            return files.contains(key) || dirs.contains(key);
        }

        /** A free variant of the last element of {@code path}: stem.N.ext. */
        private String freeName(List<String> path) throws MetainfoException {
            String last = path.get(path.size() - 1);
            String prefix = path.size() > 1
                    ? String.join("/", path.subList(0, path.size() - 1)) + "/" : "";
            int dot = last.lastIndexOf('.');
            String stem = dot > 0 ? last.substring(0, dot) : last;
            String ext = dot > 0 ? last.substring(dot) : "";
            for (int n = 1; n <= MAX_DUPLICATES; n++) {
                String candidate = fitted(stem, "." + n + ext);
                String key = prefix + candidate;
                if (!files.contains(key) && !dirs.contains(key)) {
                    return candidate;
                }
            }
            throw new MetainfoException("more than " + MAX_DUPLICATES + " files named '"
                    + prefix + last + "'");
        }
    }
}
