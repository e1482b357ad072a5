package torfs.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import torfs.metainfo.InfoHash;
import torfs.metainfo.MagnetLink;
import torfs.metainfo.MetainfoException;
import torfs.metainfo.MetainfoParser;
import torfs.metainfo.Torrent;
import torfs.session.Client;
import torfs.session.MetadataFetch;
import torfs.session.PeerFinding;
import torfs.storage.DataLayout;

/**
 * A magnet's metadata: read from {@code DATA/.torfs/<infohash>.torrent} when an earlier run
 * saved it (a remount is instant and needs no network), else fetched from the swarm with
 * ut_metadata (peers from the magnet's {@code x.pe}, --peer, its trackers and the DHT),
 * verified against the info-hash by the fetch, then saved there. A fetch that is still
 * waiting after {@link #NOTICE_AFTER} says so in one line; no metadata within the timeout is a
 * one-line failure (exit 1); a magnet nothing could answer (no tracker, no peer, no DHT) fails
 * at once (exit 2).
 */
final class MagnetMetadata {
    private static final System.Logger LOG = System.getLogger(MagnetMetadata.class.getName());
    /** How long a fetch goes on before it says that it is waiting. */
    static final Duration NOTICE_AFTER = Duration.ofSeconds(5);

    /** What a fetch gives: the torrent and the peers that served its metadata. */
    record Fetched(Torrent torrent, List<InetSocketAddress> peers) {
    }

    private MagnetMetadata() {
    }

    /** Where a torrent's .torrent is kept in its data directory: a magnet's metadata, a URL's download. */
    static Path savedFile(Path dataDir, InfoHash infoHash) {
        return dataDir.resolve(DataLayout.STATE_DIR).resolve(infoHash.hex() + ".torrent");
    }

    /**
     * The metadata saved under {@code dataDir}, or null when there is none. A saved file that
     * is unreadable or names another torrent is logged and ignored: it is fetched again.
     */
    static Torrent loadSaved(MagnetLink magnet, Path dataDir) {
        Path file = savedFile(dataDir, magnet.infoHash());
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            Torrent t = MetainfoParser.parse(file);
            if (t.infoHash().equals(magnet.infoHash())) {
                return t;
            }
            LOG.log(System.Logger.Level.WARNING, file + " holds another torrent; fetching the metadata again");
        } catch (IOException | MetainfoException e) {
            LOG.log(System.Logger.Level.WARNING, file + ": " + e.getMessage() + "; fetching the metadata again");
        }
        return null;
    }

    /**
     * Fetches the metadata through {@code client}, waiting at most {@code timeout}; saves it
     * under {@code dataDir} when that is not null. A timeout is a one-line {@link UserError}.
     */
    static Fetched fetch(Client client, MagnetLink magnet, List<InetSocketAddress> extraPeers, Duration timeout,
                         Path dataDir) throws IOException, InterruptedException {
        List<InetSocketAddress> direct = resolve(magnet.peers());
        if (magnet.trackers().isEmpty() && direct.isEmpty() && extraPeers.isEmpty() && client.dht() == null) {
            // nothing could ever answer: say so now, not after the metadata timeout
            throw new UserError("nothing to ask for the metadata of " + magnet.infoHash().hex()
                    + ": the magnet names no tracker or peer and the DHT is off (give --peer ADDR:PORT or leave the DHT on)");
        }
        MetadataFetch fetch = client.fetchMetadata(magnet.infoHash());
        Set<InetSocketAddress> offered = ConcurrentHashMap.newKeySet(); // for the timeout's message
        Consumer<Collection<InetSocketAddress>> offer = peers -> {
            if (offered.size() < 10_000) {
                peers.stream().filter(a -> !client.isSelf(a)).forEach(offered::add); // trackers list us too
            }
            fetch.addPeers(peers);
        };
        try (PeerFinding finding = client.findPeers(magnet.infoHash(), tiers(magnet), offer)) {
            offer.accept(direct);
            offer.accept(extraPeers);
            byte[] info;
            try {
                long first = Math.min(timeout.toMillis(), NOTICE_AFTER.toMillis());
                try {
                    info = fetch.result().get(first, TimeUnit.MILLISECONDS);
                } catch (TimeoutException notYet) {
                    if (first == timeout.toMillis()) {
                        throw notYet;
                    }
                    // one line, so a command that fetches does not look hung for two minutes
                    LOG.log(System.Logger.Level.INFO, "waiting for the metadata of " + magnet.infoHash().hex() + " ("
                            + (offered.isEmpty() ? "no peers found yet" : peers(offered.size()) + " found so far")
                            + "); giving up after " + timeout.toSeconds() + " s");
                    info = fetch.result().get(timeout.toMillis() - first, TimeUnit.MILLISECONDS);
                }
            } catch (TimeoutException e) {
                throw new IOException("no metadata for " + magnet.infoHash().hex() + " after "
                        + timeout.toSeconds() + " s (" + (offered.isEmpty() ? "no peers found"
                        : peers(offered.size()) + " found, none served it") + ")");
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                throw new IOException("fetching the metadata failed: " + c.getMessage(), c);
            }
            Torrent torrent;
            byte[] file;
            try {
                file = magnet.torrentFile(info);
                torrent = MetainfoParser.parse(file);
            } catch (MetainfoException e) {
                throw new UserError("the metadata of " + magnet.infoHash().hex() + " is not valid: " + e.getMessage(), e);
            }
            if (dataDir != null) {
                save(savedFile(dataDir, magnet.infoHash()), file);
            }
            return new Fetched(torrent, fetch.peersWithMetadata());
        } finally {
            fetch.close();
        }
    }

    private static String peers(int n) {
        return n == 1 ? "1 peer" : n + " peers";
    }

    /** The magnet's trackers, each in a tier of its own (as libtorrent reads {@code tr}). */
    static List<List<String>> tiers(MagnetLink magnet) {
        return magnet.trackers().stream().map(List::of).toList();
    }

    /**
     * The magnet's {@code x.pe} peers with their names resolved; one that does not resolve, or
     * (under {@link LoopbackOnly}) is not on loopback, is left out with a log line.
     */
    static List<InetSocketAddress> resolve(Collection<InetSocketAddress> peers) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (InetSocketAddress p : peers) {
            InetSocketAddress a = p;
            if (a.isUnresolved()) {
                try {
                    a = new InetSocketAddress(InetAddress.getByName(p.getHostString()), p.getPort());
                } catch (UnknownHostException e) {
                    LOG.log(System.Logger.Level.WARNING, "magnet peer " + p.getHostString() + ": unknown host");
                    continue;
                }
            }
            if (LoopbackOnly.active() && !a.getAddress().isLoopbackAddress()) {
                LOG.log(System.Logger.Level.WARNING, "magnet peer " + a + " refused: " + LoopbackOnly.ENV + " is set");
                continue;
            }
            out.add(a);
        }
        return out;
    }

    /** Written beside, then renamed: a crash never leaves half a .torrent to be trusted. */
    static void save(Path target, byte[] file) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, file);
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
