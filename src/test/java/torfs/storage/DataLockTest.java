package torfs.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The lock on a torrent's data directory, against a real second JVM holding it. */
@Timeout(60)
class DataLockTest {
    @TempDir
    Path dir;

    static DataLayout layout(Path dataDir) {
        return DataLayout.of(TestTorrents.single("film.mkv", 16384, 40_000, 7).torrent(), dataDir);
    }

    private Process holder() throws IOException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DataLockHolder.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        assertThat(out.readLine()).isEqualTo("locked");
        return p;
    }

    @Test
    void anotherProcessHoldingItIsNamedByItsPid() throws Exception {
        Process p = holder();
        try {
            assertThatThrownBy(() -> DataLock.acquire(layout(dir)))
                    .isInstanceOf(DataInUseException.class)
                    .hasMessage(dir + ": the data of film.mkv is in use by another torfs process (pid " + p.pid()
                            + "); stop it or give another --data");
        } finally {
            p.getOutputStream().close(); // the holder lets go and exits
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        DataLock.acquire(layout(dir)).close(); // free again once it let go
    }

    @Test
    void aKilledHolderLeavesNothingThatBlocks() throws Exception {
        Process p = holder();
        p.destroyForcibly().waitFor(20, TimeUnit.SECONDS); // SIGKILL: no close ran
        assertThat(Files.exists(DataLock.fileOf(layout(dir)))).isTrue();
        try (DataLock lock = DataLock.acquire(layout(dir))) {
            assertThat(Files.readString(DataLock.fileOf(layout(dir))).trim())
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));
        }
    }

    @Test
    void thisProcessHoldingItIsSaidSoAndCloseLetsGo() throws Exception {
        DataLock first = DataLock.acquire(layout(dir));
        assertThatThrownBy(() -> DataLock.acquire(layout(dir)))
                .isInstanceOf(DataInUseException.class)
                .hasMessageContaining("is in use by this process (a stop not finished yet)");
        first.close();
        first.close(); // idempotent
        DataLock.acquire(layout(dir)).close();
    }

    @Test
    void anotherTorrentOfTheSameNameIsNotBlocked() throws Exception {
        // a private twin of film.mkv, seeded from the same copy (cross-seeding)
        DataLayout twin = DataLayout.of(TestTorrents.single("film.mkv", 16384, 40_000, 9).torrent(), dir);
        try (DataLock a = DataLock.acquire(layout(dir)); DataLock b = DataLock.acquire(twin)) {
            assertThat(DataLock.fileOf(twin)).isNotEqualTo(DataLock.fileOf(layout(dir)));
        }
    }

    @Test
    void anotherTorrentInTheSameDirectoryIsNotBlocked() throws Exception {
        DataLayout other = DataLayout.of(TestTorrents.single("other.mkv", 16384, 40_000, 8).torrent(), dir);
        try (DataLock a = DataLock.acquire(layout(dir)); DataLock b = DataLock.acquire(other)) {
            assertThat(DataLock.fileOf(other)).isNotEqualTo(DataLock.fileOf(layout(dir)));
        }
    }
}
