package torfs.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import torfs.geometry.Bitfield;
import torfs.storage.ResumeState.FileStamp;

/**
 * Saves and loads {@link ResumeState} at {@link DataLayout#resumeFile()}. A saved state is
 * trusted on load only when its format version, info-hash, piece count and every non-pad
 * file's size and mtime match what is on disk now; anything else re-checks the data.
 */
public final class ResumeStore {
    /**
     * The pieces we have after {@link #load}.
     *
     * @param have         verified pieces
     * @param trusted      true when the saved state was used as is, nothing hashed
     * @param piecesHashed pieces read and hashed to get {@code have}
     * @param unchecked    pieces on disk left for the caller to hash ({@link #loadDeferringCheck}),
     *                     none of them in {@code have}; empty otherwise
     */
    public record Loaded(Bitfield have, boolean trusted, int piecesHashed, Bitfield unchecked) {
        Loaded(Bitfield have, boolean trusted, int piecesHashed) {
            this(have, trusted, piecesHashed, new Bitfield(have.size()));
        }
    }

    private ResumeStore() {
    }

    /**
     * Records {@code have} with the files' current sizes and mtimes, atomically: a crash leaves
     * the old state or the new one, never a torn file. Call after {@link PieceStore#flush()},
     * so no write lands after the stamps are taken.
     */
    public static void save(DataLayout layout, Bitfield have) throws IOException {
        save(layout, have, false);
    }

    /**
     * As {@link #save(DataLayout, Bitfield)}; with {@code claimsHeld} (a capped cache's state) a
     * load that finds the files changed re-checks only the pieces it claims.
     */
    public static void save(DataLayout layout, Bitfield have, boolean claimsHeld) throws IOException {
        write(layout, stateOf(layout, have, claimsHeld));
    }

    /**
     * As {@link #save(DataLayout, Bitfield, boolean)}, but writes nothing when the state would be
     * {@code last} again (the same pieces, flag and file stamps) and the file is still there: a
     * rewrite of the same bytes would cost two fsyncs for nothing (a download's stop, right after
     * the save its last piece started). Returns the state on disk now.
     */
    public static ResumeState saveUnlessSame(DataLayout layout, Bitfield have, boolean claimsHeld, ResumeState last)
            throws IOException {
        ResumeState state = stateOf(layout, have, claimsHeld);
        if (!same(state, last) || !Files.exists(layout.resumeFile())) {
            write(layout, state);
        }
        return state;
    }

    /**
     * Field by field: a record's own equals is bound on first use through invokedynamic, which
     * cost a download's stop 6 ms for each of the two records.
     */
    private static boolean same(ResumeState a, ResumeState b) {
        if (b == null || a.claimsHeld() != b.claimsHeld() || !a.infoHash().equals(b.infoHash())
                || !a.have().equals(b.have()) || a.files().size() != b.files().size()) {
            return false;
        }
        for (int i = 0; i < a.files().size(); i++) {
            FileStamp x = a.files().get(i);
            FileStamp y = b.files().get(i);
            if (x.size() != y.size() || x.mtimeNanos() != y.mtimeNanos()) {
                return false;
            }
        }
        return true;
    }

    private static ResumeState stateOf(DataLayout layout, Bitfield have, boolean claimsHeld) throws IOException {
        if (have.size() != layout.geometry().pieceCount()) {
            throw new IllegalArgumentException("bitfield of " + have.size() + " pieces for a torrent of "
                    + layout.geometry().pieceCount());
        }
        return new ResumeState(layout.torrent().infoHash(), have, stamps(layout), claimsHeld);
    }

