package torfs.app;

/** EXPERIMENT: loads and initialises the network path's classes on a second core. */
final class NetworkWarmup {
    static void start() {
        Thread t = new Thread(() -> {
            try {
                torfs.session.Trace.t("warmup begin");
                for (String c : new String[] {"torfs.session.Client", "torfs.session.TorrentSession",
                        "torfs.tracker.HttpTracker", "torfs.tracker.HttpGet", "torfs.tracker.Announcer",
                        "torfs.peer.PeerConnection", "torfs.wire.WireDecoder", "torfs.wire.WireEncoder",
                        "io.netty.handler.codec.http.HttpClientCodec", "io.netty.handler.codec.http.HttpObjectAggregator",
                        "io.netty.handler.codec.http.DefaultFullHttpRequest", "io.netty.bootstrap.Bootstrap",
                        "io.netty.bootstrap.ServerBootstrap", "io.netty.handler.flush.FlushConsolidationHandler"}) {
                    Class.forName(c, true, NetworkWarmup.class.getClassLoader());
                }
                torfs.tracker.Transports.newEventLoopGroup(1).shutdownGracefully();
                new io.netty.handler.codec.http.HttpClientCodec();
                torfs.session.Trace.t("warmup end");
            } catch (Throwable e) {
                torfs.session.Trace.t("warmup failed " + e);
            }
        }, "torfs-warmup");
        t.setDaemon(true);
        t.start();
    }
}
