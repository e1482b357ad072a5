package torfs.transport.mse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;

/** Test helpers: moving bytes between two embedded channels, and a peer's messages built by hand. */
final class MsePeers {
    static final byte[] HASH = MseKeysTest.bytes(20, 1);
    static final byte[] OTHER_HASH = MseKeysTest.bytes(20, 2);
    static final BigInteger X = new BigInteger("abcdef0123456789abcdef0123456789abcdef01", 16);

    private MsePeers() {
    }

    /** Moves written bytes across until neither side has anything more to say. */
    static void pump(EmbeddedChannel a, EmbeddedChannel b) {
        for (boolean moved = true; moved; ) {
            moved = move(a, b) | move(b, a);
        }
    }

    private static boolean move(EmbeddedChannel from, EmbeddedChannel to) {
        boolean moved = false;
        for (Object o; (o = from.readOutbound()) != null; ) {
            moved = true;
            if (to.isOpen()) {
                to.writeInbound(o);
            } else {
                ((ByteBuf) o).release();
            }
        }
        return moved;
    }

    /** All bytes the channel wrote so far. */
    static byte[] written(EmbeddedChannel ch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            byte[] x = new byte[b.readableBytes()];
            b.readBytes(x);
            b.release();
            out.writeBytes(x);
        }
        return out.toByteArray();
    }

    /** All bytes the channel passed on to the handlers behind. */
    static byte[] read(EmbeddedChannel ch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object o; (o = ch.readInbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            byte[] x = new byte[b.readableBytes()];
            b.readBytes(x);
            b.release();
            out.writeBytes(x);
        }
        return out.toByteArray();
    }

    static ByteBuf buf(byte[]... parts) {
        return Unpooled.wrappedBuffer(MseKeysTest.concat(parts));
    }

    /** A hand-made initiator: knows its DH key and derives everything from B's key. */
    static final class ScriptedInitiator {
        final DiffieHellman dh = new DiffieHellman(X);
        byte[] secret;
        Rc4 encrypt;
        Rc4 decrypt;

        byte[] ya() {
            return dh.publicKey();
        }

        void heard(byte[] yb, byte[] skey) {
            secret = dh.secret(yb);
            encrypt = MseKeys.cipherA(secret, skey);
            decrypt = MseKeys.cipherB(secret, skey);
        }

        /** Step 3 after req1 and req2^req3: the encrypted VC, provide, PadC, IA. */
        byte[] step3(byte[] vc, int provide, byte[] padC, int padCLength, byte[] ia) {
            ByteBuffer p = ByteBuffer.allocate(vc.length + 4 + 2 + padC.length + 2 + ia.length);
            p.put(vc).putInt(provide).putShort((short) padCLength).put(padC).putShort((short) ia.length).put(ia);
            byte[] b = p.array();
            encrypt.crypt(b, 0, b.length);
            return b;
        }
    }
}
