package torfs.app;

import java.io.IOException;
import java.nio.file.Path;
import torfs.metainfo.Torrent;
import torfs.storage.HolePunch;

/**
 * {@code --cache-size}: the cap of a mount's piece cache, checked where a user can act on it.
 * It must hold a few pieces (a reader's window is a quarter of it and starts at two pieces), and
 * the data directory's file system must punch holes, or eviction could not give space back.
 */
final class CacheSize {
    /** The smallest cache, in pieces. */
    static final int MIN_PIECES = 8;

    private CacheSize() {
    }

    /** Parses SIZE; with the torrent known (not a magnet yet), also checks it holds enough pieces. */
    static long parse(String text, Torrent torrent) {
        long cap = Sizes.parse("--cache-size", text);
        if (cap <= 0) {
            throw new UserError("--cache-size must be positive");
        }
        if (torrent != null) {
            checkPieces(cap, torrent);
        }
        return cap;
    }

    /** Refuses in one line a cap that cannot hold {@link #MIN_PIECES} of {@code torrent}'s pieces. */
    static void checkPieces(long cap, Torrent torrent) {
        checkPieces(cap, torrent, null);
    }

    /** As {@link #checkPieces(long, Torrent)}, the line naming {@code source} (one of a mount's many) unless null. */
    static void checkPieces(long cap, Torrent torrent, String source) {
        String line = tooSmall(cap, torrent);
        if (line != null) {
            throw new UserError(source == null ? line : source + ": " + line);
        }
    }

    /**
     * Why a mount's shared cap cannot take {@code torrent}, or null: every torrent must fit
     * {@link #MIN_PIECES} of its pieces, so the largest piece length of the mount decides.
     */
    static String tooSmall(long cap, Torrent torrent) {
        long min = (long) MIN_PIECES * torrent.pieceLength();
        if (cap >= min) {
            return null;
        }
        return "--cache-size " + Sizes.format(cap) + " is too small: it must hold at least "
                + MIN_PIECES + " pieces of " + Sizes.format(torrent.pieceLength()) + " (" + Sizes.format(min) + ")";
    }

    /** A reader's readahead window asks for at most a quarter of the cache. */
    static long readaheadCap(long cap) {
        return cap / 4;
    }

    /** One line when the data directory cannot give space back. */
    static void checkHolePunching(Path dataDir) {
        try {
            HolePunch.check(dataDir);
        } catch (IOException e) {
            throw new UserError("--cache-size: " + e.getMessage());
        }
    }
}
