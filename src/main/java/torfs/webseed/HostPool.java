package torfs.webseed;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.net.ssl.SSLException;
import torfs.tracker.Transports;

/**
 * The keep-alive connections (over TLS for https) to one host:port, at most {@link #MAX_CONNECTIONS}, and the range
 * requests waiting for one (a read's requests go to the front). On the loop only.
 */
final class HostPool implements RangeResponseHandler.Owner {
    /** Connections per host: enough to keep the pipe full without hammering the server. */
    static final int MAX_CONNECTIONS = 2;
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    /** HTTP content arrives in chunks of up to this much: few callbacks per megabyte. */
    private static final int MAX_CHUNK = 256 * 1024;

    private final EventLoop loop;
    private final String host;
    private final int port;
    private final boolean tls;
    private final Deque<RangeGet> waiting = new ArrayDeque<>();
    private final List<RangeResponseHandler> connections = new ArrayList<>();
    private int connecting;
    private boolean closed;

    HostPool(EventLoop loop, String host, int port, boolean tls) {
        this.loop = loop;
        this.host = host;
        this.port = port;
        this.tls = tls;
    }

    void submit(RangeGet g) {
        if (closed) {
            g.finish(new Outcome.Retry("closed"));
            return;
        }
        if (g.urgent) {
            waiting.addFirst(g);
        } else {
            waiting.addLast(g);
        }
        dispatch();
    }

    private void dispatch() {
        List<RangeGet> cancelled = new ArrayList<>();
        for (RangeResponseHandler h : connections) {
            RangeGet next;
            if (!h.busy() && h.isOpen() && (next = nextWanted(cancelled)) != null) {
                h.send(next);
            }
        }
        waiting.removeIf(g -> !g.wanted.getAsBoolean() && cancelled.add(g));
        if (!waiting.isEmpty() && connections.size() + connecting < MAX_CONNECTIONS) {
            connect();
        }
        finishAll(cancelled);
    }

    /**
     * The first waiting request still wanted; those before it go to {@code cancelled}, to be
     * finished after the caller is done with the queue (finishing one may submit more).
     */
    private RangeGet nextWanted(List<RangeGet> cancelled) {
        RangeGet g;
        while ((g = waiting.poll()) != null) {
            if (g.wanted.getAsBoolean()) {
                return g;
            }
            cancelled.add(g);
        }
        return null;
    }

    private static void finishAll(List<RangeGet> cancelled) {
        cancelled.forEach(g -> g.finish(Outcome.CANCELLED));
    }

    private void connect() {
        connecting++;
        RangeResponseHandler handler = new RangeResponseHandler(this);
        ChannelFuture f = new Bootstrap().group(loop).channel(Transports.socketChannel(loop))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) throws SSLException {
                        if (tls) {
                            ch.pipeline().addLast(Tls.clientHandler(ch.alloc(), host, port));
                        }
                        ch.pipeline().addLast(new HttpClientCodec(4096, 16384, MAX_CHUNK), handler);
                    }
                })
                .connect(host, port);
        f.addListener((ChannelFuture cf) -> {
            connecting--;
            if (closed) {
                cf.channel().close();
                return;
            }
            if (cf.isSuccess()) {
                connections.add(handler);
                dispatch();
            } else if (connections.isEmpty()) {
                // nobody can carry them: each fails, and its seed backs off
                String why = "cannot connect to " + host + ":" + port + ": " + cf.cause().getMessage();
                List<RangeGet> all = new ArrayList<>(waiting);
                waiting.clear();
                all.forEach(g -> g.finish(new Outcome.Retry(why)));
            }
        });
    }

    @Override
    public void idle(RangeResponseHandler h) {
        List<RangeGet> cancelled = new ArrayList<>();
        RangeGet next = nextWanted(cancelled);
        if (next != null) {
            h.send(next);
        }
        finishAll(cancelled);
    }

    @Override
    public void closed(RangeResponseHandler h) {
        connections.remove(h);
        if (!closed) {
            dispatch();
        }
    }

    /** Fails the requests that made no progress for {@code timeoutNanos}: their connections close. */
    void checkTimeouts(long now, long timeoutNanos) {
        for (RangeResponseHandler h : List.copyOf(connections)) {
            if (h.busy() && now - h.lastProgress > timeoutNanos) {
                h.fail(new Outcome.Retry("no answer for " + timeoutNanos / 1_000_000_000L + " s"));
            }
        }
    }

    void close() {
        closed = true;
        List<RangeGet> all = new ArrayList<>(waiting);
        waiting.clear();
        all.forEach(g -> g.finish(new Outcome.Retry("closed")));
        for (RangeResponseHandler h : List.copyOf(connections)) {
            h.fail(new Outcome.Retry("closed"));
        }
    }
}
