package torfs.app;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Locale;
import java.util.function.IntSupplier;
import torfs.control.ControlException;
import torfs.control.Library;
import torfs.control.SessionView;
import torfs.control.TorrentView;
import torfs.metainfo.Torrent;
import torfs.session.Client;
import torfs.session.PieceSource;
import torfs.session.TorrentSession;
import torfs.stream.DeferredPieceSource;
import torfs.stream.TorrentReader;

/**
 * The control API of a mount of one torrent ({@code torfs mount x.torrent MNT}): status, list
 * and limits as for a mount of many, so `torfs status` works on the commonest mount. It serves
 * that torrent only: adding, removing and pausing are refused in one line that says what does
 * them (a mount of several sources, --watch or --web; unmounting).
 */
final class SingleMountLibrary implements Library {
    private static final String ONE_ONLY = "a mount of one torrent serves only it; "
            + "mount several sources, --watch DIR or --web for a mount that takes more";

    private final Torrent torrent;
    private final DeferredPieceSource source;
    private final TorrentReader reader;
    private final IntSupplier openHandles;
    private final Path dataDir;

    SingleMountLibrary(Torrent torrent, DeferredPieceSource source, TorrentReader reader, IntSupplier openHandles,
                       Path dataDir) {
        this.torrent = torrent;
        this.source = source;
        this.reader = reader;
        this.openHandles = openHandles;
        this.dataDir = dataDir;
    }

    /** The running session, or null while the data is checked (or when the source is not a session). */
    private TorrentSession running() {
        CompletableFuture<PieceSource> started = source.whenStarted();
        if (!started.isDone() || started.isCompletedExceptionally()) {
            return null;
        }
        return started.join() instanceof TorrentSession ts ? ts : null;
    }

    private TorrentView view() {
        TorrentSession s = running();
        String error = null;
        String state;
        if (source.whenStarted().isCompletedExceptionally()) {
            state = "error";
            error = source.whenStarted().handle((v, e) -> FailureHandler.describe(e.getCause() != null ? e.getCause() : e))
                    .join();
        } else if (!source.whenStarted().isDone()) {
            state = "checking";
        } else if (s != null && s.isPaused()) {
            state = "stopped";
        } else if (s != null && s.isChecking()) {
            state = "checking"; // reads are served meanwhile, their pieces checked first
        } else if (s != null && s.writeProblem() != null) {
            state = "error"; // it serves what it has; downloading resumes by itself once it can write
            error = s.writeProblem();
        } else {
            boolean complete = source.verifiedSnapshot().cardinality() == torrent.pieceCount();
            state = complete ? "seeding" : "downloading";
        }
        // a failed start has no pieces to show (its source throws what failed it)
        return TorrentViews.of(torrent.name(), torrent.infoHash(), state, error, torrent, s,
                source.whenStarted().isCompletedExceptionally() ? null : reader, openHandles.getAsInt(), dataDir);
    }

    @Override
    public List<TorrentView> list() {
        return List.of(view());
    }

    @Override
    public TorrentView find(String id) {
        String h = id.toLowerCase(Locale.ROOT);
        boolean named = id.equals(torrent.name()) || (h.length() >= 8 && torrent.infoHash().hex().startsWith(h));
        return named ? view() : null;
    }

    @Override
    public TorrentView add(String source, boolean paused) throws ControlException {
        throw new ControlException(400, ONE_ONLY);
    }

    @Override
    public TorrentView addMetainfo(byte[] torrentFile, boolean paused) throws ControlException {
        throw new ControlException(400, ONE_ONLY);
    }

    @Override
    public List<TorrentView> setPaused(List<String> ids, boolean paused) throws ControlException {
        throw new ControlException(400, "a mount of one torrent cannot be paused; unmount it, or mount it "
                + "with --web or --watch DIR for a mount that can");
    }

    @Override
    public TorrentView remove(String id, boolean deleteData) throws ControlException {
        throw new ControlException(400, "a mount of one torrent is removed by unmounting it (torfs unmount MNT)");
    }

    @Override
    public SessionView session() {
        TorrentSession s = running();
        if (s == null) {
            return new SessionView(0, 0, 0, 1, "off", 0, ProcessHandle.current().pid());
        }
        return TorrentViews.session(s.client(), 1);
    }

    @Override
    public SessionView setLimits(Long uploadLimit, Long downloadLimit) throws ControlException {
        TorrentSession s = running();
        if (s == null) {
            throw new ControlException(409, "the torrent's data is still being checked; try again when it runs");
        }
        Client c = s.client();
        c.setLimits(uploadLimit == null ? c.maxUpload() : uploadLimit,
                downloadLimit == null ? c.maxDownload() : downloadLimit);
        return session();
    }
}
