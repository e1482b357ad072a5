package torfs.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import torfs.control.ControlException;
import torfs.metainfo.InfoHash;
import torfs.metainfo.MagnetLink;
import torfs.metainfo.MetainfoException;
import torfs.metainfo.MetainfoParser;
import torfs.metainfo.Torrent;

/**
 * {@code --watch DIR}: every {@code .torrent} and {@code .magnet} file in DIR (one magnet a
 * line; blank lines and lines starting with '#' skipped) is served while it is there. DIR is
 * listed every {@value #PERIOD_MS} ms (polling works on every file system, NFS and FUSE
 * included, and sees a rename as the pair of changes it is); {@link WatchState} decides. Only
 * torrents this folder added are removed when their file goes.
 */
final class WatchFolder implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WatchFolder.class.getName());
    static final long PERIOD_MS = 500;
    /** A file larger than this is not a .torrent or .magnet file one drops into a folder. */
    static final long MAX_FILE = 64L << 20;

    /** A torrent named by a file: its parsed .torrent or its magnet. */
    record Found(Torrent torrent, MagnetLink magnet) {
    }

    private final Path dir;
    private final MountedLibrary library;
    private final WatchState<Found> state = new WatchState<>();
    private final Set<InfoHash> owned = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean closed;

    private WatchFolder(Path dir, MountedLibrary library) {
        this.dir = dir;
        this.library = library;
        this.thread = new Thread(this::loop, "torfs-watch");
        this.thread.setDaemon(true);
    }

    /** Scans once (what is there shows before this returns), then keeps watching. */
    static WatchFolder start(Path dir, MountedLibrary library) {
        WatchFolder w = new WatchFolder(dir, library);
        w.scanOnce();
        w.thread.start();
        return w;
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
            scanOnce();
        }
    }

    void scanOnce() {
        Map<String, WatchState.Stamp> listing;
        try {
            listing = list(dir);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, dir + ": " + e.getMessage());
            return;
        }
        WatchState.Changes<Found> c = state.scan(listing, name -> parse(dir.resolve(name)));
        for (String bad : c.bad()) {
            LOG.log(System.Logger.Level.WARNING, bad + "; ignored until it changes");
        }
        for (InfoHash h : c.remove()) {
            if (owned.remove(h)) {
                try {
                    library.remove(h.hex(), false);
                } catch (ControlException e) {
                    LOG.log(System.Logger.Level.WARNING, h.hex() + ": " + e.getMessage());
                }
            }
        }
        for (Map.Entry<InfoHash, Found> a : c.add().entrySet()) {
            try {
                Found f = a.getValue();
                if (f.torrent() != null) {
                    library.addTorrent(f.torrent());
                } else {
                    library.addMagnet(f.magnet());
                }
                owned.add(a.getKey());
            } catch (ControlException e) {
                LOG.log(System.Logger.Level.INFO, e.getMessage()); // already there (added by hand)
            }
        }
    }

    /** The .torrent and .magnet files of {@code dir}, hidden ones (editors' temporaries) left out. */
    static Map<String, WatchState.Stamp> list(Path dir) throws IOException {
        Map<String, WatchState.Stamp> m = new HashMap<>();
        try (DirectoryStream<Path> d = Files.newDirectoryStream(dir)) {
            for (Path p : d) {
                String n = p.getFileName().toString();
                String lower = n.toLowerCase(Locale.ROOT);
                if (n.startsWith(".") || !(lower.endsWith(".torrent") || lower.endsWith(".magnet"))) {
                    continue;
                }
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (a.isRegularFile()) {
                        m.put(n, new WatchState.Stamp(a.size(), a.lastModifiedTime().toMillis()));
                    }
                } catch (IOException gone) {
                    // deleted between the listing and the stat: absent
                }
            }
        }
        return m;
    }

    static WatchState.Parse<Found> parse(Path file) {
        try {
            if (Files.size(file) > MAX_FILE) {
                return WatchState.Parse.failed("larger than " + (MAX_FILE >> 20) + " MiB");
            }
            byte[] bytes = Files.readAllBytes(file);
            Map<InfoHash, Found> found = new LinkedHashMap<>();
            if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".magnet")) {
                String text = new String(bytes, StandardCharsets.UTF_8);
                if (text.startsWith("\uFEFF")) { // Notepad's byte-order mark: not part of the first magnet
                    text = text.substring(1);
                }
                String[] lines = text.split("\n");
                for (int i = 0; i < lines.length; i++) {
                    String l = lines[i].trim();
                    if (l.isEmpty() || l.startsWith("#")) {
                        continue;
                    }
                    try {
                        MagnetLink m = MagnetLink.parse(l);
                        found.putIfAbsent(m.infoHash(), new Found(null, m));
                    } catch (MetainfoException e) {
                        // the whole file waits for its next change: it may be half written
                        return WatchState.Parse.failed("line " + (i + 1) + ": " + e.getMessage());
                    }
                }
            } else {
                Torrent t = MetainfoParser.parse(bytes);
                found.put(t.infoHash(), new Found(t, null));
            }
            return WatchState.Parse.ok(found);
        } catch (MetainfoException e) {
            return WatchState.Parse.failed(e.getMessage());
        } catch (IOException e) {
            return WatchState.Parse.failed(String.valueOf(e.getMessage()));
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
