package torfs.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import torfs.bencode.BDict;
import torfs.bencode.BInt;
import torfs.bencode.BList;
import torfs.bencode.BString;
import torfs.bencode.BValue;
import torfs.bencode.BencodeEncoder;
import torfs.metainfo.FileEntry;
import torfs.metainfo.InfoHash;
import torfs.metainfo.Torrent;

/** Builds a multi-file torrent over random files written under a seed directory. */
final class TestTorrents {
    private TestTorrents() {
    }

    /** Writes files of the given sizes under {@code dataDir/name} and returns their torrent. */
    static Torrent create(Path dataDir, String name, int pieceLength, long[] sizes, long seed)
            throws IOException {
        Random r = new Random(seed);
        Path root = dataDir.resolve(name);
        Files.createDirectories(root);
        List<FileEntry> files = new ArrayList<>();
        List<BValue> fileList = new ArrayList<>();
        long offset = 0;
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < sizes.length; i++) {
            byte[] data = new byte[(int) sizes[i]];
            r.nextBytes(data);
            String fname = "file" + i + ".bin";
            Files.write(root.resolve(fname), data);
            all.writeBytes(data);
            files.add(new FileEntry(i, List.of(fname), offset, sizes[i], false, false, false, Optional.empty()));
            Map<String, BValue> fd = new LinkedHashMap<>();
            fd.put("length", new BInt(sizes[i]));
            fd.put("path", new BList(List.of(BString.of(fname))));
            fileList.add(new BDict(fd));
            offset += sizes[i];
        }
        byte[] bytes = all.toByteArray();
        int pieces = (int) ((offset + pieceLength - 1) / pieceLength);
        byte[] hashes = new byte[pieces * 20];
        try {
            for (int p = 0; p < pieces; p++) {
                MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
                int from = p * pieceLength;
                sha1.update(bytes, from, (int) Math.min(pieceLength, offset - from));
                System.arraycopy(sha1.digest(), 0, hashes, p * 20, 20);
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Map<String, BValue> info = new java.util.TreeMap<>();
        info.put("files", new BList(fileList));
        info.put("name", BString.of(name));
        info.put("piece length", new BInt(pieceLength));
        info.put("pieces", new BString(hashes));
        byte[] raw = BencodeEncoder.encode(new BDict(info));
        return new Torrent(name, InfoHash.sha1Of(raw, 0, raw.length), pieceLength, hashes, files, false,
                offset, List.of(), List.of(), false, OptionalLong.empty(), null, null, false, raw);
    }

    static byte[] sha256(Path p) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
    }
}
