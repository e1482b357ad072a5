package torfs.transport.mse;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

/**
 * An encrypted connection after its MSE handshake: every byte read is decrypted in place (the
 * socket's buffers are ours alone), every byte written is encrypted into a fresh buffer (a
 * block being uploaded may be shared with other peers, so it is never changed), each direction
 * by a {@link BulkCipher} continuing the handshake's keystream.
 */
final class Rc4Codec extends ChannelDuplexHandler {
    private final BulkCipher encrypt;
    private final BulkCipher decrypt;

    /** Continues the handshake's two keystreams. */
    Rc4Codec(Rc4 encrypt, Rc4 decrypt) {
        this.encrypt = BulkCipher.continuing(encrypt);
        this.decrypt = BulkCipher.continuing(decrypt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            decrypt.crypt(b, b.readerIndex(), b.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf src)) {
            ReferenceCountUtil.release(msg);
            promise.setFailure(new IllegalArgumentException("cannot encrypt " + msg.getClass().getName()));
            return;
        }
        ctx.write(encrypted(ctx, src, encrypt), promise);
    }

    /** A new buffer holding {@code src} encrypted; {@code src} is released. */
    static ByteBuf encrypted(ChannelHandlerContext ctx, ByteBuf src, BulkCipher cipher) {
        try {
            ByteBuf out = ctx.alloc().directBuffer(src.readableBytes());
            cipher.cryptInto(src, out);
            return out;
        } finally {
            src.release();
        }
    }
}
