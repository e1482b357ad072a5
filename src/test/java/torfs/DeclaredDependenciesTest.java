package torfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every library the main code names is declared in pom.xml, not merely pulled in by another
 * one: a dependency that drops or bumps it must not change what we compile against.
 */
class DeclaredDependenciesTest {
    /** Package prefix -> the artifact that provides it. */
    private static final Map<String, String> ARTIFACTS = Map.of(
            "io.netty.handler.codec.http.", "netty-codec-http",
            "io.netty.", "netty-handler",
            "jnr.ffi.", "jnr-ffi",
            "com.kenai.jffi.", "jffi",
            "ru.serce.jnrfuse.", "jnr-fuse",
            "picocli.", "picocli",
            "com.github.benmanes.caffeine.", "caffeine");
    private static final List<String> JDK = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.", "torfs.");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern ARTIFACT_ID = Pattern.compile("<artifactId>([^<]+)</artifactId>");

    @Test
    void everyLibraryTheCodeImportsIsDeclared() throws IOException {
        Set<String> declared = declaredArtifacts();
        Set<String> missing = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    String name = m.group(1);
                    if (JDK.stream().anyMatch(name::startsWith)) {
                        continue;
                    }
                    String artifact = ARTIFACTS.entrySet().stream()
                            .filter(e -> name.startsWith(e.getKey()))
                            .max(Map.Entry.comparingByKey((a, b) -> a.length() - b.length()))
                            .map(Map.Entry::getValue).orElse("an artifact this test does not know (" + name + ")");
                    if (!declared.contains(artifact)) {
                        missing.add(artifact);
                    }
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    /** The artifactIds of the project's own dependencies (not its plugins or managed versions). */
    private static Set<String> declaredArtifacts() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        String own = pom.substring(pom.indexOf("</dependencyManagement>"));
        own = own.substring(own.indexOf("<dependencies>"), own.indexOf("</dependencies>"));
        List<String> ids = new ArrayList<>();
        Matcher m = ARTIFACT_ID.matcher(own);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return new TreeSet<>(ids);
    }
}
