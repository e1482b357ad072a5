package torfs.picker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import torfs.geometry.Bitfield;
import torfs.geometry.BlockRef;
import torfs.geometry.PieceGeometry;
import torfs.geometry.PieceRange;

/**
 * A picker built from a compact picture, e.g. {@code "have:0100 peerA:1111 peerB:0110 prio:NNHN"}.
 * Tokens: {@code have:} our pieces; {@code peerX:} a peer's pieces ({@code *} = HAVE_ALL), peer id
 * = X - 'A'; {@code prio:} per piece {@code -} NONE, {@code N} NORMAL, {@code H} HIGH,
 * {@code R} READAHEAD, a letter a-z = READAHEAD with deadline 0-25, a digit d = NOW with deadline d;
 * {@code blocks:} blocks per piece
 * (default 1); {@code seed:} the Random seed (default 1).
 */
final class Picture {
    final PiecePicker picker;
    final PieceGeometry geometry;

    private Picture(PiecePicker picker, PieceGeometry geometry) {
        this.picker = picker;
        this.geometry = geometry;
    }

    static Picture picture(String spec) {
        String have = null;
        String prio = null;
        int blocks = 1;
        long seed = 1;
        List<String> peers = new ArrayList<>();
        for (String token : spec.trim().split("\\s+")) {
            String[] kv = token.split(":", 2);
            switch (kv[0]) {
                case "have":
                    have = kv[1];
                    break;
                case "prio":
                    prio = kv[1];
                    break;
                case "blocks":
                    blocks = Integer.parseInt(kv[1]);
                    break;
                case "seed":
                    seed = Long.parseLong(kv[1]);
                    break;
                default:
                    if (!kv[0].startsWith("peer") || kv[0].length() != 5) {
                        throw new IllegalArgumentException("bad token " + token);
                    }
                    peers.add(token);
            }
        }
        int n = have != null ? have.length() : prio != null ? prio.length()
                : peers.stream().mapToInt(x -> x.endsWith("*") ? 0 : x.length() - 6).max().orElse(0);
        long[] files = {(long) n * blocks * PieceGeometry.BLOCK_SIZE};
        PieceGeometry g = new PieceGeometry(blocks * PieceGeometry.BLOCK_SIZE, files);
        PiecePicker picker = new PiecePicker(g, bits(have == null ? "0".repeat(n) : have), new Random(seed));
        if (prio != null) {
            for (int i = 0; i < n; i++) {
                char c = prio.charAt(i);
                if (Character.isDigit(c)) {
                    picker.setPriority(new PieceRange(i, i + 1), Priority.NOW, c - '0');
                } else if (c >= 'a' && c <= 'z') {
                    picker.setPriority(new PieceRange(i, i + 1), Priority.READAHEAD, c - 'a');
                } else {
                    picker.setPriority(new PieceRange(i, i + 1), priority(c), 0);
                }
            }
        }
        for (String token : peers) {
            int id = token.charAt(4) - 'A';
            String b = token.substring(6);
            if (b.equals("*")) {
                picker.peerHaveAll(id);
            } else {
                picker.peerBitfield(id, bits(b));
            }
        }
        return new Picture(picker, g);
    }

    static Priority priority(char c) {
        switch (c) {
            case '-':
                return Priority.NONE;
            case 'N':
                return Priority.NORMAL;
            case 'H':
                return Priority.HIGH;
            case 'R':
                return Priority.READAHEAD;
            default:
                throw new IllegalArgumentException("bad priority " + c);
        }
    }

    static Bitfield bits(String s) {
        Bitfield b = new Bitfield(s.length());
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '1') {
                b.set(i);
            }
        }
        return b;
    }

    static int id(char peer) {
        return peer - 'A';
    }

    /** Picks for the peer at time 0 and names the blocks "piece.block". */
    List<String> pick(char peer, int max) {
        return pick(peer, max, 0);
    }

    List<String> pick(char peer, int max, long now) {
        List<String> out = new ArrayList<>();
        for (BlockRef b : picker.pick(id(peer), max, now)) {
            out.add(b.piece() + "." + b.blockIndex());
        }
        return out;
    }

    /** Picks for the peer and returns just the piece of each block (for one-block pieces). */
    List<Integer> pieces(char peer, int max) {
        List<Integer> out = new ArrayList<>();
        for (BlockRef b : picker.pick(id(peer), max, 0)) {
            out.add(b.piece());
        }
        return out;
    }

    BlockRef block(String pieceDotBlock) {
        int[] pb = Arrays.stream(pieceDotBlock.split("\\.")).mapToInt(Integer::parseInt).toArray();
        return geometry.block(pb[0], pb[1]);
    }

    boolean receive(char peer, String pieceDotBlock) {
        return picker.blockReceived(id(peer), block(pieceDotBlock));
    }
}
