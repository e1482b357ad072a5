package torfs.app;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import torfs.metainfo.MagnetLink;
import torfs.metainfo.MetainfoException;
import torfs.metainfo.MetainfoParser;
import torfs.metainfo.Torrent;
import torfs.picker.Priority;
import torfs.storage.DataLayout;
import torfs.storage.HolePunch;
import torfs.session.Client;
import torfs.storage.PieceChecker;
import torfs.session.ClientSettings;
import torfs.session.RequestPolicy;
import torfs.session.PieceSource;
import torfs.session.TorrentSession;

/** Holder of the installed {@link SourceFactory} and the default one. */
final class SourceFactories {
    static volatile SourceFactory installed;

    private SourceFactories() {
    }

    /**
     * Parses .torrent files and serves them from a downloading, seeding session. A magnet's
     * metadata is fetched by the client that then serves it: {@link #load(MountOptions)}
     * starts it, {@link #open} adopts it with the peers that served the metadata.
     */
    static final class Default implements SourceFactory {
        private Client fetchedBy;
        private List<InetSocketAddress> metadataPeers = List.of();

        @Override
        public Torrent load(Path source) throws IOException, MetainfoException {
            return MetainfoParser.parse(source);
        }

        @Override
        public Torrent load(MountOptions options) throws IOException, MetainfoException {
            if (options.magnet() == null) {
                return load(options.source());
            }
            MagnetLink magnet = MagnetLink.parse(options.magnet());
            Torrent saved = MagnetMetadata.loadSaved(magnet, options.dataDir());
            if (saved != null) {
                return saved;
            }
            Client client = Client.start(clientSettings(options));
            try {
                MagnetMetadata.Fetched f = MagnetMetadata.fetch(client, magnet, network(options).peerAddresses(),
                        options.metadataTimeout(), options.dataDir());
                fetchedBy = client;
                metadataPeers = f.peers();
                return f.torrent();
            } catch (IOException | RuntimeException e) {
                client.close();
                throw e;
            } catch (InterruptedException e) {
                client.close();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while fetching the metadata");
            }
        }

        @Override
        public PieceSource open(Torrent torrent, MountOptions options) throws IOException {
            return open(torrent, options, () -> { });
        }

        @Override
        public PieceSource open(Torrent torrent, MountOptions options, Runnable listening) throws IOException {
            List<InetSocketAddress> peers = new ArrayList<>(network(options).peerAddresses());
            peers.addAll(metadataPeers);
            Files.createDirectories(options.dataDir());
            HolePunch punch = null;
            if (options.cacheSize() > 0) {
                // before the session starts, so the mount command fails with the line: a magnet's
                // piece size is known only now, and the data directory is created only now
                try {
                    CacheSize.checkPieces(options.cacheSize(), torrent);
                    punch = HolePunch.open(DataLayout.of(torrent, options.dataDir()));
                } catch (IOException | UserError e) {
                    if (fetchedBy != null) {
                        fetchedBy.close();
                        fetchedBy = null;
                    }
                    throw e instanceof UserError u ? u : new UserError("--cache-size: " + e.getMessage());
                }
            }
            TorrentSession session;
            try {
                Client client = fetchedBy != null ? fetchedBy : Client.start(clientSettings(options));
                fetchedBy = null;
                // data found on disk is hashed while the mount serves; a capped cache counts it first
                client.checkInBackground(punch == null);
                session = Client.serveSingle(client, torrent, options.dataDir(), listening, PieceChecker.Progress.NONE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while checking the data");
            }
            if (options.lazy()) {
                session.setDefaultPriority(Priority.NONE); // before the cap punches out what is unverified
                if (punch != null) {
                    session.limitCache(new torfs.session.CacheBudget(options.cacheSize()), punch);
                }
            } else {
                String shortfall = SpaceCheck.shortfall(session);
                if (shortfall != null) { // a warning: what fits is still served
                    System.getLogger(SourceFactories.class.getName()).log(System.Logger.Level.WARNING,
                            shortfall + "; serving what fits (--cache-size SIZE downloads only what is read, within SIZE)");
                }
            }
            session.addPeers(peers);
            return session;
        }
    }

    /** The network options a mount was given, as the other commands take them. */
    static DownloadCommand.NetworkOptions network(MountOptions options) {
        DownloadCommand.NetworkOptions net = new DownloadCommand.NetworkOptions();
        net.port = options.port();
        net.bind = options.bind();
        net.maxUp = options.maxUp();
        net.maxDown = options.maxDown();
        net.peers = options.peers();
        net.dhtBootstrap = options.dhtBootstrap();
        net.noDht = options.noDht();
        net.transport = options.transport().name().toLowerCase(java.util.Locale.ROOT);
        net.encryption = options.encryption().name();
        return net;
    }

    /**
     * A mount streams: short queues keep a read's blocks near the front of a peer's queue,
     * and pieces stay in the page cache since reads follow right behind the writes.
     */
    static ClientSettings clientSettings(MountOptions options) {
        return network(options).settings().withRequests(RequestPolicy.STREAMING).withBypassWriteCache(false);
    }
}
