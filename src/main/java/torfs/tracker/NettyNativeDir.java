package torfs.tracker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import torfs.storage.StateLocation;

/**
 * Where Netty unpacks its native epoll transport: its temporary directory, unless that is on a
 * {@code noexec} mount (hardened systems mount /tmp so); then the first of
 * {@code $XDG_RUNTIME_DIR/torfs} and the cache root's {@code native/} that allows executing.
 * Without this Netty prints a warning and falls back to NIO, and a mount has no control socket
 * (a unix socket needs epoll), so `torfs status`, `add` and the web page do not reach it.
 */
final class NettyNativeDir {
    private static final String WORKDIR = "io.netty.native.workdir";

    private NettyNativeDir() {
    }

    static void apply() {
        if (System.getProperty(WORKDIR) != null) {
            return;
        }
        String tmp = System.getProperty("io.netty.tmpdir", System.getProperty("java.io.tmpdir"));
        List<String> mounts;
        try {
            mounts = Files.readAllLines(Path.of("/proc/self/mountinfo"));
        } catch (IOException | RuntimeException e) {
            return; // not Linux as we know it: leave Netty its own choice
        }
        if (tmp == null || !noexec(mounts, Path.of(tmp))) {
            return;
        }
        for (Path dir : candidates()) {
            if (noexec(mounts, dir)) {
                continue;
            }
            try {
                if (!Files.isDirectory(dir)) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                }
                System.setProperty(WORKDIR, dir.toString());
                return;
            } catch (IOException | RuntimeException e) {
                // the next one
            }
        }
    }

    private static List<Path> candidates() {
        List<Path> out = new ArrayList<>();
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && Path.of(runtime).isAbsolute()) {
            out.add(Path.of(runtime, "torfs"));
        }
        out.add(StateLocation.cacheRoot().resolve("native"));
        return out;
    }

    /**
     * Whether {@code dir} lies on a mount with the {@code noexec} option, by
     * /proc/self/mountinfo's lines: the longest mount point that holds it (the last line of
     * several on one point, as the kernel stacks them) decides.
     */
    static boolean noexec(List<String> mountinfo, Path dir) {
        Path abs = resolved(dir);
        int bestLength = -1;
        boolean noexec = false;
        for (String line : mountinfo) {
            String[] f = line.split(" ");
            if (f.length < 6) {
                continue;
            }
            Path point = Path.of(unescape(f[4]));
            int length = point.getNameCount();
            if (abs.startsWith(point) && length >= bestLength) {
                bestLength = length;
                noexec = Arrays.asList(f[5].split(",")).contains("noexec");
            }
        }
        return noexec;
    }

    /** The real path of {@code dir}, or of its nearest existing parent with the rest appended. */
    private static Path resolved(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(abs));
        } catch (IOException e) {
            return abs;
        }
    }

    /** mountinfo writes space, tab, newline and backslash as three octal digits after a backslash. */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7')) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
