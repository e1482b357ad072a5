package torfs.metainfo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NameClashesTest {
    private static FileTable table(String... paths) {
        FileTable.Builder b = new FileTable.Builder();
        for (String p : paths) {
            boolean pad = p.startsWith(".pad/");
            b.add(List.of(p.split("/")), 1, pad, false, false);
        }
        return b.build();
    }

    @Test
    void distinctPathsDoNotClash() {
        assertThat(NameClashes.any(table("a/x", "a/y", "b/x", "x", "a/b/x"))).isFalse();
    }

    @Test
    void twoFilesOfOnePathClash() {
        assertThat(NameClashes.any(table("a/x", "b/y", "a/x"))).isTrue();
    }

    @Test
    void aFileNamedAsADirectoryBesideItClashesInEitherOrder() {
        assertThat(NameClashes.any(table("a/x", "a"))).isTrue();
        assertThat(NameClashes.any(table("d/a", "d/a/x"))).isTrue();
        assertThat(NameClashes.any(table("d/a", "e/a/x"))).isFalse(); // other directories
    }

    @Test
    void padFilesNeverClashWithEachOther() {
        assertThat(NameClashes.any(table("a", ".pad/7", "b", ".pad/7"))).isFalse();
    }
}
