package torfs.fuse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** What the kernel says is mounted where (/proc/self/mountinfo), and stale FUSE mounts. */
public final class MountTable {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private MountTable() {
    }

    /** One mountinfo line: the mount point and the filesystem type (e.g. fuse.torfs). */
    public record Entry(String mountPoint, String fsType, String source) {
    }

    /** The absolute form used to compare with mountinfo, without touching the mount itself. */
    public static String key(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent != null) {
            try {
                return parent.toRealPath().resolve(abs.getFileName()).toString();
            } catch (IOException e) {
                // fall through: compare the plain absolute path
            }
        }
        return abs.toString();
    }

    public static Optional<Entry> find(Path mountPoint) {
        String key = key(mountPoint);
        Entry found = null;
        for (Entry e : entries()) {
            if (e.mountPoint().equals(key)) {
                found = e; // the last one is the top of a stack of mounts
            }
        }
        return Optional.ofNullable(found);
    }

    public static boolean isMounted(Path mountPoint) {
        return find(mountPoint).isPresent();
    }

    public static List<Entry> entries() {
        try {
            return Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8).stream()
                    .map(MountTable::parse).filter(e -> e != null).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    static Entry parse(String line) {
        String[] f = line.split(" ");
        int dash = -1;
        for (int i = 6; i < f.length; i++) {
            if (f[i].equals("-")) {
                dash = i;
                break;
            }
        }
        if (f.length < 5 || dash < 0 || dash + 2 >= f.length) {
            return null;
        }
        return new Entry(unescape(f[4]), f[dash + 1], unescape(f[dash + 2]));
    }

    /** mountinfo writes space, tab, newline and backslash as \ooo octal escapes. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        byte[] out = new byte[s.length()];
        int n = 0;
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == (byte) 92 && isOctal(in, i + 1)) {
                out[n++] = (byte) Integer.parseInt(new String(in, i + 1, 3, StandardCharsets.US_ASCII), 8);
                i += 3;
            } else {
                if (n == out.length) {
                    out = java.util.Arrays.copyOf(out, out.length * 2);
                }
                out[n++] = in[i];
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    private static boolean isOctal(byte[] b, int at) {
        if (at + 3 > b.length) {
            return false;
        }
        for (int i = at; i < at + 3; i++) {
            if (b[i] < '0' || b[i] > '7') {
                return false;
            }
        }
        return true;
    }

    /**
     * True when {@code p} is a FUSE mount whose process is gone: stat fails with "Transport
     * endpoint is not connected" (ENOTCONN).
     */
    public static boolean isStale(Path p) {
        try {
            Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return false;
        } catch (FileSystemException e) {
            String m = e.getMessage();
            return m != null && m.contains("Transport endpoint is not connected");
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs fusermount with {@code flags} on {@code p}; true when it exited 0. */
    public static boolean fusermount(Path p, String... flags) {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add("fusermount");
        cmd.addAll(List.of(flags));
        cmd.add(key(p));
        try {
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!proc.waitFor(10, TimeUnit.SECONDS)) {
                proc.destroyForcibly();
                return false;
            }
            return proc.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Clears a stale mount at {@code p} (lazy unmount); true when one was there. */
    public static boolean clearIfStale(Path p) {
        if (!isStale(p)) {
            return false;
        }
        fusermount(p, "-u", "-z");
        return true;
    }
}
