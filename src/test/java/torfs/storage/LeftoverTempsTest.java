package torfs.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeftoverTempsTest {
    @TempDir
    Path dir;

    private Path file(String name, Duration age) throws Exception {
        Path p = Files.write(dir.resolve(name), new byte[] {7});
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(age)));
        return p;
    }

    @Test
    void removesOnlyTheTemporariesOfThePrefix() throws Exception {
        Path dead = file("ab.resume123.tmp", Duration.ZERO);
        Path state = file("ab.resume", Duration.ZERO);
        Path other = file("cd.resume456.tmp", Duration.ZERO);
        Path notTemp = file("ab.resume.part", Duration.ZERO);
        assertThat(LeftoverTemps.sweep(dir, "ab.resume", Duration.ZERO)).isEqualTo(1);
        assertThat(dead).doesNotExist();
        assertThat(state).exists();
        assertThat(other).exists();
        assertThat(notTemp).exists();
    }

    @Test
    void keepsTemporariesYoungerThanAsked() throws Exception {
        Path old = file(".dht1.tmp", Duration.ofMinutes(10));
        Path fresh = file(".dht2.tmp", Duration.ofSeconds(5));
        assertThat(LeftoverTemps.sweep(dir, ".dht", Duration.ofMinutes(5))).isEqualTo(1);
        assertThat(old).doesNotExist();
        assertThat(fresh).exists(); // perhaps another process saving right now
    }

    @Test
    void globCharactersInThePrefixAreLiteral() throws Exception {
        Path literal = file("a*b1.tmp", Duration.ZERO);
        Path wouldMatchAStar = file("axxb1.tmp", Duration.ZERO);
        assertThat(LeftoverTemps.sweep(dir, "a*b", Duration.ZERO)).isEqualTo(1);
        assertThat(literal).doesNotExist();
        assertThat(wouldMatchAStar).exists();
    }

    @Test
    void aMissingDirectoryIsNothingToTidy() {
        assertThat(LeftoverTemps.sweep(dir.resolve("none"), "x", Duration.ZERO)).isZero();
    }

    @Test
    void directoriesAreLeftAlone() throws Exception {
        Path d = Files.createDirectory(dir.resolve("x1.tmp"));
        assertThat(LeftoverTemps.sweep(dir, "x", Duration.ZERO)).isZero();
        assertThat(d).exists();
    }
}
