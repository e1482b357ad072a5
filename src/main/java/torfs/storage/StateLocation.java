package torfs.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where TorFS keeps its own files about the data in a directory (resume states, a mount's pid
 * file, log and control socket): the data directory itself, where a user looks for them, unless
 * nothing can be written there (complete data on read-only media, another user's directory);
 * then a stand-in of that directory's own, {@code <cache root>/read-only/<digest of its path>},
 * laid out the same way, so the same data always finds its state again (a resume state there
 * spares read-only data a full re-check at every start).
 */
public final class StateLocation {
    private StateLocation() {
    }

    /** {@code $XDG_CACHE_HOME/torfs} or {@code ~/.cache/torfs}: default data and kept state. */
    public static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("torfs");
    }

    /** {@code dataDir}, or its stand-in when it exists and cannot be written. */
    public static Path of(Path dataDir) {
        if (!cannotWrite(dataDir)) {
            return dataDir; // a directory that does not exist yet is made where it is asked for
        }
        return cacheRoot().resolve("read-only").resolve(digest(dataDir.toAbsolutePath().normalize().toString()));
    }

    /** True when {@code dataDir} exists and nothing can be written in it (read-only media). */
    public static boolean cannotWrite(Path dataDir) {
        return Files.isDirectory(dataDir) && !Files.isWritable(dataDir);
    }

    /** {@link #of}, created (a stand-in readable by its owner only: it may hold a control socket). */
    public static Path create(Path dataDir) throws IOException {
        Path dir = of(dataDir);
        if (dir.equals(dataDir) || Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        } else {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return dir;
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
