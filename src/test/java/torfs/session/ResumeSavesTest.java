package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import torfs.geometry.Bitfield;
import torfs.storage.DataLayout;
import torfs.storage.HolePunch;
import torfs.storage.PieceChecker;
import torfs.storage.PieceStore;
import torfs.storage.ResumeState;
import torfs.storage.ResumeStore;
import torfs.storage.TestTorrents;

/**
 * The resume state after eviction: it never claims a punched piece, also when the process dies
 * right before or after the punch (simulated by loading the state with no further save), and a
 * start after that re-checks only what it claims.
 */
class ResumeSavesTest {
    private static final int PIECE = 65536;

    @TempDir
    Path dir;

    private static ResumeState onDisk(DataLayout layout) throws Exception {
        return ResumeState.decode(Files.readAllBytes(layout.resumeFile()));
    }

    /** A one-file torrent of {@code pieces} pieces whose data is all on disk under {@code dir}. */
    private DataLayout written(int pieces) throws Exception {
        TestTorrents.Built t = TestTorrents.single("movie", PIECE, pieces * PIECE, 9);
        t.writeTo(dir);
        return t.layout(dir);
    }

    /** What a start finds: the state loaded, checked on one thread. */
    private static ResumeStore.Loaded load(DataLayout layout, PieceStore store) throws Exception {
        return ResumeStore.load(layout, store, 1, PieceChecker.Progress.NONE, w -> { });
    }

    @Test
    void whileTheDataIsBeingCheckedNothingIsSavedSoTheNextStartChecksItAgain() throws Exception {
        DataLayout layout = written(8);
        try (PieceStore store = PieceStore.open(layout)) {
            Bitfield some = new Bitfield(8);
            some.set(0);
            some.set(1);
            ResumeSaves saves = new ResumeSaves(layout, store, new ConcurrentBits(some));
            saves.holdBack(true);
            saves.save();
            assertThat(Files.exists(layout.resumeFile())).isFalse();
            assertThat(load(layout, store).have().isComplete()).as("re-checked").isTrue();
            saves.holdBack(false);
            saves.save();
            assertThat(onDisk(layout).have().toString()).isEqualTo("11000000");
        }
    }

