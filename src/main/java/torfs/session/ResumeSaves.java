package torfs.session;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;
import torfs.geometry.Bitfield;
import torfs.storage.DataLayout;
import torfs.storage.PieceStore;
import torfs.storage.ResumeState;
import torfs.storage.ResumeStore;

/**
 * Saves the resume state so that it never claims a piece that is not on disk, also when a capped
 * cache punches pieces out and the process is killed in the middle. Saves and punches are ordered
 * by one lock, held for the state file only: a save flushes the files outside it (a flush behind
 * a busy disk took long enough that punches waiting for it let a capped cache's disk use pass
 * its cap while new pieces were written), then inside it claims what was verified before the
 * flush and still is (an evicted piece's bit is cleared before its punch is queued, so a piece
 * punched meanwhile is not claimed; one stored again meanwhile may be, and a capped state's
 * claims are re-checked after a kill anyway), and before a
 * punch the state on disk is rewritten, if it claims any of the pieces to punch, to claim only
 * what it claimed and is still verified now: those pieces were flushed before that state was
 * saved and nothing punches them without a state that no longer claims them first, so no flush
 * is needed. A capped cache's states are marked {@code claims-held}: after a kill -9 (files
 * changed since, by punches and new pieces) the next start re-checks only what the state claims,
 * not the whole torrent. Thread-safe; called on disk threads.
 */
final class ResumeSaves {
    private final DataLayout layout;
    private final PieceStore store;
    private final ConcurrentBits verified;
    /** What the state on disk claims; null: unknown (written by an earlier run), so anything. */
    private Bitfield onDisk;
    /** The last full save's state, while it is the one on disk; null after a narrowed claim. */
    private ResumeState lastFull;
    /** Set by a capped cache: its states are {@code claims-held}. */
    private volatile boolean capped;
    /** Before a punch, a full save (flush) instead of a narrowed claim when the last is this old. */
    private final long refreshNanos;
    private final java.util.function.LongSupplier clock;
    private long savedAt;
    /** A punch's caller is refreshing the save ({@link #afterPunch}): others need not. */
    private boolean refreshing;

    ResumeSaves(DataLayout layout, PieceStore store, ConcurrentBits verified) {
        this(layout, store, verified, REFRESH_NANOS, System::nanoTime);
    }

    /**
     * A narrowed claim only shrinks, and a streaming cache turns over in seconds: without a
     * fresh save now and then the state after a kill -9 would claim nothing. So once the last
     * full save is {@code refreshNanos} old, {@link #afterPunch} saves in full.
     */
    ResumeSaves(DataLayout layout, PieceStore store, ConcurrentBits verified, long refreshNanos,
                java.util.function.LongSupplier clock) {
        this.layout = layout;
        this.store = store;
        this.verified = verified;
        this.refreshNanos = refreshNanos;
        this.clock = clock;
    }

    /** How old the last full save may be before a punch refreshes it: a few seconds' writes. */
    static final long REFRESH_NANOS = 5_000_000_000L;

    /**
     * While on, saves write nothing: the data is still being checked, and a state claiming only
     * what is verified so far would be trusted by the next start, which would fetch the rest
     * again. The state on disk (stale, or none) makes that start check the data instead.
     */
    void holdBack(boolean on) {
        heldBack = on;
    }

    private volatile boolean heldBack;

    /** A capped cache punches pieces out from now on. */
    void capped() {
        capped = true;
    }

    /**
     * Flushes the store and saves what was verified before the flush and still is after it;
     * writes nothing when that is the state already on disk (a download's stop follows the
     * save of its last piece).
     */
    void save() throws IOException {
        if (heldBack) {
            return;
        }
        Bitfield flushed = verified.snapshot();
        store.flush(); // the pieces in the snapshot are on the device before the state says so
        synchronized (this) {
            Bitfield now = verified.snapshot();
            Bitfield snapshot = flushed.copy();
            for (int p = snapshot.nextSet(0); p >= 0; p = snapshot.nextSet(p + 1)) {
                if (!now.get(p)) {
                    snapshot.clear(p); // evicted during the flush: its punch may have run
                }
            }
            lastFull = ResumeStore.saveUnlessSame(layout, snapshot, capped, lastFull);
            onDisk = snapshot;
            savedAt = clock.getAsLong();
        }
    }

    /**
     * Call after a punch: once the last full save is old, saves in full (one caller at a time),
     * after the punch rather than before it, so its flush holds up no punch.
     */
    void afterPunch() throws IOException {
        synchronized (this) {
            if (refreshing || clock.getAsLong() - savedAt < refreshNanos) {
                return;
            }
            refreshing = true;
        }
        try {
            save();
        } finally {
            synchronized (this) {
                refreshing = false;
            }
        }
    }

    /** Call before giving {@code pieces}' blocks back: the saved state must not claim them. */
    synchronized void beforePunch(List<Integer> pieces) throws IOException {
        if (onDisk != null && pieces.stream().noneMatch(onDisk::get)) {
            return;
        }
        if (onDisk == null) { // what an earlier run's state claims is not known here: it goes
            lastFull = null;
            Files.deleteIfExists(layout.resumeFile());
            try (FileChannel d = FileChannel.open(layout.resumeFile().getParent(), StandardOpenOption.READ)) {
                d.force(true); // the removal is durable before the first block is punched
            } catch (IOException e) {
                // a directory that cannot be synced: the removal is still done, just less durable
            }
            onDisk = new Bitfield(layout.geometry().pieceCount());
            return;
        }
        // flushed when onDisk was saved, and not punched since (their bits would be clear)
        Bitfield claim = onDisk.copy();
        Bitfield now = verified.snapshot();
        for (int p = claim.nextSet(0); p >= 0; p = claim.nextSet(p + 1)) {
            if (!now.get(p)) {
                claim.clear(p);
            }
        }
        for (int p : pieces) {
            claim.clear(p);
        }
        lastFull = null;
        ResumeStore.save(layout, claim, true); // written and synced (file and rename) before the punch
        onDisk = claim;
    }
}
