package torfs.app;

import static org.assertj.core.api.Assertions.assertThat;
import static torfs.storage.TestTorrents.Spec.file;
import static torfs.storage.TestTorrents.Spec.pad;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.storage.TestTorrents;

@Timeout(60)
class VerifyCommandTest {
    @TempDir
    Path dir;

    private final TestTorrents.Built t = TestTorrents.multi("pack", 4096, 77,
            file("docs/readme.txt", 1500), pad(2596), file("video.mkv", 20000), file("empty", 0),
            file("tail.bin", 3000));
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private int verify() throws Exception {
        return VerifyCommand.verify(t.torrent(), dir, 2, new PrintStream(out, true, StandardCharsets.UTF_8), null);
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void completeDataExitsZeroAndListsEveryVisibleFile() throws Exception {
        t.writeTo(dir);
        assertThat(verify()).isEqualTo(ExitCodes.OK);
        assertThat(output()).isEqualTo("verified 7/7 pieces\n"
                + "  100.0%  pack/docs/readme.txt  (1.5 KiB)\n"
                + "  100.0%  pack/video.mkv  (19.5 KiB)\n"
                + "  100.0%  pack/empty  (0 B)\n"
                + "  100.0%  pack/tail.bin  (2.9 KiB)\n");
    }

    @Test
    void progressLineCountsToTheEndAndIsClearedAfter() throws Exception {
        t.writeTo(dir);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        int code = VerifyCommand.verify(t.torrent(), dir, 2, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(progress, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(ExitCodes.OK);
        assertThat(progress.toString(StandardCharsets.UTF_8))
                .contains("verifying: 7/7 pieces (100%)")
                .endsWith("\r\033[K");
        assertThat(output()).startsWith("verified 7/7 pieces\n");
    }

    @Test
    void oneFlippedByteFailsAndNamesTheFile() throws Exception {
        t.writeTo(dir);
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("pack/video.mkv").toFile(), "rw")) {
            f.seek(10000);
            int b = f.read();
            f.seek(10000);
            f.write(b ^ 0x10);
        }
        assertThat(verify()).isEqualTo(ExitCodes.FAILURE);
        assertThat(output()).startsWith("verified 6/7 pieces\n")
                .contains("   79.5%  pack/video.mkv  (19.5 KiB)  1 bad piece\n")
                .contains("  100.0%  pack/docs/readme.txt")
                .contains("  100.0%  pack/tail.bin");
    }

    @Test
    void missingAndShortFilesAreNamed() throws Exception {
        t.writeTo(dir);
        Files.delete(dir.resolve("pack/docs/readme.txt"));
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("pack/tail.bin").toFile(), "rw")) {
            f.setLength(10);
        }
        assertThat(verify()).isEqualTo(ExitCodes.FAILURE);
        assertThat(output())
                .contains("    0.0%  pack/docs/readme.txt  (1.5 KiB)  missing\n")
                .contains("    0.0%  pack/tail.bin  (2.9 KiB)  too short (10 B)\n")
                // video's last piece is shared with tail.bin
                .contains("pack/video.mkv  (19.5 KiB)  1 piece missing (never written, or in a neighbour file)\n");
    }

    @Test
    void missingDataDirectoryIsBadInputOnOneLine() throws Exception {
        Path torrent = dir.resolve("x.torrent");
        Files.write(torrent, new byte[] {'d', 'e'});
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run("verify", torrent.toString(), "--data", dir.resolve("nope").toString());
        } finally {
            System.setErr(old);
        }
        assertThat(code).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("torfs: " + dir.resolve("nope") + ": no such directory\n");
    }

    @Test
    void usageErrorsPointAtTheRightHelp() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int top;
        int sub;
        try {
            top = Main.run("--no-such-option");
            sub = Main.run("verify", "--no-such-option");
        } finally {
            System.setErr(old);
        }
        assertThat(top).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(sub).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Try 'torfs --help'.\n")
                .contains("Try 'torfs verify --help'.\n");
    }

    @Test
    void sizesAreHumanReadable() {
        assertThat(Sizes.format(0)).isEqualTo("0 B");
        assertThat(Sizes.format(1023)).isEqualTo("1023 B");
        assertThat(Sizes.format(6L << 30)).isEqualTo("6.0 GiB");
        java.util.Locale saved = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.GERMANY); // decimal comma
            assertThat(Sizes.format(1536)).isEqualTo("1.5 KiB");
        } finally {
            java.util.Locale.setDefault(saved);
        }
    }
}
