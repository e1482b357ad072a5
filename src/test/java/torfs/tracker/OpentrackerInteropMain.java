package torfs.tracker;

import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import torfs.metainfo.InfoHash;

/**
 * Run by native-test/tracker/opentracker-interop.sh inside the namespace where opentracker
 * listens: two peers announce over HTTP and over UDP and each must see the other.
 * Args: HTTP_URL UDP_URL HTTP_HASH UDP_HASH. Exit 0 on success, 1 with a message otherwise.
 */
public final class OpentrackerInteropMain {
    private OpentrackerInteropMain() {
    }

    public static void main(String[] args) throws Exception {
        EventLoopGroup group = Transports.newEventLoopGroup(1);
        try (NettyTrackerFactory factory = new NettyTrackerFactory(group)) {
            swarm(factory, args[0], InfoHash.fromHex(args[2]));
            swarm(factory, args[1], InfoHash.fromHex(args[3]));
            notWhitelisted(factory, args[0]);
            System.out.println("OK opentracker interop");
        } catch (AssertionError | TrackerException e) {
            System.out.println("FAIL " + e.getMessage());
            System.exit(1);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void swarm(NettyTrackerFactory factory, String url, InfoHash hash) throws Exception {
        Tracker a = factory.create(url);
        Tracker b = factory.create(url);
        InetSocketAddress aAddr = new InetSocketAddress("127.0.0.1", 10001);
        InetSocketAddress bAddr = new InetSocketAddress("127.0.0.1", 10002);
        announce(a, request(hash, "A", 10001, AnnounceEvent.STARTED));
        AnnounceResponse rb = announce(b, request(hash, "B", 10002, AnnounceEvent.STARTED));
        check(rb.peers().contains(aAddr), url + ": B did not see A: " + rb.peers());
        AnnounceResponse ra = announce(a, request(hash, "A", 10001, AnnounceEvent.NONE));
        check(ra.peers().contains(bAddr), url + ": A did not see B: " + ra.peers());
        check(ra.intervalSeconds() >= AnnounceResponse.MIN_INTERVAL_FLOOR_SECONDS, url + ": interval " + ra.intervalSeconds());
        announce(b, request(hash, "B", 10002, AnnounceEvent.STOPPED));
        AnnounceResponse after = announce(a, request(hash, "A", 10001, AnnounceEvent.NONE));
        check(!after.peers().contains(bAddr), url + ": B still listed after stopped: " + after.peers());
        System.out.println("ok " + url + " peers A=" + ra.peers() + " B=" + rb.peers()
                + " seeders=" + ra.seeders() + " leechers=" + ra.leechers() + " interval=" + ra.intervalSeconds());
    }

    private static void notWhitelisted(NettyTrackerFactory factory, String url) throws Exception {
        InfoHash other = InfoHash.fromHex("3333333333333333333333333333333333333333");
        try {
            AnnounceResponse r = announce(factory.create(url), request(other, "A", 10001, AnnounceEvent.STARTED));
            throw new AssertionError(url + ": a hash off the whitelist was accepted: " + r);
        } catch (TrackerException e) {
            check(e.getMessage().startsWith("tracker failure: "), url + ": unexpected error " + e.getMessage());
            System.out.println("ok " + url + " refuses an unlisted hash: " + e.getMessage());
        }
    }

    private static AnnounceRequest request(InfoHash hash, String who, int port, AnnounceEvent event) {
        byte[] peerId = ("-TF0001-" + who.repeat(12)).getBytes(StandardCharsets.US_ASCII);
        return new AnnounceRequest(hash, peerId, port, 0, 0, 1000, event, 50, port);
    }

    private static AnnounceResponse announce(Tracker t, AnnounceRequest r) throws Exception {
        try {
            return t.announce(r).get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof TrackerException te) {
                throw te;
            }
            throw e;
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }
}
