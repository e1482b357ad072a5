package torfs.app;

import java.io.IOException;
import java.nio.file.Path;
import torfs.session.TorrentSession;
import torfs.storage.DiskSpace;

/**
 * At start: does what a torrent still has to download fit on its data directory's file system?
 * A download that cannot finish says so and stops; a mount warns and serves what fits.
 */
final class SpaceCheck {
    private SpaceCheck() {
    }

    /** The line saying the data does not fit ({@code free} vs {@code needed} bytes), or null. */
    static String shortfall(Path dir, long free, long needed) {
        if (free >= needed) {
            return null;
        }
        return "not enough space at " + dir + ": " + Sizes.format(free) + " free, "
                + Sizes.format(needed) + " still needed";
    }

    /** {@link #shortfall(Path, long, long)} for what the session has verified or found on disk so far. */
    static String shortfall(TorrentSession session) throws IOException {
        Path dir = session.layout().dataDir();
        return shortfall(dir, DiskSpace.free(dir), DiskSpace.stillNeeded(session.layout(), session.storedSnapshot()));
    }
}
