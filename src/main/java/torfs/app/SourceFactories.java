package torfs.app;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.List;
import java.nio.file.Path;
import torfs.metainfo.MetainfoException;
import torfs.metainfo.MetainfoParser;
import torfs.metainfo.Torrent;
import torfs.picker.Priority;
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

    /** Parses .torrent files and serves them from a downloading, seeding session. */
    static final class Default implements SourceFactory {
        @Override
        public Torrent load(Path source) throws IOException, MetainfoException {
            return MetainfoParser.parse(source);
        }

        @Override
        public PieceSource open(Torrent torrent, MountOptions options) throws IOException {
            return open(torrent, options, () -> { });
        }

        @Override
        public PieceSource open(Torrent torrent, MountOptions options, Runnable listening) throws IOException {
            DownloadCommand.NetworkOptions net = new DownloadCommand.NetworkOptions();
            net.port = options.port();
            net.bind = options.bind();
            net.maxUp = options.maxUp();
            net.maxDown = options.maxDown();
            net.peers = options.peers();
            // a mount streams: short queues keep a read's blocks near the front of a peer's
            // queue, and pieces stay in the page cache since reads follow right behind the writes
            ClientSettings settings = net.settings().withRequests(RequestPolicy.STREAMING)
                    .withBypassWriteCache(false);
            List<InetSocketAddress> peers = net.peerAddresses();
            Files.createDirectories(options.dataDir());
            TorrentSession session;
            try {
                session = Client.startSingle(settings, torrent, options.dataDir(), listening,
                        PieceChecker.Progress.NONE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while checking the data");
            }
            if (options.lazy()) {
                session.setDefaultPriority(Priority.NONE);
            } else {
                String shortfall = SpaceCheck.shortfall(session);
                if (shortfall != null) { // a warning: what fits is still served
                    System.getLogger(SourceFactories.class.getName()).log(System.Logger.Level.WARNING,
                            shortfall + "; serving what fits");
                }
            }
            session.addPeers(peers);
            return session;
        }
    }
}
