package torfs.metainfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import torfs.bencode.BDict;
import torfs.bencode.BInt;
import torfs.bencode.BList;
import torfs.bencode.BString;
import torfs.bencode.BValue;
import torfs.bencode.BencodeDecoder;
import torfs.bencode.BencodeException;

/**
 * Reads a .torrent (BEP 3) into a validated {@link Torrent}: v1 single- and multi-file torrents
 * and hybrid v1+v2 torrents through their v1 part. The info section is checked and its paths
 * sanitised by {@link InfoParser}; this class handles the file, the bencode and the fields
 * outside info, which it reads leniently as libtorrent does (a malformed optional field is
 * ignored, not fatal).
 */
public final class MetainfoParser {
    /** Largest .torrent we read: 50 MiB (libtorrent's default limit is 30 MB). */
    public static final long MAX_TORRENT_BYTES = 50L * 1024 * 1024;

    private MetainfoParser() {
    }

    /** Reads and parses a .torrent file; its size is checked before any byte is read. */
    public static Torrent parse(Path file) throws IOException, MetainfoException {
        long size = Files.size(file);
        if (size > MAX_TORRENT_BYTES) {
            throw new MetainfoException(file + " is " + size + " bytes, over the "
                    + MAX_TORRENT_BYTES + "-byte limit for a .torrent");
        }
        return parse(Files.readAllBytes(file));
    }

    public static Torrent parse(byte[] data) throws MetainfoException {
        if (data.length > MAX_TORRENT_BYTES) {
            throw new MetainfoException("torrent is " + data.length + " bytes, over the "
                    + MAX_TORRENT_BYTES + "-byte limit for a .torrent");
        }
        BValue root;
        try {
            root = BencodeDecoder.decode(data);
        } catch (BencodeException e) {
            throw new MetainfoException("not a valid torrent file: " + e.getMessage(), e);
        }
        if (!(root instanceof BDict top)) {
            throw new MetainfoException("not a valid torrent file: top level is not a dictionary");
        }
        BValue infoValue = top.get("info");
        if (infoValue == null) {
            throw new MetainfoException("missing 'info' dictionary");
        }
        if (!(infoValue instanceof BDict info)) {
            throw new MetainfoException("'info' is not a dictionary");
        }
        InfoParser.Info parsed = InfoParser.parse(data, info);
        return new Torrent(parsed.name(), parsed.infoHash(), parsed.pieceLength(),
                parsed.pieceHashes(), parsed.files(), parsed.singleFile(), parsed.totalLength(),
                trackers(top), webSeeds(top), parsed.isPrivate(), creationDate(top),
                text(top, "comment"), text(top, "created by"), parsed.hybrid(),
                parsed.rawInfo());
    }

    /** BEP 12 tiers; 'announce' alone is one tier, and is put first when the list lacks it. */
    static List<List<String>> trackers(BDict top) {
        List<List<String>> tiers = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        if (top.get("announce-list") instanceof BList list) {
            for (BValue tierValue : list.values()) {
                if (!(tierValue instanceof BList tierList)) {
                    continue;
                }
                List<String> tier = new ArrayList<>();
                for (BValue url : tierList.values()) {
                    String u = url instanceof BString s ? s.utf8().strip() : "";
                    if (!u.isEmpty() && seen.add(u)) {
                        tier.add(u);
                    }
                }
                if (!tier.isEmpty()) {
                    tiers.add(tier);
                }
            }
        }
        if (top.get("announce") instanceof BString s) {
            String u = s.utf8().strip();
            if (!u.isEmpty() && !seen.contains(u)) {
                tiers.add(0, List.of(u));
            }
        }
        return tiers;
    }

    /** BEP 19 url-list: one string or a list of strings; empty entries skipped. */
    static List<String> webSeeds(BDict top) {
        BValue v = top.get("url-list");
        Set<String> urls = new LinkedHashSet<>();
        if (v instanceof BString s) {
            addUrl(urls, s);
        } else if (v instanceof BList l) {
            for (BValue e : l.values()) {
                if (e instanceof BString s) {
                    addUrl(urls, s);
                }
            }
        }
        return List.copyOf(urls);
    }

    private static void addUrl(Set<String> urls, BString s) {
        String u = s.utf8().strip();
        if (!u.isEmpty()) {
            urls.add(u);
        }
    }

    private static OptionalLong creationDate(BDict top) {
        return top.get("creation date") instanceof BInt i ? OptionalLong.of(i.value())
                : OptionalLong.empty();
    }

    /** A text field, its '.utf-8' variant preferred; "" when absent. */
    private static String text(BDict d, String key) {
        BValue v = d.get(key + ".utf-8");
        if (!(v instanceof BString)) {
            v = d.get(key);
        }
        return v instanceof BString s ? PathSanitizer.decodeUtf8(s.bytes()) : "";
    }
}
