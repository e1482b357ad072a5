package torfs.transport.mse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;

/**
 * The dialling side (A) of an MSE handshake, in front of the wire codecs of an outgoing
 * connection (see {@link MseResponder} for the exchange). The BitTorrent handshake the
 * handlers behind write first travels as IA; the rest waits until B has chosen the method.
 */
public final class MseInitiator extends MseHandshake {
    /** Set on a channel whose encrypted attempt failed and is being retried in plaintext. */
    private static final AttributeKey<Boolean> RETRIED = AttributeKey.valueOf("torfs.mse.retriedInPlaintext");

    private enum State { YB, VC, SELECT, PAD_D }

    private final Encryption mode;
    private final byte[] skey;
    private final Runnable retryInPlaintext;
    private final DiffieHellman dh;
    private State state = State.YB;
    private Rc4 encrypt;
    private Rc4 decrypt;
    /** B's VC as it looks encrypted: what A synchronises on. */
    private byte[] vc;
    private int select;
    private int padD;

    /**
     * One throwaway key exchange's arithmetic and RC4 set-up, for a start-up's spare thread: a
     * fresh JVM's first handshake otherwise spends ~0.1 s in cold BigInteger code, on the loop,
     * between a peer's connection and its first request.
     */
    public static void warmUp() {
        DiffieHellman a = DiffieHellman.random();
        DiffieHellman b = DiffieHellman.random();
        byte[] secret = a.secret(b.publicKey());
        MseKeys.req2xor3(new byte[20], secret);
        MseKeys.cipherA(secret, new byte[20]);
    }

    /**
     * @param mode             PREFER (offer RC4 and plaintext) or REQUIRE (RC4 only)
     * @param skey             the info-hash of the torrent we dial for
     * @param retryInPlaintext run when the connection ends before the handshake completed, or
     *                         null for no retry (see {@link #retriedInPlaintext})
     */
    public MseInitiator(Encryption mode, byte[] skey, Runnable retryInPlaintext) {
        this(mode, skey, retryInPlaintext, DiffieHellman.random());
    }

    MseInitiator(Encryption mode, byte[] skey, Runnable retryInPlaintext, DiffieHellman dh) {
        if (!mode.allowsEncrypted()) {
            throw new IllegalArgumentException("encryption is disabled");
        }
        this.mode = mode;
        this.skey = skey.clone();
        this.retryInPlaintext = retryInPlaintext;
        this.dh = dh;
    }

    /** True when this channel's failure is not the end: it is being retried in plaintext. */
    public static boolean retriedInPlaintext(Channel ch) {
        return Boolean.TRUE.equals(ch.attr(RETRIED).get());
    }

    @Override
    void started(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(dh.publicKey(), pad()));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!finished() && retryInPlaintext != null) {
            ctx.channel().attr(RETRIED).set(true); // before the handlers behind hear of it
            retryInPlaintext.run();
        }
        ctx.fireChannelInactive();
    }

    @Override
    void advance(ChannelHandlerContext ctx) {
        while (in != null && !finished()) {
            switch (state) {
                case YB -> {
                    if (in.readableBytes() < DiffieHellman.KEY_BYTES) {
                        return;
                    }
                    byte[] yb = new byte[DiffieHellman.KEY_BYTES];
                    in.readBytes(yb);
                    byte[] secret = dh.secret(yb);
                    encrypt = MseKeys.cipherA(secret, skey);
                    decrypt = MseKeys.cipherB(secret, skey);
                    vc = decrypt.copy().keystream(8);
                    sendRequest(ctx, secret);
                    state = State.VC;
                }
                case VC -> {
                    int at = indexOf(in, vc, MAX_PAD + vc.length); // after B's PadB
                    if (at < 0) {
                        if (in.readableBytes() >= MAX_PAD + vc.length) {
                            throw new MseException("no VC within " + (MAX_PAD + vc.length) + " bytes");
                        }
                        return;
                    }
                    in.skipBytes(at);
                    readDecrypted(in, 8, decrypt).release();
                    state = State.SELECT;
                }
                case SELECT -> {
                    if (in.readableBytes() < 4 + 2) {
                        return;
                    }
                    ByteBuf b = readDecrypted(in, 6, decrypt);
                    select = b.readInt();
                    padD = b.readUnsignedShort();
                    b.release();
                    if ((select != Encryption.RC4 && select != Encryption.PLAINTEXT) || (select & mode.provide()) == 0) {
                        throw new MseException("peer selected crypto " + select + ", we offered " + mode.provide());
                    }
                    if (padD > MAX_PAD) {
                        throw new MseException("PadD of " + padD + " bytes");
                    }
                    state = State.PAD_D;
                }
                case PAD_D -> {
                    if (in.readableBytes() < padD) {
                        return;
                    }
                    readDecrypted(in, padD, decrypt).release();
                    if (select == Encryption.RC4) {
                        finish(ctx, encrypt, decrypt);
                    } else {
                        finish(ctx, null, null);
                    }
                    return;
                }
            }
        }
    }

    /** Step 3: req1, req2 xor req3, then RC4a(VC, crypto_provide, len(PadC)=0, len(IA), IA). */
    private void sendRequest(ChannelHandlerContext ctx, byte[] secret) {
        ChannelPromise sent = ctx.newPromise();
        ByteBuf ia = takeHeld(ctx, 0xffff, sent);
        ByteBuf plain = ctx.alloc().buffer(40);
        plain.writeBytes(MseKeys.req1(secret)).writeBytes(MseKeys.req2xor3(skey, secret));
        ByteBuf secret3 = ctx.alloc().buffer(8 + 4 + 2 + 2 + ia.readableBytes());
        secret3.writeLong(0).writeInt(mode.provide()).writeShort(0).writeShort(ia.readableBytes()).writeBytes(ia);
        ia.release();
        encrypt.cryptInPlace(secret3);
        ctx.write(plain);
        ctx.writeAndFlush(secret3, sent);
    }
}
