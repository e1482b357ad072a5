package torfs.tracker;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/** One HTTP(S) GET over Netty with connect and response timeouts and a body cap; no redirects. */
final class HttpGet {
    /** What came back: the status, a Location header if any, and the whole body. */
    record Reply(int status, String reason, String location, byte[] body) {
    }

    /** The shared client TLS context; made on first use. */
    static SslContext tlsContext() throws SSLException {
        return Tls.context();
    }

    private final EventLoopGroup group;
    private final TrackerSettings settings;

    HttpGet(EventLoopGroup group, TrackerSettings settings) {
        this.group = group;
        this.settings = settings;
    }

    CompletableFuture<Reply> get(URI uri) {
        CompletableFuture<Reply> result = new CompletableFuture<>();
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        String host = uri.getHost();
        if (host == null) {
            result.completeExceptionally(new TrackerException("tracker URL has no host: " + uri));
            return result;
        }
        String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        int port = uri.getPort() > 0 ? uri.getPort() : (https ? 443 : 80);
        SslContext ssl;
        try {
            ssl = https ? Tls.context() : null;
        } catch (SSLException e) {
            result.completeExceptionally(new TrackerException("cannot set up TLS: " + e.getMessage(), e));
            return result;
        }
        Bootstrap b = new Bootstrap().group(group).channel(Transports.socketChannel(group))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc(), bareHost, port));
                        }
                        ch.pipeline().addLast(new HttpClientCodec());
                        ch.pipeline().addLast(new HttpObjectAggregator(settings.maxResponseBytes()));
                        ch.pipeline().addLast(new ReplyHandler(result));
                    }
                });
        // a literal of the other family than our bind address goes out from the wildcard; a
        // host name resolves as the JDK prefers (IPv4 first) and keeps the bind address
        InetAddress literal = NetUtil.isValidIpV4Address(bareHost) || NetUtil.isValidIpV6Address(bareHost)
                ? NetUtil.createInetAddressFromIpAddressString(bareHost) : null;
        InetAddress from = literal == null ? settings.localAddress() : LocalBind.forRemote(settings.localAddress(), literal);
        if (from != null) {
            b.localAddress(new InetSocketAddress(from, 0));
        }
        ChannelFuture connect = b.connect(bareHost, port);
        Channel ch = connect.channel();
        result.whenComplete((r, e) -> ch.close());
        connect.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new TrackerException("cannot connect to tracker "
                        + host + ":" + port + ": " + oneLine(f.cause())));
                return;
            }
            var timeout = ch.eventLoop().schedule(() -> result.completeExceptionally(new TrackerException(
                    "tracker did not answer within " + human(settings.responseTimeout()))),
                    settings.responseTimeout().toMillis(), TimeUnit.MILLISECONDS);
            result.whenComplete((r, e) -> timeout.cancel(false));
            ch.writeAndFlush(request(uri, host, port, https));
        });
        return result;
    }

    private static FullHttpRequest request(URI uri, String host, int port, boolean https) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
        boolean defaultPort = port == (https ? 443 : 80);
        req.headers().set(HttpHeaderNames.HOST, defaultPort ? host : host + ":" + port);
        req.headers().set(HttpHeaderNames.USER_AGENT, "TorFS");
        req.headers().set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.IDENTITY);
        req.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return req;
    }

    private static String human(java.time.Duration d) {
        return d.toMillis() < 1000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
    }

    static String oneLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        // Netty's native transport says "finishConnect(..) failed with error(-111): Connection
        // refused: /127.0.0.1:1"; the status shows a user "connection refused"
        m = m.replaceFirst("^\\w+\\(\\.\\.\\) failed( with error\\(-?\\d+\\))?: ", "").replaceFirst(": /\\S+$", "");
        m = m.replaceAll("\\s+", " ").strip();
        return m.length() > 1 && Character.isUpperCase(m.charAt(0)) && Character.isLowerCase(m.charAt(1))
                ? Character.toLowerCase(m.charAt(0)) + m.substring(1) : m;
    }

    private final class ReplyHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final CompletableFuture<Reply> result;

        ReplyHandler(CompletableFuture<Reply> result) {
            this.result = result;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse msg) {
            if (msg.decoderResult().isFailure()) {
                result.completeExceptionally(new TrackerException("malformed HTTP reply from tracker: "
                        + oneLine(msg.decoderResult().cause())));
                return;
            }
            result.complete(new Reply(msg.status().code(), msg.status().reasonPhrase(),
                    msg.headers().get(HttpHeaderNames.LOCATION), ByteBufUtil.getBytes(msg.content())));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof TooLongFrameException) {
                result.completeExceptionally(new TrackerException("tracker reply larger than "
                        + settings.maxResponseBytes() + " bytes"));
            } else {
                result.completeExceptionally(new TrackerException("tracker connection failed: " + oneLine(cause)));
            }
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.completeExceptionally(new TrackerException("tracker closed the connection without a reply"));
        }
    }

    /** One client TLS context (JDK provider, default trust store, host name checked), made on first use. */
    private static final class Tls {
        private static volatile SslContext context;

        static SslContext context() throws SSLException {
            SslContext c = context;
            if (c == null) {
                synchronized (Tls.class) {
                    c = context;
                    if (c == null) {
                        c = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                                .endpointIdentificationAlgorithm("HTTPS").build();
                        context = c;
                    }
                }
            }
            return c;
        }
    }
}