    @Test
    void aPieceEvictedWhileTheFilesAreFlushedIsNotClaimed() throws Exception {
        DataLayout layout = written(8);
        try (PieceStore real = PieceStore.open(layout)) {
            ConcurrentBits verified = new ConcurrentBits(Bitfield.full(8));
            // the flush runs outside the saves' lock: an eviction (and its punch) may come meanwhile
            PieceStore store = (PieceStore) java.lang.reflect.Proxy.newProxyInstance(
                    PieceStore.class.getClassLoader(), new Class<?>[] {PieceStore.class}, (proxy, m, args) -> {
                        if (m.getName().equals("flush")) {
                            verified.clear(3);
                        }
                        try {
                            return m.invoke(real, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            ResumeSaves saves = new ResumeSaves(layout, store, verified, 10, () -> 0L);
            saves.capped();
            saves.save();
            assertThat(onDisk(layout).have().toString()).isEqualTo("11101111");
        }
    }

    @Test
    void beforeAPunchTheStateIsRewrittenToClaimOnlyWhatWasSavedAndIsStillVerified() throws Exception {
        DataLayout layout = written(8);
        try (PieceStore store = PieceStore.open(layout)) {
            Bitfield first = Bitfield.full(8);
            first.clear(6);
            first.clear(7);
            ConcurrentBits verified = new ConcurrentBits(first);
            long[] now = {0};
            ResumeSaves saves = new ResumeSaves(layout, store, verified, 10, () -> now[0]);
            saves.capped();
            saves.save();
            assertThat(onDisk(layout).have().toString()).isEqualTo("11111100");
            assertThat(onDisk(layout).claimsHeld()).isTrue();

            verified.set(6); // stored since the save: not flushed, so never claimed without a save
            verified.clear(2); // the eviction, under the cache's lock
            saves.beforePunch(List.of(2));
            ResumeState before = onDisk(layout); // what a kill -9 between here and the punch finds
            assertThat(before.have().toString()).isEqualTo("11011100");
            assertThat(before.claimsHeld()).isTrue();
            HolePunch.open(layout).punch(2);

            // killed here: the files changed (punched), so the start re-checks what the state
            // claims, and only that
            ResumeStore.Loaded afterKill = load(layout, store);
            assertThat(afterKill.trusted()).isFalse();
            assertThat(afterKill.piecesHashed()).isEqualTo(5);
            assertThat(afterKill.have().toString()).isEqualTo("11011100");

            verified.clear(5);
            saves.beforePunch(List.of(2)); // already unclaimed: no write
            assertThat(onDisk(layout).have().toString()).isEqualTo("11011100");
            saves.beforePunch(List.of(5));
            assertThat(onDisk(layout).have().toString()).as("it claimed 5").isEqualTo("11011000");
            HolePunch.open(layout).punch(5);

            saves.afterPunch(); // the last full save is recent: nothing
            assertThat(onDisk(layout).have().toString()).isEqualTo("11011000");
            now[0] = 10; // the last full save is old: after the next punch, a full one
            verified.clear(0);
            saves.beforePunch(List.of(0));
            assertThat(onDisk(layout).have().toString()).as("0 no longer claimed").isEqualTo("01011000");
            HolePunch.open(layout).punch(0);
            saves.afterPunch();
            assertThat(onDisk(layout).have().toString()).as("6 flushed and claimed, 0 not").isEqualTo("01011010");
            ResumeStore.Loaded clean = load(layout, store);
            assertThat(clean.trusted()).isTrue();
            assertThat(clean.have().toString()).isEqualTo("01011010");
        }
    }

    @Test
    void aStaleStateWithoutTheMarkStillReChecksEverything() throws Exception {
        DataLayout layout = written(4);
        try (PieceStore store = PieceStore.open(layout)) {
            ResumeStore.save(layout, new Bitfield(4)); // claims nothing, not a capped cache's
            Files.setLastModifiedTime(layout.pathOf(0), java.nio.file.attribute.FileTime.fromMillis(0));
            ResumeStore.Loaded loaded = load(layout, store);
            assertThat(loaded.piecesHashed()).isEqualTo(4);
            assertThat(loaded.have().toString()).isEqualTo("1111");
        }
    }

    @Test
    void aStateFromAnEarlierRunCountsAsClaimingEverything() throws Exception {
        DataLayout layout = written(4);
        try (PieceStore store = PieceStore.open(layout)) {
            ResumeStore.save(layout, Bitfield.full(4)); // the last run's
            ConcurrentBits verified = new ConcurrentBits(Bitfield.full(4));
            ResumeSaves saves = new ResumeSaves(layout, store, verified);
            verified.clear(0);
            saves.beforePunch(List.of(0));
            assertThat(Files.exists(layout.resumeFile())).isFalse();
        }
    }

    @Test
    void anUnchangedStateIsNotRewrittenButOneAfterANarrowedClaimIs() throws Exception {
        DataLayout layout = written(4);
        try (PieceStore store = PieceStore.open(layout)) {
            ConcurrentBits verified = new ConcurrentBits(Bitfield.full(4));
            long[] now = {0};
            ResumeSaves saves = new ResumeSaves(layout, store, verified, 10, () -> now[0]);
            saves.save();
            java.nio.file.attribute.FileTime mark = java.nio.file.attribute.FileTime.fromMillis(1000);
            Files.setLastModifiedTime(layout.resumeFile(), mark); // a rewrite is a new file, dated now
            saves.save(); // a download's stop right after the save of its last piece
            assertThat(Files.getLastModifiedTime(layout.resumeFile())).isEqualTo(mark);

            verified.clear(1);
            saves.beforePunch(List.of(1)); // narrowed claim on disk; not punched after all
            assertThat(onDisk(layout).have().toString()).isEqualTo("1011");
            verified.set(1);
            saves.save(); // the same pieces and stamps as the last full save, but not what is on disk
            assertThat(onDisk(layout).have().toString()).isEqualTo("1111");
        }
    }
}
