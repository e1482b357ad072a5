package torfs.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static torfs.storage.TestTorrents.Spec.file;
import static torfs.storage.TestTorrents.Spec.pad;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.geometry.Bitfield;

@Timeout(60)
class ResumeStoreTest {
    @TempDir
    Path dir;

    private final TestTorrents.Built t = TestTorrents.multi("show", 4096, 33,
            file("e1.mkv", 9000), pad(3288), file("e2.mkv", 7000), file("notes/none", 0));
    private final TestTorrents.Built other = TestTorrents.multi("show", 4096, 34,
            file("e1.mkv", 9000), pad(3288), file("e2.mkv", 7000), file("notes/none", 0));
    private final List<String> warnings = new ArrayList<>();
    private final AtomicInteger progressCalls = new AtomicInteger();
    private DataLayout layout;

    @BeforeEach
    void writeData() throws Exception {
        t.writeTo(dir);
        layout = t.layout(dir);
    }

    private ResumeStore.Loaded load() throws Exception {
        try (PieceStore store = PieceStore.open(layout)) {
            return ResumeStore.load(layout, store, 2, (d, n) -> progressCalls.incrementAndGet(),
                    warnings::add);
        }
    }

    /** First start: hash, then save what was found, as a session does. */
    private Bitfield firstStart() throws Exception {
        ResumeStore.Loaded first = load();
        assertThat(first.trusted()).isFalse();
        assertThat(first.piecesHashed()).isEqualTo(5);
        ResumeStore.save(layout, first.have());
        progressCalls.set(0);
        return first.have();
    }

    @Test
    void firstStartWithoutStateHashesSilently() throws Exception {
        ResumeStore.Loaded r = load();
        assertThat(r.have().isComplete()).isTrue();
        assertThat(r.trusted()).isFalse();
        assertThat(progressCalls.get()).isPositive();
        assertThat(warnings).isEmpty();
    }

    @Test
    void aDeadWritersTemporaryIsRemovedAtTheNextStart() throws Exception {
        Bitfield have = firstStart();
        Path resume = layout.resumeFile();
        // what a save killed between its write and its rename leaves
        Path dead = Files.createTempFile(resume.getParent(), resume.getFileName().toString(), ".tmp");
        Path othersState = resume.resolveSibling(other.torrent().infoHash().hex() + ".resume");
        Files.write(othersState, new byte[] {1});
        ResumeStore.Loaded again = load();
        assertThat(again.trusted()).isTrue();
        assertThat(again.have()).isEqualTo(have);
        assertThat(dead).doesNotExist();
        assertThat(resume).exists();
        assertThat(othersState).exists(); // another torrent's state is not ours to tidy
    }

    @Test
    void stateSurvivesARestartWithoutRehashing() throws Exception {
        Bitfield have = firstStart();
        ResumeStore.Loaded again = load();
        assertThat(again.trusted()).isTrue();
        assertThat(again.piecesHashed()).isZero();
        assertThat(progressCalls.get()).isZero();
        assertThat(again.have()).isEqualTo(have);
        assertThat(warnings).isEmpty();
        try (var files = Files.list(dir.resolve(".torfs"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactly(t.torrent().infoHash().hex() + ".resume"); // no temp left
        }
    }

    @Test
    void aSaveOfTheSameStateWritesNothingAndAnyChangeWrites() throws Exception {
        Bitfield have = new Bitfield(5);
        have.set(0);
        ResumeState last = ResumeStore.saveUnlessSame(layout, have, false, null);
        mark();
        assertThat(ResumeStore.saveUnlessSame(layout, have.copy(), false, last)).isEqualTo(last);
        assertThat(rewritten()).as("same pieces, flag and stamps").isFalse();

        have.set(3);
        last = ResumeStore.saveUnlessSame(layout, have, false, last);
        assertThat(rewritten()).as("another piece").isTrue();
        mark();

        last = ResumeStore.saveUnlessSame(layout, have, true, last);
        assertThat(rewritten()).as("the claims-held flag").isTrue();
        mark();

        Path e2 = dir.resolve("show/e2.mkv");
        Files.setLastModifiedTime(e2, FileTime.fromMillis(Files.getLastModifiedTime(e2).toMillis() - 5000));
        last = ResumeStore.saveUnlessSame(layout, have, true, last);
        assertThat(rewritten()).as("a data file changed").isTrue();

        Files.delete(layout.resumeFile());
        ResumeStore.saveUnlessSame(layout, have, true, last);
        assertThat(layout.resumeFile()).as("removed meanwhile: written again").exists();
        assertThat(load().have().toString()).isEqualTo("10010");
    }

    /** Dates the state file in 1970: a rewrite (a new file, renamed over it) is dated now. */
    private void mark() throws Exception {
        Files.setLastModifiedTime(layout.resumeFile(), MARK);
    }

    private boolean rewritten() throws Exception {
        return !Files.getLastModifiedTime(layout.resumeFile()).equals(MARK);
    }

    private static final FileTime MARK = FileTime.fromMillis(1000);

    @Test
    void partialStateIsKeptAsSaved() throws Exception {
        Bitfield partial = new Bitfield(5);
        partial.set(1);
        partial.set(4);
        ResumeStore.save(layout, partial);
        ResumeStore.Loaded r = load();
        assertThat(r.trusted()).isTrue();
        assertThat(r.have().toString()).isEqualTo("01001");
    }

    @Test
    void aChangedMtimeForcesARehash() throws Exception {
        firstStart();
        Path e2 = dir.resolve("show/e2.mkv");
        Files.setLastModifiedTime(e2, FileTime.fromMillis(Files.getLastModifiedTime(e2).toMillis() - 5000));
        ResumeStore.Loaded r = load();
        assertThat(r.trusted()).isFalse();
        assertThat(r.piecesHashed()).isEqualTo(5);
        assertThat(r.have().isComplete()).isTrue();
        assertThat(warnings).singleElement().asString().contains("stale").contains("e2.mkv");
    }

    @Test
    void aTruncatedDataFileForcesARehashAndLosesItsPieces() throws Exception {
        firstStart();
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("show/e2.mkv").toFile(), "rw")) {
            f.setLength(100);
        }
        ResumeStore.Loaded r = load();
        assertThat(r.trusted()).isFalse();
        // e2 is bytes 12288..19288: pieces 3 and 4
        assertThat(r.have().toString()).isEqualTo("11100");
        assertThat(r.piecesHashed()).isEqualTo(3);
        assertThat(warnings).singleElement().asString().contains("e2.mkv");
    }

