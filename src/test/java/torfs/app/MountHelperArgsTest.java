package torfs.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountHelperArgsTest {
    @TempDir
    Path tmp;

    @Test
    void aSourceThenAnExistingDirectoryIsTheHelpersForm() {
        String mnt = tmp.toString();
        assertThat(MountHelperArgs.matches(new String[] {"/srv/t.torrent", mnt, "-o", "rw"})).isTrue();
        assertThat(MountHelperArgs.matches(new String[] {"/srv/t.torrent", mnt})).isTrue();
        // a command, an option first, a mount point that is no directory: the usual command line
        assertThat(MountHelperArgs.matches(new String[] {"mount", "/srv/t.torrent", mnt})).isFalse();
        assertThat(MountHelperArgs.matches(new String[] {"info", mnt})).isFalse();
        assertThat(MountHelperArgs.matches(new String[] {"--debug", "x", mnt})).isFalse();
        assertThat(MountHelperArgs.matches(new String[] {"mout", "x.torrent"})).isFalse();
        assertThat(MountHelperArgs.matches(new String[] {"x.torrent"})).isFalse();
    }

    @Test
    void mountsFlagsAndTypeAreAcceptedAndOptionsGathered() {
        MountHelperArgs h = MountHelperArgs.parse(new String[] {"src", "/mnt", "-n", "-o", "rw,lazy", "-v", "-s",
                "-t", "fuse.torfs", "-o", "no-dht"});
        assertThat(h).isEqualTo(new MountHelperArgs("src", "/mnt", List.of("rw,lazy", "no-dht"), false));
        assertThat(MountHelperArgs.parse(new String[] {"src", "/mnt", "-f"}).fake()).isTrue();
        assertThat(h.toMountArgs(null)).containsExactly("mount", "src", "/mnt", "--lazy", "--no-dht");
    }

    @Test
    void anythingElseIsOneLine() {
        assertThatThrownBy(() -> MountHelperArgs.parse(new String[] {"src", "/mnt", "-N", "1234"}))
                .isInstanceOf(UserError.class).hasMessageContaining("unsupported argument '-N'");
        assertThatThrownBy(() -> MountHelperArgs.parse(new String[] {"src", "/mnt", "-o"}))
                .isInstanceOf(UserError.class).hasMessage("mount helper: -o needs a value");
    }

    @Test
    void mainReportsABadOptionInOneLineWithExit2AndAFakeMountChecksOnly() throws Exception {
        Path torrent = Files.writeString(tmp.resolve("t.torrent"), "not read: the options fail first");
        Path mnt = Files.createDirectories(tmp.resolve("mnt"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run(torrent.toString(), mnt.toString(), "-o", "rw,lazy,bogus")).isEqualTo(2);
            assertThat(Main.run(torrent.toString(), mnt.toString(), "-f", "-o", "rw,lazy,no-dht")).isZero();
        } finally {
            System.setErr(old);
        }
        // Jazzer's agent (loaded for the fuzz tests in this JVM) reports classes it instruments
        String ours = err.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> !l.startsWith("INFO: Instrumented ")).collect(java.util.stream.Collectors.joining("\n"));
        assertThat(ours).isEqualTo("torfs: unknown mount option 'bogus' (see torfs mount --help)");
    }

    @Test
    void theLaunchersTranslationPrintsMountArgumentsOrSaysItIsACommand() throws Exception {
        Path torrent = Files.writeString(tmp.resolve("t.torrent"), "not read");
        Path mnt = Files.createDirectories(tmp.resolve("mnt"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = MountHelperArgs.translate(new String[] {torrent.toString(), mnt.toString(), "-o", "rw,lazy,no-dht"},
                new picocli.CommandLine(new Main()), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(rc).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).split("\0"))
                .containsExactly("mount", torrent.toString(), mnt.toString(), "--lazy", "--no-dht");
        // mount -f: checked, nothing printed, so the launcher mounts nothing
        ByteArrayOutputStream fake = new ByteArrayOutputStream();
        assertThat(MountHelperArgs.translate(new String[] {torrent.toString(), mnt.toString(), "-f", "-o", "lazy"},
                new picocli.CommandLine(new Main()), new PrintStream(fake, true, StandardCharsets.UTF_8))).isZero();
        assertThat(fake.size()).isZero();
        // a bad option: the usage exit code, and nothing for the launcher to run
        ByteArrayOutputStream bad = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            assertThat(MountHelperArgs.translate(new String[] {torrent.toString(), mnt.toString(), "-o", "bogus"},
                    new picocli.CommandLine(new Main()), new PrintStream(bad, true, StandardCharsets.UTF_8)))
                    .isEqualTo(ExitCodes.BAD_INPUT);
        } finally {
            System.setErr(oldErr);
        }
        assertThat(bad.size()).isZero();
        // a subcommand whose second word is a directory is no helper's command line
        assertThat(MountHelperArgs.translate(new String[] {"add", mnt.toString()}, new picocli.CommandLine(new Main()),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .isEqualTo(MountHelperArgs.NOT_HELPER_FORM);
    }
}
