package torfs.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a mount of one torrent keeps its pid file, log and control socket: its data directory,
 * where a user looks for them, unless nothing can be written there (complete data on read-only
 * media, a directory of another user's), then a directory of that data directory's own under
 * {@code $XDG_RUNTIME_DIR/torfs} (else {@code /tmp/torfs-UID}), named by a digest of its path
 * so the same data always finds the same place.
 */
final class MountStateDir {
    private MountStateDir() {
    }

    static Path of(Path dataDir) {
        Path data = dataDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(data) || Files.isWritable(data)) {
            return data; // a directory that does not exist yet is made where it is asked for
        }
        return runtimeRoot().resolve(digest(data.toString()));
    }

    /** {@link #of}, created (owner only where it is ours to make). */
    static Path create(Path dataDir) throws IOException {
        Path dir = of(dataDir);
        if (dir.startsWith(runtimeRoot()) && !Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
        return dir;
    }

    private static Path runtimeRoot() {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isEmpty() && Files.isDirectory(Path.of(runtime))) {
            return Path.of(runtime, "torfs");
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "torfs-" + uid());
    }

    private static String uid() {
        try {
            return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return System.getProperty("user.name", "user");
        }
    }

    private static String digest(String path) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(path.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