    @Test
    void aDeletedDataFileForcesARehash() throws Exception {
        firstStart();
        Files.delete(dir.resolve("show/e1.mkv"));
        ResumeStore.Loaded r = load();
        assertThat(r.have().toString()).isEqualTo("00011");
    }

    @Test
    void garbageStateFallsBackWithOneLine() throws Exception {
        Files.createDirectories(layout.resumeFile().getParent());
        Files.write(layout.resumeFile(), "this is not bencode".getBytes());
        assertRehashedWithWarning("unreadable");
    }

    @Test
    void truncatedStateFallsBackWithOneLine() throws Exception {
        firstStart();
        byte[] full = Files.readAllBytes(layout.resumeFile());
        Files.write(layout.resumeFile(), Arrays.copyOf(full, full.length - 7));
        assertRehashedWithWarning("unreadable");
    }

    @Test
    void foreignStateFallsBackWithOneLine() throws Exception {
        DataLayout otherLayout = other.layout(dir);
        ResumeStore.save(otherLayout, Bitfield.full(5));
        Files.createDirectories(layout.resumeFile().getParent());
        Files.copy(otherLayout.resumeFile(), layout.resumeFile());
        assertRehashedWithWarning("another torrent");
    }

    @Test
    void hugeStateIsNotSlurped() throws Exception {
        Files.createDirectories(layout.resumeFile().getParent());
        Files.write(layout.resumeFile(), new byte[1 << 20]);
        assertRehashedWithWarning("too large");
    }

    @Test
    void codecRoundTripsAndRejectsOtherVersions() throws Exception {
        Bitfield have = new Bitfield(11);
        have.set(10);
        ResumeState s = new ResumeState(t.torrent().infoHash(), have,
                List.of(new ResumeState.FileStamp(5, 123_456_789_012L), ResumeState.FileStamp.ABSENT));
        ResumeState back = ResumeState.decode(s.encode());
        assertThat(back.have()).isEqualTo(have);
        assertThat(back.files()).isEqualTo(s.files());
        assertThat(back.infoHash()).isEqualTo(s.infoHash());
        String v2 = new String(s.encode(), java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("7:versioni1e", "7:versioni2e");
        assertThatThrownBy(() -> ResumeState.decode(v2.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)))
                .isInstanceOf(ResumeState.CorruptException.class).hasMessageContaining("version 2");
    }

    private void assertRehashedWithWarning(String why) throws Exception {
        ResumeStore.Loaded r = load();
        assertThat(r.trusted()).isFalse();
        assertThat(r.piecesHashed()).isEqualTo(5);
        assertThat(r.have().isComplete()).isTrue();
        assertThat(warnings).singleElement().asString().contains(why).doesNotContain("\n");
    }
}
