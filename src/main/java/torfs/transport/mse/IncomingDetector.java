package torfs.transport.mse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * First on an incoming connection: tells a plaintext BitTorrent handshake (19, "BitTorrent
 * protocol") from an MSE one (a DH key, random-looking) by at most its first 20 bytes, then
 * leaves: plaintext goes straight to the wire decoder, anything else to an
 * {@link MseResponder} put in its place. What the mode does not allow is closed.
 */
public final class IncomingDetector extends ChannelInboundHandlerAdapter {
    private static final byte[] PLAINTEXT = ("\u0013BitTorrent protocol").getBytes(StandardCharsets.ISO_8859_1);
    private static final System.Logger LOG = System.getLogger(IncomingDetector.class.getName());

    private final Encryption mode;
    private final Supplier<? extends Iterable<byte[]>> skeys;
    private ByteBuf seen = Unpooled.buffer(PLAINTEXT.length);

    public IncomingDetector(Encryption mode, Supplier<? extends Iterable<byte[]>> skeys) {
        this.mode = mode;
        this.skeys = skeys;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (seen == null || !(msg instanceof ByteBuf b)) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        seen.writeBytes(b);
        b.release();
        Boolean plain = verdict(seen);
        if (plain == null) {
            return; // a prefix of the plaintext handshake so far
        }
        ByteBuf all = seen;
        seen = null;
        if (plain ? !mode.allowsPlaintext() : !mode.allowsEncrypted()) {
            LOG.log(System.Logger.Level.DEBUG, "{0} connection from {1} refused: encryption {2}",
                    plain ? "plaintext" : "encrypted", ctx.channel().remoteAddress(), mode);
            all.release();
            ctx.close();
            return;
        }
        if (plain) {
            ctx.pipeline().remove(this);
        } else {
            ctx.pipeline().replace(this, MseHandshake.NAME, new MseResponder(mode, skeys));
        }
        ctx.fireChannelRead(all); // to the wire decoder, or to the responder now in our place
    }

    /** True: plaintext; false: encrypted; null: cannot tell yet. */
    static Boolean verdict(ByteBuf b) {
        int n = Math.min(b.readableBytes(), PLAINTEXT.length);
        for (int k = 0; k < n; k++) {
            if (b.getByte(b.readerIndex() + k) != PLAINTEXT[k]) {
                return false;
            }
        }
        return n == PLAINTEXT.length ? Boolean.TRUE : null;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (seen != null) {
            seen.release();
            seen = null;
        }
    }
}
