package torfs.app;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import torfs.metainfo.InfoHash;

/**
 * What a watch folder wants served, from one listing to the next; pure (the listing and the
 * parser are given), so create, rename, delete and partial writes are tested without a disk
 * or a clock. A file is read again only when its size or time changed. One that does not parse
 * is taken to be still being written: it is tried again when it changes, and once it stayed
 * the same for {@value #STABLE_SCANS} scans it is reported bad, once. The torrents wanted are
 * the union over the files: a rename (old name gone, new one there in the same scan) and two
 * files naming one torrent change nothing.
 *
 * @param <T> what a parsed file gives per torrent (a .torrent's Torrent, a magnet)
 */
final class WatchState<T> {
    static final int STABLE_SCANS = 3;

    /** A file's size and modification time: a change means it must be read again. */
    record Stamp(long size, long mtimeMillis) {
    }

    /** A file read: the torrents it names, or why it does not parse. */
    record Parse<T>(Map<InfoHash, T> torrents, String error) {
        static <T> Parse<T> ok(Map<InfoHash, T> torrents) {
            return new Parse<>(Map.copyOf(torrents), null);
        }

        static <T> Parse<T> failed(String error) {
            return new Parse<>(Map.of(), error);
        }
    }

    /** What one scan changed: torrents to add, torrents to remove, files to report as bad. */
    record Changes<T>(Map<InfoHash, T> add, Set<InfoHash> remove, List<String> bad) {
    }

    private static final class FileState<T> {
        Stamp stamp;
        Map<InfoHash, T> torrents = Map.of();
        String error;
        int unchangedScans;
        boolean reported;
    }

    private final Map<String, FileState<T>> files = new HashMap<>();

    Changes<T> scan(Map<String, Stamp> listing, Function<String, Parse<T>> parser) {
        Set<InfoHash> before = wanted();
        List<String> bad = new ArrayList<>();
        files.keySet().retainAll(listing.keySet());
        for (Map.Entry<String, Stamp> f : listing.entrySet()) {
            FileState<T> s = files.computeIfAbsent(f.getKey(), k -> new FileState<>());
            if (!f.getValue().equals(s.stamp)) {
                s.stamp = f.getValue();
                s.unchangedScans = 0;
                s.reported = false;
                Parse<T> p = parser.apply(f.getKey());
                s.torrents = p.torrents();
                s.error = p.error();
            } else if (s.error != null && !s.reported && ++s.unchangedScans >= STABLE_SCANS) {
                s.reported = true;
                bad.add(f.getKey() + ": " + s.error);
            }
        }
        Map<InfoHash, T> add = new LinkedHashMap<>();
        Set<InfoHash> now = new LinkedHashSet<>();
        for (FileState<T> s : files.values()) {
            for (Map.Entry<InfoHash, T> t : s.torrents.entrySet()) {
                now.add(t.getKey());
                if (!before.contains(t.getKey())) {
                    add.putIfAbsent(t.getKey(), t.getValue());
                }
            }
        }
        Set<InfoHash> remove = new LinkedHashSet<>(before);
        remove.removeAll(now);
        return new Changes<>(add, remove, bad);
    }

    private Set<InfoHash> wanted() {
        Set<InfoHash> all = new LinkedHashSet<>();
        for (FileState<T> s : files.values()) {
            all.addAll(s.torrents.keySet());
        }
        return all;
    }
}
