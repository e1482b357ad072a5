package torfs.app;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
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
 * the commands' own paths: {@code create}, {@code info}, {@code verify}, and a {@code download}
 * of a small generated torrent from a seeder in this process over 127.0.0.1 only (no DHT, no
 * tracker), then loads the rest of torfs's classes (the mount's, the control API's). Output is
 * discarded; a failure only makes the archive smaller, so it always exits 0.
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
        command("create", payload.toString(), "-o", file.toString(), "--piece-size", "262144");
        command("info", file.toString());
        command("info", "--json", file.toString());
        command("verify", file.toString(), "--data", src.toString());
        command("--help");
        Torrent torrent = MetainfoParser.parse(file);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ClientSettings seeding = ClientSettings.defaults().withPort(0).withBind(loopback).withDht(null);
        try (Client seeder = Client.start(seeding)) {
            TorrentSession s = seeder.add(torrent, src);
            s.whenComplete().get(30, TimeUnit.SECONDS);
            String peer = loopback.getHostAddress() + ":" + seeder.port();
            command("download", file.toString(), "--data", dir.resolve("dst").toString(), "--port", "0",
                    "--bind", loopback.getHostAddress(), "--no-dht", "--peer", peer);
        }
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
