package torfs.control;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * One HTTP connection of the control server: the API's routes through {@link ControlApi}, and
 * on the web listener also the page's assets and its event stream. The API is answered on a
 * worker thread (adding a torrent may block), the answer written back on the event loop.
 */
final class ControlHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final System.Logger LOG = System.getLogger(ControlHandler.class.getName());
    private final ControlApi api;
    private final ExecutorService worker;
    private final String token;
    private final boolean web;

    ControlHandler(ControlApi api, ExecutorService worker, String token, boolean web) {
        this.api = api;
        this.worker = worker;
        this.token = token;
        this.web = web;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            send(ctx, ControlApi.error(400, "bad request"));
            return;
        }
        String method = req.method().name();
        String uri = req.uri();
        QueryStringDecoder q = new QueryStringDecoder(uri);
        if (token != null && !authorised(req, q)) {
            send(ctx, ControlApi.error(401, "a token is needed: ?token=... or Authorization: Bearer ..."));
            return;
        }
        if (web && token == null && !fromThisPage(req, method)) {
            send(ctx, ControlApi.error(403, "refused: the status page answers its own page on loopback only"
                    + " (open it as http://127.0.0.1:" + localPort(ctx) + "/)"));
            return;
        }
        String path = q.path();
        if (web && method.equals("GET") && !path.startsWith("/api/")) {
            WebAssets.Asset a = WebAssets.get(path);
            if (a == null) {
                send(ctx, ControlApi.error(404, "no such page"));
            } else {
                sendBytes(ctx, 200, a.contentType(), a.bytes());
            }
            return;
        }
        if (web && method.equals("GET") && path.equals("/api/events")) {
            EventStream.start(ctx, api, worker);
            return;
        }
        String body = req.content().toString(StandardCharsets.UTF_8);
        String apiUri = token == null ? uri : stripToken(q);
        worker.execute(() -> {
            ControlApi.Response r;
            try {
                r = api.handle(method, apiUri, body);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, method + " " + path + " failed: " + e);
                r = ControlApi.error(500, String.valueOf(e.getMessage()));
            }
            ControlApi.Response answer = r;
            ctx.executor().execute(() -> send(ctx, answer));
        });
    }

    /** A token-less page on loopback: see {@link LoopbackOrigin}. */
    private static boolean fromThisPage(FullHttpRequest req, String method) {
        String host = req.headers().get(HttpHeaderNames.HOST);
        if (!LoopbackOrigin.hostAllowed(host)) {
            return false;
        }
        boolean changes = !method.equals("GET") && !method.equals("HEAD");
        return !changes || LoopbackOrigin.originAllowed(req.headers().get(HttpHeaderNames.ORIGIN),
                req.headers().get(HttpHeaderNames.REFERER), host);
    }

    private static int localPort(ChannelHandlerContext ctx) {
        return ctx.channel().localAddress() instanceof java.net.InetSocketAddress a ? a.getPort() : -1;
    }

    private boolean authorised(FullHttpRequest req, QueryStringDecoder q) {
        String given = null;
        List<String> t = q.parameters().get("token");
        if (t != null && !t.isEmpty()) {
            given = t.get(0);
        }
        String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (auth != null && auth.startsWith("Bearer ")) {
            given = auth.substring(7).trim();
        }
        // compared in constant time: the token is the only secret between the page and the world
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    private static String stripToken(QueryStringDecoder q) {
        StringBuilder b = new StringBuilder(q.rawPath());
        char sep = '?';
        for (var e : q.parameters().entrySet()) {
            if (e.getKey().equals("token")) {
                continue;
            }
            for (String v : e.getValue()) {
                b.append(sep).append(java.net.URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                        .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8));
                sep = '&';
            }
        }
        return b.toString();
    }

    static void send(ChannelHandlerContext ctx, ControlApi.Response r) {
        sendBytes(ctx, r.status(), "application/json; charset=utf-8", (r.json() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void sendBytes(ChannelHandlerContext ctx, int status, String type, byte[] body) {
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, type)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "control connection", cause);
        ctx.close();
    }
}
