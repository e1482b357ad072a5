package torfs.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import torfs.peer.PeerConnection;

/**
 * Hosts that sent data failing a piece hash. The sole contributor of a failed piece is banned
 * at once; a host sharing failed pieces with others is banned after {@link #STRIKES} of them.
 * Bans expire after an hour (a dynamic IP may change hands).
 */
final class BanList {
    private static final System.Logger LOG = System.getLogger(TorrentSession.class.getName());
    static final int STRIKES = 3;
    private final Cache<String, Boolean> banned;
    private final Cache<String, Integer> strikes;

    BanList(Duration banTime) {
        banned = Caffeine.newBuilder().expireAfterWrite(banTime).maximumSize(100_000).build();
        strikes = Caffeine.newBuilder().expireAfterWrite(banTime).maximumSize(100_000).build();
    }

    boolean isBanned(String host) {
        return banned.getIfPresent(host) != null;
    }

    void ban(String host) {
        banned.put(host, Boolean.TRUE);
    }

    /** One shared failure; true when it got the host banned. */
    boolean strike(String host) {
        Integer n = strikes.asMap().merge(host, 1, Integer::sum);
        if (n >= STRIKES) {
            ban(host);
            return true;
        }
        return false;
    }

    /**
     * On the session's loop: the sole sender of a bad piece is banned; shared senders get a
     * strike each. The connected ones banned are closed.
     */
    void blame(int piece, Set<Integer> contributors, Map<Integer, PeerConnection> peers) {
        LOG.log(System.Logger.Level.DEBUG, "piece {0} failed its hash; senders {1}", piece, contributors);
        for (int id : contributors) {
            PeerConnection p = peers.get(id);
            if (p == null) {
                continue;
            }
            boolean banned;
            if (contributors.size() == 1) {
                ban(p.host());
                banned = true;
            } else {
                banned = strike(p.host());
            }
            if (banned) {
                p.close("sent data that failed the hash");
            }
        }
    }
}
