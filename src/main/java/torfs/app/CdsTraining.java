package torfs.app;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import torfs.fuse.MountTable;
import torfs.metainfo.MetainfoParser;
import torfs.metainfo.Torrent;
import torfs.session.Client;
import torfs.session.ClientSettings;
import torfs.session.TorrentSession;

/**
 * {@code java -XX:DumpLoadedClassList=FILE -jar torfs.jar --cds-training}: the run whose loaded
 * classes become the class-data-sharing archive the launcher starts every JVM with
 * (scripts/cds-archive.sh, scripts/torfs): mapped parsed and verified instead of read from the
 * jar, which took most of the time from a JVM's start to a download's first connection. It runs
 * the commands' own paths over 127.0.0.1 only (no DHT), with a seeder of a small generated
 * torrent in this process found through an HTTP tracker in this process
 * ({@link TrainingTracker}): {@code create}; where this machine can mount, a foreground mount
 * and a mount of many (a watch folder, its status asked over the control socket), each reading
 * a file; then ({@link MountsTrained} marks the point) {@code info}, {@code verify} and a
 * {@code download}, and it loads the rest of torfs's classes. The list up to the mark is the
 * mount of many's own, smaller archive.
 * The mounts matter: without them a mount's start loaded ~240 classes from the jar (libfuse's
 * binding, Netty's HTTP codec) and defined ~110 lambdas, and its first announce took 250 ms.
 * Output is discarded; a failure only makes the archive smaller, so it always exits 0.
 */
final class CdsTraining {
    static final String OPTION = "--cds-training";

    private CdsTraining() {
    }

