package torfs.dht;

import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import torfs.tracker.Transports;
import torfs.transport.UdpEndpoint;

/**
 * Test networks of our own nodes on 127.0.0.1, each on its own port. Every setting it makes is
 * loopback-only, and it refuses to bind or bootstrap anywhere else: no test leaves the machine.
 */
final class LoopbackDht implements AutoCloseable {
    final EventLoopGroup group = Transports.newEventLoopGroup(1);
    final List<DhtNode> nodes = new ArrayList<>();
    final List<UdpEndpoint> endpoints = new ArrayList<>();

    static DhtSettings settings(List<String> bootstrap) {
        for (String b : bootstrap) {
            InetSocketAddress a = DhtSettings.parseLiteral(b);
            if (a == null || !DhtSettings.isLoopback(a)) {
                throw new IllegalArgumentException("tests bootstrap from loopback only, not " + b);
            }
        }
        return DhtSettings.loopbackForTests().withBootstrap(bootstrap);
    }

    static String hostPort(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    UdpEndpoint endpoint(String ip) {
        InetSocketAddress local = new InetSocketAddress(ip, 0);
        if (!DhtSettings.isLoopback(local)) {
            throw new IllegalArgumentException("tests bind to loopback only, not " + ip);
        }
        UdpEndpoint e = UdpEndpoint.bind(group, local);
        endpoints.add(e);
        return e;
    }

    DhtNode start(DhtSettings settings) {
        return start(settings, "127.0.0.1");
    }

    /** A node on {@code ip}: 127.0.0.1 or ::1. */
    DhtNode start(DhtSettings settings, String ip) {
        if (!settings.loopbackOnly()) {
            throw new IllegalArgumentException("tests run loopback-only nodes");
        }
        DhtNode n = DhtNode.start(settings, endpoint(ip));
        nodes.add(n);
        return n;
    }

    /** {@code count} nodes, each bootstrapping from the first. */
    List<DhtNode> network(int count) {
        DhtNode first = start(settings(List.of()));
        String seed = hostPort(endpoints.get(0).localAddress());
        for (int i = 1; i < count; i++) {
            start(settings(List.of(seed)));
        }
        return nodes;
    }

    @Override
    public void close() {
        nodes.forEach(DhtNode::close);
        endpoints.forEach(UdpEndpoint::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
