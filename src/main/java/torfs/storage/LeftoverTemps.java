package torfs.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Removes the temporary files a write-then-rename left behind when its process died between
 * the two (kill -9, a power cut): each such save has a new random name, so nothing else would
 * ever overwrite or remove them, and every crash would add one.
 */
public final class LeftoverTemps {
    private LeftoverTemps() {
    }

    /**
     * Deletes the files in {@code dir} named {@code prefix*.tmp} last written more than
     * {@code olderThan} ago (zero: any; for files no other writer can be writing now).
     * Whatever cannot be listed or deleted stays: this is tidying, never a reason to fail.
     *
     * @return how many were removed
     */
    public static int sweep(Path dir, String prefix, Duration olderThan) {
        int removed = 0;
        Instant before = Instant.now().minus(olderThan);
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, glob(prefix) + "*.tmp")) {
            for (Path t : temps) {
                try {
                    if (!olderThan.isZero() && Files.getLastModifiedTime(t).toInstant().isAfter(before)) {
                        continue;
                    }
                    if (Files.isRegularFile(t) && Files.deleteIfExists(t)) {
                        removed++;
                    }
                } catch (IOException e) {
                    // another's, or read-only: leave it
                }
            }
        } catch (IOException e) {
            // no such directory yet, or unreadable: nothing to tidy
        }
        return removed;
    }

    /** {@code prefix} with the glob's special characters escaped. */
    private static String glob(String prefix) {
        StringBuilder b = new StringBuilder();
        for (char c : prefix.toCharArray()) {
            if ("*?[]{}\\".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