    private static void write(DataLayout layout, ResumeState state) throws IOException {
        Path target = layout.resumeFile();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(state.encode());
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // make the rename itself durable
        } catch (IOException e) {
            // some filesystems cannot sync a directory; the state is written, just less durable
        }
    }

    /**
     * The verified pieces: from the saved state when it can be trusted, otherwise by hashing
     * what is on disk on {@code threads} threads, reporting progress. A saved state that is
     * unreadable, foreign or stale yields one line to {@code warnings}; a missing one, none.
     */
    public static Loaded load(DataLayout layout, PieceStore store, int threads,
                              PieceChecker.Progress progress, Consumer<String> warnings)
            throws IOException, InterruptedException {
        return load(layout, store, threads, progress, warnings, false);
    }

    /**
     * As {@link #load(DataLayout, PieceStore, int, PieceChecker.Progress, Consumer)}, but a check
     * is not run: what it would hash comes back as {@link Loaded#unchecked}, for the caller to
     * hash while it serves (nothing is verified until then). A trusted state hashes nothing either way.
     */
    public static Loaded loadDeferringCheck(DataLayout layout, PieceStore store, Consumer<String> warnings)
            throws IOException, InterruptedException {
        return load(layout, store, 1, PieceChecker.Progress.NONE, warnings, true);
    }

    private static Loaded load(DataLayout layout, PieceStore store, int threads, PieceChecker.Progress progress,
                               Consumer<String> warnings, boolean defer)
            throws IOException, InterruptedException {
        // the caller holds the data's lock: a temporary beside the state is a dead writer's
        Path resume = layout.resumeFile();
        LeftoverTemps.sweep(resume.getParent(), resume.getFileName().toString(), Duration.ZERO);
        ResumeState saved = readSaved(layout, warnings);
        if (saved != null) {
            String mismatch = mismatch(layout, saved);
            if (mismatch == null) {
                return new Loaded(saved.have(), true, 0);
            }
            if (saved.claimsHeld() && saved.infoHash().equals(layout.torrent().infoHash())
                    && saved.have().size() == layout.geometry().pieceCount()) { // a capped cache stopped without a last save (kill -9)
                Bitfield claimed = saved.have();
                warnings.accept("resume state " + layout.resumeFile() + " " + mismatch + "; re-checking the "
                        + claimed.cardinality() + " pieces it claims");
                if (defer) {
                    return deferred(layout, claimed);
                }
                PieceChecker.Result r = PieceChecker.check(layout, store, threads, progress, claimed);
                return new Loaded(r.verified(), false, r.hashed());
            }
            warnings.accept("resume state " + layout.resumeFile() + " " + mismatch
                    + "; re-checking the data");
        }
        if (defer) {
            return deferred(layout, null);
        }
        PieceChecker.Result r = PieceChecker.check(layout, store, threads, progress);
        return new Loaded(r.verified(), false, r.hashed());
    }

    /** Nothing verified; the pieces a check would hash (of {@code only}, if given) left to the caller. */
    private static Loaded deferred(DataLayout layout, Bitfield only) throws IOException {
        Bitfield onDisk = PieceChecker.piecesToHash(layout, only);
        return new Loaded(new Bitfield(onDisk.size()), false, 0, onDisk);
    }

    /** Each file's stamp now, pad files {@link FileStamp#ABSENT}. */
    static List<FileStamp> stamps(DataLayout layout) throws IOException {
        int n = layout.geometry().fileCount();
        List<FileStamp> out = new ArrayList<>(n);
        for (int f = 0; f < n; f++) {
            out.add(layout.isPad(f) ? FileStamp.ABSENT : stamp(layout.pathOf(f)));
        }
        return out;
    }

    private static FileStamp stamp(Path p) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                return FileStamp.ABSENT;
            }
            return new FileStamp(a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS));
        } catch (AccessDeniedException e) {
            throw e;
        } catch (FileSystemException e) {
            return FileStamp.ABSENT;
        }
    }

    private static ResumeState readSaved(DataLayout layout, Consumer<String> warnings)
            throws IOException {
        Path file = layout.resumeFile();
        // a real one holds the bitfield and two numbers per file; refuse to slurp anything bigger
        long cap = 4096 + Bitfield.byteLength(layout.geometry().pieceCount())
                + 64L * layout.geometry().fileCount();
        String problem;
        try {
            if (Files.size(file) > cap) {
                problem = "is too large to be ours";
            } else {
                return ResumeState.decode(Files.readAllBytes(file));
            }
        } catch (NoSuchFileException e) {
            return null; // first start: nothing to say
        } catch (ResumeState.CorruptException e) {
            problem = "is unreadable (" + e.getMessage() + ")";
        } catch (IOException e) {
            problem = "cannot be read (" + e.getClass().getSimpleName() + ")";
        }
        warnings.accept("resume state " + file + " " + problem + "; re-checking the data");
        return null;
    }

    /** Why {@code saved} does not describe the data on disk now, or null when it does. */
    private static String mismatch(DataLayout layout, ResumeState saved) throws IOException {
        if (!saved.infoHash().equals(layout.torrent().infoHash())) {
            return "belongs to another torrent";
        }
        if (saved.have().size() != layout.geometry().pieceCount()
                || saved.files().size() != layout.geometry().fileCount()) {
            return "does not match the torrent's pieces or files";
        }
        List<FileStamp> now = stamps(layout);
        for (int f = 0; f < now.size(); f++) {
            if (!layout.isPad(f) && !now.get(f).equals(saved.files().get(f))) {
                return "is stale: " + layout.torrent().files().get(f).pathString() + " changed";
            }
        }
        return null;
    }
}
