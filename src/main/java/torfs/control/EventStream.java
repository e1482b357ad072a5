package torfs.control;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /api/events}: server-sent events, one {@code status} event a second carrying
 * the answer of {@code GET /api/status}, until the page goes away. A slow reader is skipped
 * (no event is queued while the previous one is still unwritten), so a stalled browser costs
 * one event's memory, not a growing queue.
 */
final class EventStream {
    static final long PERIOD_MS = 1000;

    private EventStream() {
    }

    static void start(ChannelHandlerContext ctx, ControlApi api, ExecutorService worker) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        HttpUtil.setTransferEncodingChunked(head, true);
        ctx.writeAndFlush(head);
        AtomicBoolean busy = new AtomicBoolean();
        ScheduledFuture<?> tick = ctx.executor().scheduleAtFixedRate(() -> {
            if (!ctx.channel().isActive() || !ctx.channel().isWritable() || !busy.compareAndSet(false, true)) {
                return;
            }
            worker.execute(() -> {
                String json;
                try {
                    json = api.handle("GET", "/api/status", "").json();
                } catch (RuntimeException e) {
                    busy.set(false);
                    return;
                }
                byte[] event = ("event: status\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
                ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(event)))
                        .addListener(f -> busy.set(false));
            });
        }, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
        ctx.channel().closeFuture().addListener(f -> tick.cancel(false));
    }
}
