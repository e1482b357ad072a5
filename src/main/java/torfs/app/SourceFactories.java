package torfs.app;

import java.io.IOException;
import java.nio.file.Path;
import torfs.metainfo.MetainfoException;
import torfs.metainfo.MetainfoParser;
import torfs.metainfo.Torrent;
import torfs.session.PieceSource;

/** Holder of the installed {@link SourceFactory} and the default one. */
final class SourceFactories {
    static volatile SourceFactory installed;

    private SourceFactories() {
    }

    /** Parses .torrent files; the downloading session is plugged in at integration. */
    static final class Default implements SourceFactory {
        @Override
        public Torrent load(Path source) throws IOException, MetainfoException {
            return MetainfoParser.parse(source);
        }

        @Override
        public PieceSource open(Torrent torrent, MountOptions options) {
            // TODO(integration): return new TorrentSession(torrent, options...) once engine lands.
            throw new UserError("this build cannot download yet (no torrent session wired in)");
        }
    }
}