    static int run() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        Path dir = null;
        try {
            System.setOut(discard);
            System.setErr(discard);
            dir = Files.createTempDirectory("torfs-cds");
            exercise(dir);
        } catch (Exception | LinkageError e) {
            err.println("torfs: class-data training incomplete: " + e);
        } finally {
            System.setOut(out);
            System.setErr(err);
            delete(dir);
        }
        loadAll();
        return ExitCodes.OK;
    }

    private static void exercise(Path dir) throws Exception {
        Path src = dir.resolve("src");
        Path payload = src.resolve("payload");
        Files.createDirectories(payload);
        Random random = new Random(1);
        byte[] bytes = new byte[3 << 20];
        random.nextBytes(bytes);
        Files.write(payload.resolve("a.bin"), bytes);
        Files.write(payload.resolve("b.txt"), "training\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path file = dir.resolve("t.torrent");
        try (TrainingTracker tracker = TrainingTracker.start()) {
            command("create", payload.toString(), "-o", file.toString(), "--piece-size", "262144",
                    "--tracker", tracker.announceUrl());
            Torrent torrent = MetainfoParser.parse(file);
            InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            ClientSettings seeding = ClientSettings.defaults().withPort(0).withBind(loopback).withDht(null);
            try (Client seeder = Client.start(seeding)) {
                TorrentSession s = seeder.add(torrent, src);
                s.whenComplete().get(30, TimeUnit.SECONDS);
                tracker.seeder(new InetSocketAddress(loopback, seeder.port())); // found by announcing
                String bind = loopback.getHostAddress();
                Throwable mountFailure = null;
                try {
                    if (mounts(file, dir, bind)) {
                        // the mounts' classes end here: scripts/cds-archive.sh makes the mount
                        // of many's archive from the list up to this class
                        Class.forName(MountsTrained.class.getName());
                    }
                } catch (Exception | LinkageError e) {
                    mountFailure = e; // the commands below still train
                }
                command("info", file.toString());
                command("info", "--json", file.toString());
                command("verify", file.toString(), "--data", src.toString());
                command("--help");
                command("download", file.toString(), "--data", dir.resolve("dst").toString(), "--port", "0",
                        "--bind", bind, "--no-dht");
                if (mountFailure != null) {
                    throw new IllegalStateException("mount: " + mountFailure, mountFailure);
                }
            }
        }
    }

    /**
     * The mounts' paths (libfuse's binding, the read path, a mount of many and its control API),
     * where this machine can mount: each a fresh download from the seeder at the tracker (a read
     * nobody serves fails within 10 s, so the training stays bounded). False where it cannot mount.
     */
    private static boolean mounts(Path file, Path dir, String bind) throws IOException, InterruptedException {
        if (!canMount()) {
            return false;
        }
        Path one = dir.resolve("mnt-one");
        mountAndRead(one, one.resolve("payload/a.bin"), () -> { }, "mount", "-f", file.toString(),
                one.toString(), "--data", dir.resolve("d-one").toString(), "--port", "0", "--bind", bind, "--no-dht",
                "--read-timeout", "10");
        Path watch = Files.createDirectories(dir.resolve("watch"));
        Files.copy(file, watch.resolve("t.torrent"));
        Path many = dir.resolve("mnt-many");
        String m = many.toString();
        Runnable status = () -> {
            Main.run("status", "--json", "--mount", m);
            Main.run("status", "--mount", m);
            Main.run("list", "--mount", m);
        };
        mountAndRead(many, many.resolve("payload/a.bin"), status, "mount", "-f", "--watch", watch.toString(),
                m, "--data", dir.resolve("d-many").toString(), "--port", "0", "--bind", bind,
                "--no-dht", "--read-timeout", "10");
        return true;
    }

    /** Loaded once the mounts are trained: its line in the class list marks where they end. */
    static final class MountsTrained {
        private MountsTrained() {
        }
    }

    /**
     * Runs the foreground mount {@code args} on a thread of this JVM, reads {@code file} through
     * it, runs {@code whileMounted}, then unmounts. A mount that does not serve the read throws
     * (the training says so; the archives then lack what was not run).
     */
    private static void mountAndRead(Path mnt, Path file, Runnable whileMounted, String... args)
            throws IOException, InterruptedException {
        Files.createDirectories(mnt);
        Thread mount = new Thread(() -> Main.run(args), "torfs-cds-mount");
        mount.setDaemon(true); // one that never ends cannot keep the training's JVM up
        mount.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try {
            while (mount.isAlive() && !Files.exists(file) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (!Files.exists(file)) {
                throw new IllegalStateException("torfs " + String.join(" ", args) + " showed no " + file);
            }
            Files.readAllBytes(file);
            whileMounted.run();
        } finally {
            if (mount.isAlive()) {
                Main.run("unmount", mnt.toString());
                mount.join(TimeUnit.SECONDS.toMillis(20));
            }
            if (MountTable.isMounted(mnt)) {
                MountTable.fusermount(mnt, "-u", "-z");
            }
        }
    }

    /**
     * /dev/fuse is there and so is libfuse 2 (fusermount comes with it), where Debian puts it: not
     * so on a fresh build machine, where the training then makes no mount of many's archive.
     */
    private static boolean canMount() {
        if (!Files.exists(Path.of("/dev/fuse"))) {
            return false;
        }
        for (String dir : List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/x86_64-linux-gnu",
                "/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib")) {
            if (Files.exists(Path.of(dir, "libfuse.so.2"))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a torfs command in this JVM; one that fails ends the training (and says so). */
    private static void command(String... args) {
        int code = Main.run(args);
        if (code != ExitCodes.OK) {
            throw new IllegalStateException("torfs " + String.join(" ", args) + " exited " + code);
        }
    }

    /** Every other class of torfs's own (not its libraries'), loaded but not initialised. */
    private static void loadAll() {
        try {
            Path jar = Path.of(CdsTraining.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(jar)) {
                return; // run from classes/ (a test): nothing to archive anyway
            }
            ClassLoader loader = CdsTraining.class.getClassLoader();
            try (JarFile j = new JarFile(jar.toFile())) {
                for (Enumeration<JarEntry> e = j.entries(); e.hasMoreElements(); ) {
                    String name = e.nextElement().getName();
                    if (name.startsWith("torfs/") && name.endsWith(".class") && !name.contains("CommandDocs")) {
                        try {
                            Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
                        } catch (ClassNotFoundException | LinkageError ignored) {
                            // a class that cannot load is left out of the archive
                        }
                    }
                }
            }
        } catch (IOException | java.net.URISyntaxException | SecurityException e) {
            // nothing more to load
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind
        }
    }
}
