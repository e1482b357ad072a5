package torfs.metainfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import torfs.bencode.BDict;
import torfs.bencode.BInt;
import torfs.bencode.BList;
import torfs.bencode.BString;
import torfs.bencode.BValue;
import torfs.bencode.BencodeEncoder;

/**
 * Makes a v1 .torrent from a file or a directory, byte for byte the info dictionary that
 * {@code mktorrent} 1.1 makes for the same input, piece length and private flag, so both give
 * the same info-hash:
 * <ul>
 *   <li>info holds exactly {@code name} (the source's base name), {@code piece length},
 *       {@code pieces}, {@code length} or {@code files} (each {@code length}, {@code path}),
 *       and {@code private: 1} only when asked;</li>
 *   <li>a directory is walked following symlinks (to files and directories); regular files,
 *       hidden ones and empty ones included, are listed; other special files (fifos, sockets,
 *       devices) and empty directories are left out; a symlink to nothing is an error;</li>
 *   <li>files are sorted by their whole relative path ('/'-joined, UTF-8) compared as unsigned
 *       bytes, as mktorrent's strcmp does: {@code a-b/x < a.txt < a/x}.</li>
 * </ul>
 * Fields outside info (announce, announce-list when more than one tracker, url-list, comment,
 * created by, creation date) do not touch the info-hash.
 */
public final class TorrentBuilder {
    public static final int MIN_PIECE_LENGTH = 16 * 1024;
    public static final int MAX_PIECE_LENGTH = 32 * 1024 * 1024;
    public static final int MAX_AUTO_PIECE_LENGTH = 16 * 1024 * 1024;
    /** {@link #autoPieceLength} picks the smallest piece giving at most this many pieces. */
    public static final int AUTO_TARGET_PIECES = 2000;

    /** Told after each batch of pieces is hashed; called from hashing threads. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (done, total) -> { };

        void hashed(long bytesDone, long bytesTotal);
    }

    private final Path source;
    private int pieceLength; // 0 = auto
    private final List<String> trackers = new ArrayList<>();
    private final List<String> webSeeds = new ArrayList<>();
    private boolean isPrivate;
    private String comment = "";
    private String createdBy = "";
    private OptionalLong creationDate = OptionalLong.empty();
    private int threads = Runtime.getRuntime().availableProcessors();
    private Progress progress = Progress.NONE;

    private TorrentBuilder(Path source) {
        this.source = source;
    }

    /** A builder for the file or directory {@code source}. */
    public static TorrentBuilder of(Path source) {
        return new TorrentBuilder(source);
    }

    /**
     * Auto piece length: the smallest power of two from 16 KiB to 16 MiB that cuts
     * {@code totalBytes} into at most 2000 pieces, so a torrent gets 1000-2000 pieces unless it
     * is under 16 MiB (fewer pieces of 16 KiB) or over 32 GiB (more pieces of 16 MiB). That is
     * about where libtorrent's and mktorrent's newer tables land, with a .torrent under 40 KB.
     */
    public static int autoPieceLength(long totalBytes) {
        int p = MIN_PIECE_LENGTH;
        while (p < MAX_AUTO_PIECE_LENGTH && (totalBytes + p - 1) / p > AUTO_TARGET_PIECES) {
            p <<= 1;
        }
        return p;
    }

    /** A power of two from 16 KiB to 32 MiB. */
    public TorrentBuilder pieceLength(int bytes) {
        if (Integer.bitCount(bytes) != 1 || bytes < MIN_PIECE_LENGTH || bytes > MAX_PIECE_LENGTH) {
            throw new IllegalArgumentException("piece size must be a power of two from 16 KiB "
                    + "to 32 MiB, got " + bytes);
        }
        this.pieceLength = bytes;
        return this;
    }

    public TorrentBuilder autoPieceLength() {
        this.pieceLength = 0;
        return this;
    }

    /** Each tracker is its own tier, in the order given; the first is also 'announce'. */
    public TorrentBuilder tracker(String url) {
        trackers.add(url);
        return this;
    }

    public TorrentBuilder webSeed(String url) {
        webSeeds.add(url);
        return this;
    }

    public TorrentBuilder privateFlag(boolean value) {
        this.isPrivate = value;
        return this;
    }

    public TorrentBuilder comment(String text) {
        this.comment = text;
        return this;
    }

    public TorrentBuilder createdBy(String text) {
        this.createdBy = text;
        return this;
    }

    /** Seconds since the epoch; none by default. */
    public TorrentBuilder creationDate(long epochSeconds) {
        this.creationDate = OptionalLong.of(epochSeconds);
        return this;
    }

