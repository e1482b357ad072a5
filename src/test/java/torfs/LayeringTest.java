package torfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dependency arrows of docs/design.md, read from the sources: the CLI (app) sits on top,
 * then the FUSE adapter, then the read path; nothing below a layer names it. The engine must
 * work without picocli and without FUSE.
 */
class LayeringTest {
    private static final Path SOURCES = Path.of("src/main/java/torfs");
    /** Top down: a package may name only the layers at or above its own position. */
    private static final List<String> TOP_LAYERS = List.of("app", "control", "fuse", "stream");

    @Test
    void noPackageNamesALayerAboveIt() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(f).getName(0).toString();
                int own = TOP_LAYERS.indexOf(pkg);
                String text = Files.readString(f);
                for (int i = 0; i < (own < 0 ? TOP_LAYERS.size() : own); i++) {
                    if (text.contains("torfs." + TOP_LAYERS.get(i) + ".")) {
                        violations.add(SOURCES.relativize(f) + " names torfs." + TOP_LAYERS.get(i));
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }
}
