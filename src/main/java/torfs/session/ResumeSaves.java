package torfs.session;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;
import torfs.geometry.Bitfield;
import torfs.storage.DataLayout;
import torfs.storage.PieceStore;
import torfs.storage.ResumeStore;

/**
 * Saves the resume state so that it never claims a piece that is not on disk, also when a capped
 * cache punches pieces out and the process is killed in the middle. Saves and punches are ordered
 * by one lock: a save takes its snapshot of the verified set inside the lock (an evicted piece's
 * bit is cleared before its punch is queued, so a later snapshot never has it), and before a
 * punch the state last saved is removed if it claims any of the pieces to punch. A start after a
 * kill then finds no state and re-checks the data, which sees the holes. Thread-safe; called on
 * disk threads.
 */
final class ResumeSaves {
    private final DataLayout layout;
    private final PieceStore store;
    private final ConcurrentBits verified;
    /** What the state on disk claims; null: unknown (written by an earlier run), so anything. */
    private Bitfield onDisk;

    ResumeSaves(DataLayout layout, PieceStore store, ConcurrentBits verified) {
        this.layout = layout;
        this.store = store;
        this.verified = verified;
    }

    /** Flushes the store and saves the verified set as it is now. */
    synchronized void save() throws IOException {
        Bitfield snapshot = verified.snapshot();
        store.flush(); // the pieces in the snapshot are on the device before the state says so
        ResumeStore.save(layout, snapshot);
        onDisk = snapshot;
    }

    /** Call before giving {@code pieces}' blocks back: the saved state must not claim them. */
    synchronized void beforePunch(List<Integer> pieces) throws IOException {
        if (onDisk != null && pieces.stream().noneMatch(onDisk::get)) {
            return;
        }
        Files.deleteIfExists(layout.resumeFile());
        try (FileChannel d = FileChannel.open(layout.resumeFile().getParent(), StandardOpenOption.READ)) {
            d.force(true); // the removal is durable before the first block is punched
        } catch (IOException e) {
            // a directory that cannot be synced: the removal is still done, just less durable
        }
        onDisk = new Bitfield(layout.geometry().pieceCount());
    }
}