    public TorrentBuilder threads(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("threads must be positive");
        }
        this.threads = count;
        return this;
    }

    public TorrentBuilder progress(Progress listener) {
        this.progress = listener;
        return this;
    }

    /** Walks, hashes and encodes; returns the bencoded .torrent. */
    public byte[] build() throws IOException, MetainfoException, InterruptedException {
        Path root = source.toAbsolutePath().normalize();
        if (!Files.exists(root)) {
            throw new NoSuchFileException(source.toString());
        }
        Path fileName = root.getFileName();
        if (fileName == null) {
            throw new MetainfoException("cannot make a torrent of " + source + ": it has no name");
        }
        boolean single = Files.isRegularFile(root);
        List<Listed> listed = single ? List.of(new Listed(root, List.of(), Files.size(root)))
                : list(root);
        long total = 0;
        for (Listed l : listed) {
            total = Math.addExact(total, l.length());
        }
        if (total == 0) {
            throw new MetainfoException(source + " has no data to share (every file is empty)");
        }
        int pl = pieceLength == 0 ? autoPieceLength(total) : pieceLength;
        List<PieceHasher.Source> sources = listed.stream()
                .map(l -> new PieceHasher.Source(l.path(), l.length())).toList();
        byte[] pieces = new PieceHasher(pl, threads, progress).hash(sources, total);

        Map<String, BValue> info = new LinkedHashMap<>();
        info.put("name", BString.of(fileName.toString()));
        info.put("piece length", new BInt(pl));
        info.put("pieces", new BString(pieces));
        if (single) {
            info.put("length", new BInt(total));
        } else {
            List<BValue> files = new ArrayList<>();
            for (Listed l : listed) {
                Map<String, BValue> f = new LinkedHashMap<>();
                f.put("length", new BInt(l.length()));
                f.put("path", new BList(l.elements().stream().map(e -> (BValue) BString.of(e)).toList()));
                files.add(new BDict(f));
            }
            info.put("files", new BList(files));
        }
        if (isPrivate) {
            info.put("private", new BInt(1));
        }
        return BencodeEncoder.encode(new BDict(outer(new BDict(info))));
    }

    private Map<String, BValue> outer(BDict info) {
        Map<String, BValue> top = new LinkedHashMap<>();
        if (!trackers.isEmpty()) {
            top.put("announce", BString.of(trackers.get(0)));
        }
        if (trackers.size() > 1) {
            top.put("announce-list", new BList(trackers.stream()
                    .map(t -> (BValue) new BList(List.of(BString.of(t)))).toList()));
        }
        if (!comment.isEmpty()) {
            top.put("comment", BString.of(comment));
        }
        if (!createdBy.isEmpty()) {
            top.put("created by", BString.of(createdBy));
        }
        creationDate.ifPresent(d -> top.put("creation date", new BInt(d)));
        if (webSeeds.size() == 1) {
            top.put("url-list", BString.of(webSeeds.get(0)));
        } else if (webSeeds.size() > 1) {
            top.put("url-list", new BList(webSeeds.stream().map(u -> (BValue) BString.of(u)).toList()));
        }
        top.put("info", info);
        return top;
    }

    /** A regular file found under the source, with its path elements below it. */
    private record Listed(Path path, List<String> elements, long length) {
        byte[] sortKey() {
            return String.join("/", elements).getBytes(StandardCharsets.UTF_8);
        }
    }

    private static List<Listed> list(Path root) throws IOException, MetainfoException {
        List<Listed> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.equals(root)) {
                    continue;
                }
                if (Files.isRegularFile(p)) {
                    List<String> elements = new ArrayList<>();
                    for (Path e : root.relativize(p)) {
                        elements.add(e.toString());
                    }
                    out.add(new Listed(p, elements, Files.size(p)));
                } else if (Files.isSymbolicLink(p) && !Files.exists(p)) {
                    // the walk hands a link whose target is gone as the link itself: leaving
                    // it out would drop a file from the torrent unsaid (mktorrent stops too)
                    throw new MetainfoException(p + ": broken symlink (to " + Files.readSymbolicLink(p)
                            + ", which does not exist)");
                }
            }
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof FileSystemLoopException loop) {
                throw new MetainfoException("symlink loop at " + loop.getFile());
            }
            throw e.getCause();
        }
        if (out.isEmpty()) {
            throw new MetainfoException(root + " has no files to share");
        }
        out.sort((a, b) -> Arrays.compareUnsigned(a.sortKey(), b.sortKey()));
        return out;
    }
}
