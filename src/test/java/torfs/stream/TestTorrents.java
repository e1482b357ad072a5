package torfs.stream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import torfs.metainfo.FileEntry;
import torfs.metainfo.InfoHash;
import torfs.metainfo.Torrent;

/** Builds in-memory Torrent objects for tests; file bytes come from {@link #byteAt(long)}. */
public final class TestTorrents {
    private TestTorrents() {
    }

    /** The deterministic content of global byte {@code offset} (mixes the high bits too). */
    public static byte byteAt(long offset) {
        return (byte) ((offset * 0x9E3779B97F4A7C15L) >>> 56);
    }

    public static byte[] bytes(long offset, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = byteAt(offset + i);
        }
        return out;
    }

    public static Torrent singleFile(String name, long length, int pieceLength) {
        return build(name, true, pieceLength,
                List.of(new FileEntry(0, List.of(name), 0, length, false, false, false, Optional.empty())));
    }

    /** A multi-file torrent; {@code files} are (path, length) pairs in order. */
    public static Torrent multiFile(String name, int pieceLength, List<FileEntry> files) {
        return build(name, false, pieceLength, files);
    }

    /** Builder for multi-file entries with running offsets. */
    public static final class Files {
        private final List<FileEntry> entries = new ArrayList<>();
        private long offset;

        public Files file(String path, long length) {
            return add(path, length, false, false, null);
        }

        public Files executable(String path, long length) {
            return add(path, length, false, true, null);
        }

        public Files pad(long length) {
            return add(".pad/" + length, length, true, false, null);
        }

        public Files symlink(String path, String target) {
            return add(path, 0, false, false, target);
        }

        private Files add(String path, long length, boolean pad, boolean exec, String target) {
            entries.add(new FileEntry(entries.size(), List.of(path.split("/")), offset, length, pad, exec,
                    false, Optional.ofNullable(target).map(t -> List.of(t.split("/")))));
            offset += length;
            return this;
        }

        public List<FileEntry> list() {
            return List.copyOf(entries);
        }
    }

    private static Torrent build(String name, boolean single, int pieceLength, List<FileEntry> files) {
        long total = files.stream().mapToLong(FileEntry::length).sum();
        long pieces = Math.max(1, (total + pieceLength - 1) / pieceLength);
        byte[] hashes = new byte[(int) pieces * InfoHash.LENGTH];
        byte[] raw = ("test:" + name + ":" + total + ":" + files.size()).getBytes(StandardCharsets.UTF_8);
        InfoHash hash = InfoHash.sha1Of(raw, 0, raw.length);
        return new Torrent(name, hash, pieceLength, hashes, files, single, total, List.of(), List.of(),
                false, OptionalLong.of(1_700_000_000L), "", "torfs-test", false, raw);
    }
}
