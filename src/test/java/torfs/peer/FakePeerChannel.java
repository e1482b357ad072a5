package torfs.peer;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import torfs.wire.PeerMessage;

/** Connection tests' fake wire: an embedded channel with a remote address, and what was sent on it. */
final class FakePeerChannel {
    private FakePeerChannel() {
    }

    /** An embedded channel whose remote end is {@code host}:6881. */
    static EmbeddedChannel to(String host) {
        return new EmbeddedChannel() {
            @Override
            protected SocketAddress remoteAddress0() {
                return new InetSocketAddress(host, 6881);
            }
        };
    }

    /** The handshake's reserved bytes: extension protocol (BEP 10), fast (BEP 6), DHT (BEP 5). */
    static byte[] reserved(boolean extensions, boolean fast, boolean dht) {
        byte[] reserved = new byte[8];
        if (extensions) {
            reserved[5] |= 0x10;
        }
        if (fast) {
            reserved[7] |= 0x04;
        }
        if (dht) {
            reserved[7] |= 0x01;
        }
        return reserved;
    }

    /** The messages written to the channel since last asked. */
    static List<PeerMessage> sent(EmbeddedChannel ch) {
        List<PeerMessage> out = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            out.add((PeerMessage) o);
        }
        return out;
    }
}
