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
import torfs.storage.ResumeStore;
import torfs.storage.TestTorrents;

/**
 * The resume state after eviction: it never claims a punched piece, also when the process dies
 * right after the punch (simulated by loading the state with no further save).
 */
class ResumeSavesTest {
    private static final int PIECE = 65536;

    @TempDir
    Path dir;

    @Test
    void aStateClaimingAPieceIsRemovedBeforeThatPieceIsPunched() throws Exception {
        TestTorrents.Built t = TestTorrents.single("movie", PIECE, 8 * PIECE, 9);
        t.writeTo(dir);
        DataLayout layout = t.layout(dir);
        try (PieceStore store = PieceStore.open(layout)) {
            ConcurrentBits verified = new ConcurrentBits(Bitfield.full(8));
            ResumeSaves saves = new ResumeSaves(layout, store, verified);
            saves.save();
            assertThat(Files.exists(layout.resumeFile())).isTrue();

            verified.clear(2); // the eviction, under the cache's lock
            saves.beforePunch(List.of(2));
            HolePunch.open(layout).punch(2);
            // killed here: the next start finds no state and checks the data, which has the hole
            ResumeStore.Loaded afterKill = ResumeStore.load(layout, store, 1, PieceChecker.Progress.NONE, w -> { });
            assertThat(afterKill.trusted()).isFalse();
            assertThat(afterKill.have().toString()).isEqualTo("11011111");

            saves.save();
            verified.clear(5);
            saves.beforePunch(List.of(2)); // already unclaimed: the state stays
            assertThat(Files.exists(layout.resumeFile())).isTrue();
            saves.beforePunch(List.of(5));
            assertThat(Files.exists(layout.resumeFile())).as("it claimed 5").isFalse();
            HolePunch.open(layout).punch(5);
            saves.save();
            ResumeStore.Loaded clean = ResumeStore.load(layout, store, 1, PieceChecker.Progress.NONE, w -> { });
            assertThat(clean.trusted()).isTrue();
            assertThat(clean.have().toString()).isEqualTo("11011011");
        }
    }

    @Test
    void aStateFromAnEarlierRunCountsAsClaimingEverything() throws Exception {
        TestTorrents.Built t = TestTorrents.single("movie", PIECE, 4 * PIECE, 9);
        t.writeTo(dir);
        DataLayout layout = t.layout(dir);
        try (PieceStore store = PieceStore.open(layout)) {
            ResumeStore.save(layout, Bitfield.full(4)); // the last run's
            ConcurrentBits verified = new ConcurrentBits(Bitfield.full(4));
            ResumeSaves saves = new ResumeSaves(layout, store, verified);
            verified.clear(0);
            saves.beforePunch(List.of(0));
            assertThat(Files.exists(layout.resumeFile())).isFalse();
        }
    }
}
