package torfs.storage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import torfs.bencode.BDict;
import torfs.bencode.BInt;
import torfs.bencode.BList;
import torfs.bencode.BString;
import torfs.bencode.BValue;
import torfs.bencode.BencodeDecoder;
import torfs.bencode.BencodeEncoder;
import torfs.bencode.BencodeException;
import torfs.geometry.Bitfield;
import torfs.metainfo.InfoHash;

/**
 * What we knew about a torrent's data when we last stopped: the verified pieces, and each
 * file's size and modification time then, so a restart can tell whether the files were
 * touched since. Bencoded:
 * {@code d format=torfs-resume version=1 info-hash=<20 bytes> pieces=N have=<wire bitfield>
 * files=l l <size> <mtime-ns> e ... e [claims-held=1] e}; a file that did not exist has size -1.
 * {@code claims-held} marks a capped cache's state: its files change after it is written (holes
 * punched, new pieces stored), but every piece it claims was on disk when it was written and
 * stays there until a later state stops claiming it; stale stamps then mean "re-check what it
 * claims", not "re-check everything".
 */
public record ResumeState(InfoHash infoHash, Bitfield have, List<FileStamp> files, boolean claimsHeld) {
    public static final int VERSION = 1;
    private static final String FORMAT = "torfs-resume";

    /** A file's size and mtime in nanoseconds; {@link #ABSENT} when it does not exist. */
    public record FileStamp(long size, long mtimeNanos) {
        public static final FileStamp ABSENT = new FileStamp(-1, 0);
    }

    /** A resume file that is garbage, truncated, of another version, or inconsistent. */
    public static final class CorruptException extends Exception {
        public CorruptException(String message) {
            super(message);
        }
    }

    /** A state whose stamps alone say whether it still holds. */
    public ResumeState(InfoHash infoHash, Bitfield have, List<FileStamp> files) {
        this(infoHash, have, files, false);
    }

    public ResumeState {
        files = List.copyOf(files);
        have = have.copy();
    }

    @Override
    public Bitfield have() {
        return have.copy();
    }

    public byte[] encode() {
        Map<String, BValue> d = new LinkedHashMap<>();
        d.put("format", BString.of(FORMAT));
        d.put("version", new BInt(VERSION));
        d.put("info-hash", new BString(infoHash.bytes()));
        d.put("pieces", new BInt(have.size()));
        d.put("have", new BString(have.toWire()));
        List<BValue> fl = new ArrayList<>(files.size());
        for (FileStamp f : files) {
            fl.add(new BList(List.of(new BInt(f.size()), new BInt(f.mtimeNanos()))));
        }
        d.put("files", new BList(fl));
        if (claimsHeld) {
            d.put("claims-held", new BInt(1));
        }
        return BencodeEncoder.encode(new BDict(d));
    }

    public static ResumeState decode(byte[] data) throws CorruptException {
        BValue root;
        try {
            root = BencodeDecoder.decode(data);
        } catch (BencodeException e) {
            throw new CorruptException("not bencode: " + e.getMessage());
        }
        if (!(root instanceof BDict d)) {
            throw new CorruptException("not a dictionary");
        }
        BValue format = d.get("format");
        if (!(format instanceof BString fs)
                || !FORMAT.equals(new String(fs.bytes(), StandardCharsets.ISO_8859_1))) {
            throw new CorruptException("not a torfs resume file");
        }
        long version = integer(d, "version");
        if (version != VERSION) {
            throw new CorruptException("version " + version + ", expected " + VERSION);
        }
        byte[] hash = bytes(d, "info-hash");
        if (hash.length != InfoHash.LENGTH) {
            throw new CorruptException("info-hash of " + hash.length + " bytes");
        }
        long pieces = integer(d, "pieces");
        if (pieces < 0 || pieces > Integer.MAX_VALUE) {
            throw new CorruptException("piece count " + pieces);
        }
        Bitfield have;
        try {
            have = Bitfield.fromWire(bytes(d, "have"), (int) pieces);
        } catch (IllegalArgumentException e) {
            throw new CorruptException(e.getMessage());
        }
        if (!(d.get("files") instanceof BList fl)) {
            throw new CorruptException("no file list");
        }
        List<FileStamp> files = new ArrayList<>(fl.values().size());
        for (BValue v : fl.values()) {
            if (!(v instanceof BList pair) || pair.values().size() != 2
                    || !(pair.values().get(0) instanceof BInt size)
                    || !(pair.values().get(1) instanceof BInt mtime) || size.value() < -1) {
                throw new CorruptException("bad file entry");
            }
            files.add(new FileStamp(size.value(), mtime.value()));
        }
        return new ResumeState(InfoHash.of(hash), have, files,
                d.get("claims-held") instanceof BInt held && held.value() == 1);
    }

    private static long integer(BDict d, String key) throws CorruptException {
        if (d.get(key) instanceof BInt i) {
            return i.value();
        }
        throw new CorruptException("no integer '" + key + "'");
    }

    private static byte[] bytes(BDict d, String key) throws CorruptException {
        if (d.get(key) instanceof BString s) {
            return s.bytes();
        }
        throw new CorruptException("no string '" + key + "'");
    }
}
