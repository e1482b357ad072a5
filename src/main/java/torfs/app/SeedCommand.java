package torfs.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import torfs.metainfo.Torrent;
import torfs.session.Client;
import torfs.session.SessionStats;
import torfs.session.TorrentSession;

/**
 * {@code torfs seed FILE.torrent --data DIR}: checks the data (or trusts the resume state) and
 * serves it until SIGINT/SIGTERM, then tells the trackers {@code stopped} and exits 0.
 */
@Command(name = "seed", mixinStandardHelpOptions = true,
        description = {"Serve a torrent's data from DIR until interrupted.",
                "Exit 0 after a clean stop on SIGINT or SIGTERM."})
public final class SeedCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SOURCE",
            description = "A .torrent file, an http(s) URL of one, or a magnet link (its metadata saved in DIR, else fetched from peers).")
    String source;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "Directory holding the torrent's file or top directory.")
    Path dataDir;

    @Mixin
    DownloadCommand.NetworkOptions net;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dataDir)) {
            throw new UserError(dataDir + ": no such directory");
        }
        TorrentSource src = TorrentSource.of(source);
        CountDownLatch stop = new CountDownLatch(1);
        try (Client client = Client.start(net.settings())) {
            Thread main = Thread.currentThread();
            Signals.onInterrupt(signal -> {
                // the interrupt first: main, woken by either, then clears it before stopping
                main.interrupt(); // also ends a long first check of the data or metadata fetch
                stop.countDown();
            }, client::close);
            TorrentSession session;
            Torrent torrent;
            try {
                torrent = src.torrent(client, net.peerAddresses(), net.metadataTimeout(), dataDir);
                try (CheckProgressLine checking = CheckProgressLine.forTerminal()) {
                    session = client.add(torrent, dataDir, checking);
                }
            } catch (InterruptedException e) {
                return ExitCodes.OK; // stopped on purpose before seeding began
            }
            SessionStats s = session.stats();
            if (!session.isComplete()) {
                System.err.println("torfs: only " + s.verified() + " of " + s.pieces()
                        + " pieces are present and correct; seeding those");
            }
            session.addPeers(net.peerAddresses());
            System.err.println("torfs: seeding " + torrent.name() + " on port " + client.port());
            try {
                stop.await();
            } catch (InterruptedException e) {
                // the signal: stop below
            }
            Thread.interrupted(); // clear the signal's interrupt so the stop can wait
            awaitStop(session);
        }
        return ExitCodes.OK;
    }

    /** Waits for the stop (resume saved, trackers told), through a second Ctrl-C too. */
    private static void awaitStop(TorrentSession session) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean interrupted = false;
        while (true) {
            try {
                session.stop().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the stop saves the resume state: keep waiting
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
