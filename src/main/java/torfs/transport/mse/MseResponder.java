package torfs.transport.mse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The receiving side (B) of an MSE handshake, in front of the wire decoder of an incoming
 * connection that did not start with a plaintext BitTorrent handshake:
 * <pre>
 * A->B  Ya PadA | HASH('req1',S) | HASH('req2',SKEY) xor HASH('req3',S)
 *       | RC4a(VC crypto_provide len(PadC) PadC len(IA)) RC4a(IA)
 * B->A  Yb PadB | RC4b(VC crypto_select len(PadD) PadD) ...
 * </pre>
 * SKEY is the info-hash of one of our torrents: each is tried. IA (A's BitTorrent handshake)
 * and everything after go on to the wire decoder, decrypted.
 */
public final class MseResponder extends MseHandshake {
    private enum State { YA, REQ1, SKEY, VC, PAD_C, IA }

    private final Encryption mode;
    private final Supplier<? extends Iterable<byte[]>> skeys;
    private final DiffieHellman dh;
    private State state = State.YA;
    private byte[] secret;
    private byte[] req1;
    private Rc4 decrypt;
    private Rc4 encrypt;
    private int select;
    private int padC;
    private int ia;

    /**
     * @param mode  which methods we accept (PREFER or REQUIRE)
     * @param skeys the info-hashes of our torrents, asked once per connection
     */
    public MseResponder(Encryption mode, Supplier<? extends Iterable<byte[]>> skeys) {
        this(mode, skeys, DiffieHellman.random());
    }

    MseResponder(Encryption mode, Supplier<? extends Iterable<byte[]>> skeys, DiffieHellman dh) {
        if (!mode.allowsEncrypted()) {
            throw new IllegalArgumentException("encryption is disabled");
        }
        this.mode = mode;
        this.skeys = skeys;
        this.dh = dh;
    }

    @Override
    void advance(ChannelHandlerContext ctx) {
        while (in != null && !finished()) {
            switch (state) {
                case YA -> {
                    if (in.readableBytes() < DiffieHellman.KEY_BYTES) {
                        return;
                    }
                    byte[] ya = new byte[DiffieHellman.KEY_BYTES];
                    in.readBytes(ya);
                    secret = dh.secret(ya);
                    req1 = MseKeys.req1(secret);
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(dh.publicKey(), pad()));
                    state = State.REQ1;
                }
                case REQ1 -> {
                    // A's PadA (at most 512 bytes) comes before req1's hash
                    int at = indexOf(in, req1, MAX_PAD + req1.length);
                    if (at < 0) {
                        if (in.readableBytes() >= MAX_PAD + req1.length) {
                            throw new MseException("no req1 within " + (MAX_PAD + req1.length) + " bytes");
                        }
                        return;
                    }
                    in.skipBytes(at + req1.length);
                    state = State.SKEY;
                }
                case SKEY -> {
                    if (in.readableBytes() < 20) {
                        return;
                    }
                    byte[] got = new byte[20];
                    in.readBytes(got);
                    byte[] skey = findSkey(got);
                    decrypt = MseKeys.cipherA(secret, skey);
                    encrypt = MseKeys.cipherB(secret, skey);
                    state = State.VC;
                }
                case VC -> {
                    if (in.readableBytes() < 8 + 4 + 2) {
                        return;
                    }
                    ByteBuf b = readDecrypted(in, 14, decrypt);
                    try {
                        if (b.readLong() != 0) {
                            throw new MseException("bad VC");
                        }
                        select = mode.select(b.readInt());
                        padC = b.readUnsignedShort();
                    } finally {
                        b.release();
                    }
                    if (padC > MAX_PAD) {
                        throw new MseException("PadC of " + padC + " bytes");
                    }
                    state = State.PAD_C;
                }
                case PAD_C -> {
                    if (in.readableBytes() < padC + 2) {
                        return;
                    }
                    ByteBuf b = readDecrypted(in, padC + 2, decrypt);
                    ia = b.getUnsignedShort(padC);
                    b.release();
                    ByteBuf answer = ctx.alloc().buffer(8 + 4 + 2);
                    answer.writeLong(0).writeInt(select).writeShort(0); // VC, crypto_select, no PadD
                    encrypt.cryptInPlace(answer);
                    ctx.writeAndFlush(answer);
                    state = State.IA;
                }
                case IA -> {
                    if (select == Encryption.RC4) {
                        finish(ctx, encrypt, decrypt); // IA is just the start of the RC4 stream
                        return;
                    }
                    // plaintext chosen: IA is still encrypted, what follows it is not
                    if (in.readableBytes() < ia) {
                        return;
                    }
                    decrypt.crypt(in, in.readerIndex(), ia);
                    finish(ctx, null, null);
                    return;
                }
            }
        }
    }

    private byte[] findSkey(byte[] got) {
        byte[] req3 = MseKeys.req3(secret);
        for (int k = 0; k < got.length; k++) {
            got[k] ^= req3[k];
        }
        for (byte[] skey : skeys.get()) {
            if (Arrays.equals(MseKeys.req2(skey), got)) {
                return skey;
            }
        }
        throw new MseException("SKEY names none of our torrents");
    }
}
