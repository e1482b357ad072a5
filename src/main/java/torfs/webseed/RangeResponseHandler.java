package torfs.webseed;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One keep-alive HTTP connection to a web seed, carrying one {@link RangeGet} at a time. The
 * body is copied straight into the request's buffer, never more than was asked: a 206 must name
 * exactly the range asked; a 200 (a server that ignores Range) is taken only when it carries a
 * small whole file, of which the asked part is kept. Anything unexpected ends the request and
 * the connection (its stream position is then unknown).
 */
final class RangeResponseHandler extends ChannelInboundHandlerAdapter {
    /** A 200 carrying a whole file is read only up to this size; a larger one drops the seed. */
    static final long SMALL_WHOLE_FILE = 1 << 20;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");

    /** Told when the connection is free for the next request, or gone. */
    interface Owner {
        void idle(RangeResponseHandler h);

        void closed(RangeResponseHandler h);
    }

    private final Owner owner;
    private ChannelHandlerContext ctx;
    private RangeGet current;
    /** Body bytes of the current response seen so far. */
    private long bodySeen;
    /** Where in the body the asked range starts (0 for a 206; the file offset for a 200). */
    private long skip;
    /** The most body bytes this response may carry: the range for a 206, the file for a 200. */
    private long bodyLimit;
    private boolean keepAlive;
    /** Set once the headers were accepted; the body then counts. */
    private boolean reading;
    /** Nanos of the last progress, for the pool's timeout check. */
    long lastProgress = System.nanoTime();

    RangeResponseHandler(Owner owner) {
        this.owner = owner;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    boolean busy() {
        return current != null;
    }

    boolean isOpen() {
        return ctx != null && ctx.channel().isActive();
    }

    /** Sends the request; the connection must be idle. */
    void send(RangeGet get) {
        current = get;
        bodySeen = 0;
        reading = false;
        lastProgress = System.nanoTime();
        URI u = get.uri;
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        if (u.getRawQuery() != null) {
            path += "?" + u.getRawQuery();
        }
        var req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
        req.headers().set(HttpHeaderNames.HOST, u.getPort() > 0 ? u.getHost() + ":" + u.getPort() : u.getHost());
        req.headers().set(HttpHeaderNames.USER_AGENT, "TorFS");
        req.headers().set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.IDENTITY);
        req.headers().set(HttpHeaderNames.RANGE, get.rangeHeader());
        ctx.writeAndFlush(req);
    }

    /** Ends the current request with {@code o} and closes the connection. */
    void fail(Outcome o) {
        RangeGet g = current;
        current = null;
        ctx.close();
        if (g != null) {
            g.finish(o);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (current == null) {
                return; // bytes after a finished request: the close that follows ends it
            }
            lastProgress = System.nanoTime();
            if (msg instanceof HttpResponse r) {
                onHead(r);
            }
            if (current != null && reading && msg instanceof HttpContent c) {
                onBody(c.content());
                if (current != null && msg instanceof LastHttpContent) {
                    onEnd();
                }
            }
        } finally {
            io.netty.util.ReferenceCountUtil.release(msg);
        }
    }

    private void onHead(HttpResponse r) {
        if (r.decoderResult().isFailure()) {
            fail(new Outcome.Retry("malformed HTTP reply"));
            return;
        }
        RangeGet g = current;
        int status = r.status().code();
        keepAlive = HttpUtil.isKeepAlive(r);
        long contentLength = HttpUtil.getContentLength(r, -1L);
        if (status == 206) {
            Matcher m = CONTENT_RANGE.matcher(String.valueOf(r.headers().get(HttpHeaderNames.CONTENT_RANGE)));
            if (!m.matches() || Long.parseLong(m.group(1)) != g.fileOffset
                    || Long.parseLong(m.group(2)) != g.fileOffset + g.length - 1
                    || (contentLength >= 0 && contentLength != g.length)) {
                fail(new Outcome.Drop("answered another range than " + g.rangeHeader()));
                return;
            }
            skip = 0;
            bodyLimit = g.length;
            reading = true;
        } else if (status == 200) {
            long whole = contentLength >= 0 ? contentLength : g.fileLength;
            boolean wholeAsked = g.fileOffset == 0 && g.length == g.fileLength;
            if (whole != g.fileLength || (!wholeAsked && whole > SMALL_WHOLE_FILE)) {
                fail(new Outcome.Drop("ignores Range requests (a 200 of " + whole + " bytes)"));
                return;
            }
            skip = g.fileOffset;
            bodyLimit = g.fileLength;
            reading = true;
        } else if (status >= 300 && status < 400 && r.headers().contains(HttpHeaderNames.LOCATION)) {
            try {
                fail(new Outcome.Redirect(g.uri.resolve(r.headers().get(HttpHeaderNames.LOCATION))));
            } catch (IllegalArgumentException e) {
                fail(new Outcome.Drop("bad redirect: " + e.getMessage()));
            }
        } else if (status >= 500 || status == 429 || status == 408) {
            fail(new Outcome.Retry("HTTP " + status));
        } else {
            fail(new Outcome.Drop("HTTP " + status + " for " + g.uri));
        }
    }

    private void onBody(ByteBuf content) {
        RangeGet g = current;
        int n = content.readableBytes();
        long from = Math.max(bodySeen, skip);
        long to = Math.min(bodySeen + n, skip + g.length);
        if (to > from) {
            content.getBytes(content.readerIndex() + (int) (from - bodySeen), g.target,
                    g.at + (int) (from - skip), (int) (to - from));
        }
        bodySeen += n;
        if (bodySeen > bodyLimit) {
            fail(new Outcome.Drop("sent more than the " + bodyLimit + " bytes it announced"));
        }
    }

    private void onEnd() {
        RangeGet g = current;
        if (bodySeen < skip + g.length) {
            fail(new Outcome.Retry("short body: " + bodySeen + " bytes"));
            return;
        }
        current = null;
        if (keepAlive) {
            owner.idle(this);
        } else {
            ctx.close();
        }
        g.finish(Outcome.DONE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String m = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (Tls.isHandshakeFailure(cause)) {
            fail(new Outcome.Drop("TLS: " + Tls.describe(cause))); // a certificate we do not trust will not change
        } else {
            fail(new Outcome.Retry("connection failed: " + m));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        RangeGet g = current;
        current = null;
        if (g != null) {
            g.finish(new Outcome.Retry("connection closed"));
        }
        owner.closed(this);
    }
}
