package torfs.transport.mse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What both sides of an MSE handshake share: the bytes read so far (bounded by the spec's
 * windows: each side closes rather than buffer past them), writes from the handlers behind
 * held until the method is known, a timeout for the whole exchange, and the hand-over to
 * {@link Rc4Codec} (or to nothing, for plaintext) with the bytes already read passed on.
 */
abstract class MseHandshake extends ChannelDuplexHandler {
    static final String NAME = "mse";
    /** The most padding the spec allows anywhere (PadA..PadD). */
    static final int MAX_PAD = 512;
    static final long TIMEOUT_SECONDS = 10;
    private static final System.Logger LOG = System.getLogger(MseHandshake.class.getName());

    /** Bytes read and not yet consumed; null once this handler has left the pipeline. */
    ByteBuf in;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private ScheduledFuture<?> timeout;
    private boolean finished;

    /** A write from the handlers behind, waiting for the method to be known. */
    private record Held(Object msg, ChannelPromise promise) {
    }

    /** Consumes what it can of {@link #in}; throws {@link MseException} on a protocol error. */
    abstract void advance(ChannelHandlerContext ctx);

    /** Called when the channel is active (or already was when this handler was added). */
    void started(ChannelHandlerContext ctx) {
    }

    boolean finished() {
        return finished;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        in = Unpooled.buffer(256);
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        if (timeout != null) {
            return;
        }
        timeout = ctx.executor().schedule(() -> {
            if (!finished) {
                LOG.log(System.Logger.Level.DEBUG, "encryption handshake timed out with {0}", ctx.channel().remoteAddress());
                ctx.close();
            }
        }, TIMEOUT_SECONDS, TimeUnit.SECONDS);
        started(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (in != null) {
            in.release();
            in = null;
        }
        for (Held w; (w = held.poll()) != null; ) {
            ReferenceCountUtil.release(w.msg());
            w.promise().tryFailure(new MseException("connection closed during encryption handshake"));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (in == null || finished) { // a read after we closed or handed over
            ctx.fireChannelRead(msg);
            return;
        }
        if (!(msg instanceof ByteBuf b)) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        try {
            in.writeBytes(b);
        } finally {
            b.release();
        }
        try {
            advance(ctx);
        } catch (MseException e) {
            LOG.log(System.Logger.Level.DEBUG, "encryption handshake with {0} failed: {1}",
                    ctx.channel().remoteAddress(), e.getMessage());
            if (in != null) {
                in.skipBytes(in.readableBytes());
            }
            ctx.close();
        }
    }

    /** Writes from behind wait until the method is known; then {@link #finish} sends them. */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (finished) {
            ctx.write(msg, promise);
            return;
        }
        held.add(new Held(msg, promise));
    }

    /** Takes the bytes written so far, for the initiator's IA; their promises succeed with {@code sent}. */
    ByteBuf takeHeld(ChannelHandlerContext ctx, int max, ChannelPromise sent) {
        ByteBuf out = ctx.alloc().buffer();
        while (!held.isEmpty() && held.peek().msg() instanceof ByteBuf b && out.readableBytes() + b.readableBytes() <= max) {
            ChannelPromise p = held.poll().promise();
            out.writeBytes(b);
            b.release();
            sent.addListener(f -> {
                if (f.isSuccess()) {
                    p.trySuccess();
                } else {
                    p.tryFailure(f.cause());
                }
            });
        }
        return out;
    }

    /**
     * The handshake is over: this handler leaves, an {@link Rc4Codec} takes its place when
     * {@code encrypt} is not null, held writes go out through it and the unread bytes go on
     * (decrypted by it).
     */
    void finish(ChannelHandlerContext ctx, Rc4 encrypt, Rc4 decrypt) {
        finished = true;
        ByteBuf rest = in.readBytes(in.readableBytes());
        in.release();
        in = null;
        java.util.List<Held> writes = new java.util.ArrayList<>(held);
        held.clear(); // before handlerRemoved, which would fail them
        if (encrypt != null) {
            // the old context's next and prev now point at the codec: writes and reads through it
            ctx.pipeline().replace(this, NAME, new Rc4Codec(encrypt, decrypt));
        } else {
            ctx.pipeline().remove(this);
        }
        for (Held w : writes) {
            ctx.write(w.msg(), w.promise());
        }
        ctx.flush();
        if (rest.isReadable()) {
            ctx.fireChannelRead(rest);
        } else {
            rest.release();
        }
    }

    /** Random padding of 0..512 random bytes. */
    static byte[] pad() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        byte[] p = new byte[r.nextInt(MAX_PAD + 1)];
        r.nextBytes(p);
        return p;
    }

    /** Where {@code marker} starts among the first {@code window} readable bytes of {@code in}, or -1. */
    static int indexOf(ByteBuf in, byte[] marker, int window) {
        int base = in.readerIndex();
        int last = Math.min(in.readableBytes(), window) - marker.length;
        outer:
        for (int k = 0; k <= last; k++) {
            for (int m = 0; m < marker.length; m++) {
                if (in.getByte(base + k + m) != marker[m]) {
                    continue outer;
                }
            }
            return k;
        }
        return -1;
    }

    /** The next {@code n} bytes of {@code in}, decrypted with {@code cipher}. */
    static ByteBuf readDecrypted(ByteBuf in, int n, Rc4 cipher) {
        ByteBuf b = in.readBytes(n);
        cipher.cryptInPlace(b);
        return b;
    }
}
