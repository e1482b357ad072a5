package torfs.session;

import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import torfs.geometry.Bitfield;
import torfs.peer.PeerConnection;
import torfs.picker.PiecePicker;
import torfs.transport.utp.UtpChannel;

/**
 * What a status shows of a session's peers and pieces, taken on its loop (their state is
 * confined to it) by {@link TorrentSession#peerStatus()} and {@link TorrentSession#pieceStates()}.
 */
final class StatusSnapshots {
    private StatusSnapshots() {
    }

    /**
     * {@code read} run on the session's loop: completes within one task of the loop, or at once
     * with {@code whenClosed} once the session stopped.
     */
    static <T> CompletableFuture<T> onLoop(boolean closed, T whenClosed, EventLoop loop, Supplier<T> read) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (closed) {
            f.complete(whenClosed);
            return f;
        }
        loop.execute(() -> f.complete(read.get()));
        return f;
    }

    /** Each peer with Transmission's flag letters (dD/K interest, uU/? upload, S snubbed). */
    static List<PeerStatus> peers(Collection<PeerConnection> peers, int pieceCount) {
        List<PeerStatus> all = new ArrayList<>();
        for (PeerConnection p : peers) {
            StringBuilder flags = new StringBuilder();
            if (p.amInterested()) {
                flags.append(p.peerChoking() ? 'd' : 'D');
            } else if (!p.peerChoking()) {
                flags.append('K');
            }
            if (p.peerInterested()) {
                flags.append(p.amChoking() ? 'u' : 'U');
            } else if (!p.amChoking()) {
                flags.append('?');
            }
            if (p.snubbed()) {
                flags.append('S');
            }
            String client = p.peerClient();
            all.add(new PeerStatus(addressText(p.remoteAddress()),
                    client == null ? "" : client, flags.toString(), p.downloadRate(), p.uploadRate(),
                    pieceCount == 0 || p.have() == null ? 0 : (double) p.have().cardinality() / pieceCount,
                    p.channel() instanceof UtpChannel ? "utp" : "tcp"));
        }
        return all;
    }

    /**
     * One letter a piece: {@code C} verified ({@code have}: the picker also holds pieces being
     * punched out or still to be checked), {@code R} a read waits for it, {@code A} in a
     * reader's readahead window, {@code D} blocks of it arrived, {@code M} missing and some peer
     * has it, {@code U} missing and no connected peer has it.
     */
    static String pieceStates(PiecePicker picker, Bitfield have) {
        int pieceCount = have.size();
        char[] c = new char[pieceCount];
        for (int p = 0; p < pieceCount; p++) {
            if (have.get(p)) {
                c[p] = 'C';
            } else if (picker.isBlocked(p)) {
                c[p] = 'R';
            } else if (picker.isCritical(p)) {
                c[p] = 'A';
            } else if (!picker.contributors(p).isEmpty()) {
                c[p] = 'D';
            } else {
                c[p] = picker.availability(p) > 0 ? 'M' : 'U';
            }
        }
        return new String(c);
    }

    /** ip:port, IPv6 in brackets; no host name (nothing is looked up). */
    static String addressText(SocketAddress a) {
        if (a instanceof InetSocketAddress i && i.getAddress() != null) {
            String ip = i.getAddress().getHostAddress();
            return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + i.getPort();
        }
        return String.valueOf(a);
    }
}
