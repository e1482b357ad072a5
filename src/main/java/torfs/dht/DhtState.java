package torfs.dht;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import torfs.bencode.BDict;
import torfs.bencode.BString;
import torfs.bencode.BValue;
import torfs.bencode.BencodeDecoder;
import torfs.bencode.BencodeEncoder;
import torfs.bencode.BencodeException;
import torfs.bencode.BencodeLimits;
import torfs.storage.LeftoverTemps;

/**
 * What a node keeps across runs: its id and the good nodes of its routing table, as
 * {@code d2:id20:...5:nodes<26*n>:...6:nodes6<38*n>:...e} (IPv6 nodes since BEP 32 support; older files lack it). A missing file is a first run; a corrupt one is
 * ignored with one log line.
 */
record DhtState(NodeId id, List<NodeContact> nodes) {
    private static final System.Logger LOG = System.getLogger(DhtState.class.getName());
    /** 160 buckets of 8 nodes is the most a table holds. */
    static final int MAX_NODES = NodeId.BITS * RoutingTable.K;
    private static final long MAX_FILE = 64 * 1024;

    static DhtState load(Path file) {
        if (file == null) {
            return null;
        }
        // another process may share the file and be saving it: only old temporaries are dead ones
        LeftoverTemps.sweep(file.toAbsolutePath().getParent(), ".dht", Duration.ofMinutes(5));
        try {
            if (Files.size(file) > MAX_FILE) {
                throw new IOException("larger than " + MAX_FILE + " bytes");
            }
            BValue v = BencodeDecoder.decode(Files.readAllBytes(file), new BencodeLimits(2, 8));
            if (v instanceof BDict d && d.get("id") instanceof BString id && id.length() == NodeId.LENGTH
                    && d.get("nodes") instanceof BString nodes) {
                List<NodeContact> contacts = Compact.nodes(nodes.bytes());
                List<NodeContact> v6 = d.get("nodes6") instanceof BString n6 ? Compact.nodes6(n6.bytes()) : List.of();
                if (contacts != null && v6 != null) {
                    contacts = new java.util.ArrayList<>(contacts);
                    contacts.addAll(v6);
                }
                if (contacts != null && v6 != null && contacts.size() <= MAX_NODES) {
                    return new DhtState(NodeId.of(id.bytes()), contacts);
                }
            }
            throw new IOException("not a DHT state file");
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | BencodeException e) {
            LOG.log(System.Logger.Level.WARNING, "ignoring DHT state {0}: {1}", file, e.getMessage());
            return null;
        }
    }

    /** Writes through a temporary file and a rename, so a crash leaves the old state whole. */
    void save(Path file) throws IOException {
        List<NodeContact> kept = nodes.size() > MAX_NODES ? nodes.subList(0, MAX_NODES) : nodes;
        byte[] bytes = BencodeEncoder.encode(new BDict(Map.<String, BValue>of(
                "id", new BString(id.bytes()), "nodes", new BString(Compact.nodes(kept)),
                "nodes6", new BString(Compact.nodes6(kept)))));
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".dht", ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
