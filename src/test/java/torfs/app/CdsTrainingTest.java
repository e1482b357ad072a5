package torfs.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class CdsTrainingTest {
    /** The training's download over loopback completes: no "training incomplete" line, nothing left behind. */
    @Test
    void runsEveryCommandToTheEndAndCleansUp() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> before = trainingDirs(tmp);
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = Main.run(CdsTraining.OPTION);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(code).isZero();
        // the fuzz tests' instrumenting agent, when loaded in this JVM, announces each class it loads
        assertThat(captured.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> !l.startsWith("INFO: Instrumented ")).toList()).isEmpty();
        assertThat(System.out).isSameAs(out);
        assertThat(trainingDirs(tmp)).isEqualTo(before);
    }

    private static List<Path> trainingDirs(Path tmp) throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("torfs-cds")).sorted().toList();
        }
    }
}
