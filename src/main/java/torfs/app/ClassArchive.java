package torfs.app;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A dynamic class-data-sharing archive for the mount process (it starts ~30% faster on
 * CPU): kept in the torfs cache directory, named after the jar's size and mtime and the JVM,
 * written by a mount process when it exits (to a name of its own), and taken into use
 * by a later mount only after a trial JVM mapped it cleanly: a truncated archive (a mount killed
 * while dumping) makes Java 17 die of SIGBUS, so nothing unchecked is ever used. Any problem
 * (not a single jar, unwritable cache, failed check) means no archive, never a failed mount.
 */
final class ClassArchive {
    private static final String PREFIX = "cds-";
    private static final List<String> QUIET = List.of("-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    private static final long CHECK_TIMEOUT_SECONDS = 20;

    private final Path dir;
    private final Path archive;
    private final String java;
    private final Path jar;

    private ClassArchive(Path dir, Path archive, String java, Path jar) {
        this.dir = dir;
        this.archive = archive;
        this.java = java;
        this.jar = jar;
    }

    /** The archive for {@code classPath} when it is one jar, else null. */
    static ClassArchive forClassPath(Path cacheDir, String java, String classPath) {
        try {
            if (classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar")) {
                return null;
            }
            Path jar = Path.of(classPath).toAbsolutePath();
            if (!Files.isRegularFile(jar)) {
                return null;
            }
            String key = Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis() + "-"
                    + System.getProperty("java.vm.version", "jvm").replaceAll("[^A-Za-z0-9.+_-]", "_");
            return new ClassArchive(cacheDir, cacheDir.resolve(PREFIX + key + ".jsa"), java, jar);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * JVM options for the next mount process: use the archive, or else dump one at exit to a
     * name of its own ({@code nonce}), which a later mount checks and adopts.
     */
    List<String> jvmOptions(String nonce) {
        try {
            if (!Files.isRegularFile(archive)) {
                Files.createDirectories(dir);
                adoptFinishedDump();
            }
            if (Files.isRegularFile(archive)) {
                List<String> o = new ArrayList<>(QUIET);
                o.add("-XX:SharedArchiveFile=" + archive);
                return o;
            }
            Path dump = dumpFile(nonce);
            Files.writeString(dump, ""); // the directory is writable, else no dump at all
            List<String> o = new ArrayList<>(QUIET);
            o.add("-XX:ArchiveClassesAtExit=" + dump);
            return o;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** Whether {@code options} (from {@link #jvmOptions}) map the archive. */
    boolean inUse(List<String> options) {
        return options.contains("-XX:SharedArchiveFile=" + archive);
    }

    /** Deletes the archive (it crashed a JVM); a later mount dumps a fresh one. */
    void discard() {
        try {
            Files.deleteIfExists(archive);
        } catch (IOException e) {
            // the next mount's check fails the same way and retries
        }
    }

    private Path dumpFile(String nonce) {
        return dir.resolve(archive.getFileName() + "." + nonce + ".dump");
    }

    /**
     * A dump that a trial JVM maps cleanly becomes the archive. One that does not is deleted
     * (a truncated one, or one still being written: harmless, a later mount dumps again);
     * empty ones belong to running mounts unless old. Archives of other jars are deleted.
     */
    private void adoptFinishedDump() throws IOException {
        String mine = archive.getFileName().toString();
        List<Path> dumps = new ArrayList<>();
        try (DirectoryStream<Path> d = Files.newDirectoryStream(dir, PREFIX + "*")) {
            for (Path p : d) {
                String name = p.getFileName().toString();
                if (name.startsWith(mine + ".") && name.endsWith(".dump")) {
                    dumps.add(p);
                } else if (!name.startsWith(mine)) {
                    Files.deleteIfExists(p); // another jar's or JVM's archive
                }
            }
        }
        long week = System.currentTimeMillis() - TimeUnit.DAYS.toMillis(7);
        for (Path dump : dumps) {
            if (Files.size(dump) == 0) {
                if (Files.getLastModifiedTime(dump).toMillis() < week) {
                    Files.deleteIfExists(dump);
                }
            } else if (mapsCleanly(dump)) {
                Files.move(dump, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return;
            } else {
                Files.deleteIfExists(dump);
            }
        }
    }

    private boolean mapsCleanly(Path candidate) {
        List<String> cmd = new ArrayList<>(List.of(java, "-Xshare:on", "-XX:+VerifySharedSpaces",
                "-XX:SharedArchiveFile=" + candidate, "-Xlog:disable", "-cp", jar.toString(), "-version"));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(CHECK_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
