package torfs.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import torfs.metainfo.FileEntry;
import torfs.metainfo.InfoHash;
import torfs.metainfo.Torrent;

/** Builds Torrent objects over generated data, without a .torrent parser. Test-only. */
public final class TestTorrents {
    /** One file of a generated torrent: path elements joined by '/'. */
    public record Spec(String path, long length, boolean pad) {
        public static Spec file(String path, long length) {
            return new Spec(path, length, false);
        }

        public static Spec pad(long length) {
            return new Spec(".pad/" + length, length, true);
        }
    }

    /** A torrent and its whole concatenated data (pad bytes are zeros). */
    public record Built(Torrent torrent, byte[] data) {
        public DataLayout layout(Path dataDir) {
            return DataLayout.of(torrent, dataDir);
        }

        /** Writes every non-pad file where a client would have put it. */
        public void writeTo(Path dataDir) throws IOException {
            DataLayout layout = layout(dataDir);
            for (FileEntry f : torrent.files()) {
                if (f.pad()) {
                    continue;
                }
                Path p = layout.pathOf(f.index());
                Files.createDirectories(p.getParent());
                Files.write(p, Arrays.copyOfRange(data, (int) f.offset(), (int) f.end()));
            }
        }
    }

    private TestTorrents() {
    }

    public static Built single(String name, int pieceLength, int length, long seed) {
        return build(name, true, pieceLength, seed, List.of(Spec.file(name, length)));
    }

    public static Built multi(String name, int pieceLength, long seed, Spec... files) {
        return build(name, false, pieceLength, seed, List.of(files));
    }

    private static Built build(String name, boolean single, int pieceLength, long seed, List<Spec> specs) {
        long total = specs.stream().mapToLong(Spec::length).sum();
        byte[] data = new byte[Math.toIntExact(total)];
        Random rnd = new Random(seed);
        int pos = 0;
        for (Spec s : specs) {
            if (!s.pad()) {
                byte[] chunk = new byte[(int) s.length()];
                rnd.nextBytes(chunk);
                System.arraycopy(chunk, 0, data, pos, chunk.length);
            }
            pos += (int) s.length();
        }
        int pieces = (int) ((total + pieceLength - 1) / pieceLength);
        byte[] hashes = new byte[pieces * 20];
        for (int p = 0; p < pieces; p++) {
            int from = p * pieceLength;
            int to = (int) Math.min(total, (long) from + pieceLength);
            System.arraycopy(sha1(Arrays.copyOfRange(data, from, to)), 0, hashes, p * 20, 20);
        }
        InfoHash ih = InfoHash.of(sha1((name + "/" + seed + "/" + specs).getBytes(StandardCharsets.UTF_8)));
        return new Built(torrent(name, single, pieceLength, hashes, ih, specs), data);
    }

    /** A torrent with given hashes over files that need not exist in memory (e.g. 6 GiB). */
    public static Torrent torrent(String name, boolean single, int pieceLength, byte[] pieceHashes,
                                  InfoHash infoHash, List<Spec> specs) {
        List<FileEntry> files = new ArrayList<>();
        long off = 0;
        for (int i = 0; i < specs.size(); i++) {
            Spec s = specs.get(i);
            List<String> path = single ? List.of(name) : List.of(s.path().split("/"));
            files.add(new FileEntry(i, path, off, s.length(), s.pad(), false, false, Optional.empty()));
            off += s.length();
        }
        return new Torrent(name, infoHash, pieceLength, pieceHashes, files, single, off, List.of(),
                List.of(), false, OptionalLong.empty(), "", "test", false, new byte[0]);
    }

    public static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
