package torfs.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import torfs.metainfo.InfoHash;
import torfs.storage.DataLayout;

/**
 * A torrent's paused state on disk, beside its resume state: {@code DATA/.torfs/<info-hash>.paused}
 * exists while it is paused, so a remount of the same data directory starts it paused again.
 */
final class PausedMark {
    private PausedMark() {
    }

    static Path of(Path dataDir, InfoHash hash) {
        return dataDir.resolve(DataLayout.STATE_DIR).resolve(hash.hex() + ".paused");
    }

    static boolean isSet(Path dataDir, InfoHash hash) {
        return Files.exists(of(dataDir, hash));
    }

    /** Records {@code paused}; a failure is logged, not thrown: the torrent still pauses, only not for the next mount. */
    static void set(Path dataDir, InfoHash hash, boolean paused, System.Logger log) {
        Path p = of(dataDir, hash);
        try {
            if (paused) {
                Files.createDirectories(p.getParent());
                if (!Files.exists(p)) {
                    Files.write(p, new byte[0]);
                }
            } else {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.log(System.Logger.Level.WARNING, "could not record the paused state at " + p + ": " + e.getMessage());
        }
    }
}
