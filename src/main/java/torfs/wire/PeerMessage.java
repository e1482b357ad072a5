package torfs.wire;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * Every message of the peer wire protocol after the handshake: BEP 3 core, BEP 6 fast
 * extension, BEP 10 extension protocol, and the DHT port message (BEP 5).
 * Only {@link Piece} holds a buffer; it is reference-counted and whoever receives it releases
 * it (Netty does so for writes).
 */
public sealed interface PeerMessage {
    /** Message ids on the wire. */
    byte CHOKE = 0, UNCHOKE = 1, INTERESTED = 2, NOT_INTERESTED = 3, HAVE = 4, BITFIELD = 5,
            REQUEST = 6, PIECE = 7, CANCEL = 8, PORT = 9, SUGGEST = 13, HAVE_ALL = 14,
            HAVE_NONE = 15, REJECT = 16, ALLOWED_FAST = 17, EXTENDED = 20;

    /** True for BEP 6 messages, which may only be sent to a peer that set the fast bit. */
    default boolean isFast() {
        return false;
    }

    record KeepAlive() implements PeerMessage {
        public static final KeepAlive INSTANCE = new KeepAlive();
    }

    record Choke() implements PeerMessage {
        public static final Choke INSTANCE = new Choke();
    }

    record Unchoke() implements PeerMessage {
        public static final Unchoke INSTANCE = new Unchoke();
    }

    record Interested() implements PeerMessage {
        public static final Interested INSTANCE = new Interested();
    }

    record NotInterested() implements PeerMessage {
        public static final NotInterested INSTANCE = new NotInterested();
    }

    record Have(int piece) implements PeerMessage {
    }

    /** The raw wire bytes; their length and spare bits are checked by the peer, which knows the piece count. */
    record BitfieldMsg(byte[] bits) implements PeerMessage {
    }

    record Request(int piece, int begin, int length) implements PeerMessage {
    }

    record Cancel(int piece, int begin, int length) implements PeerMessage {
    }

    /** A block: {@code data} is a retained slice of the received bytes, or the bytes to send. */
    record Piece(int piece, int begin, ByteBuf data) implements PeerMessage, ReferenceCounted {
        @Override
        public int refCnt() {
            return data.refCnt();
        }

        @Override
        public Piece retain() {
            data.retain();
            return this;
        }

        @Override
        public Piece retain(int increment) {
            data.retain(increment);
            return this;
        }

        @Override
        public Piece touch() {
            data.touch();
            return this;
        }

        @Override
        public Piece touch(Object hint) {
            data.touch(hint);
            return this;
        }

        @Override
        public boolean release() {
            return data.release();
        }

        @Override
        public boolean release(int decrement) {
            return data.release(decrement);
        }
    }

    /** The UDP port of the sender's DHT node (BEP 5). */
    record Port(int port) implements PeerMessage {
    }

    record Suggest(int piece) implements PeerMessage {
        @Override
        public boolean isFast() {
            return true;
        }
    }

    record HaveAll() implements PeerMessage {
        public static final HaveAll INSTANCE = new HaveAll();

        @Override
        public boolean isFast() {
            return true;
        }
    }

    record HaveNone() implements PeerMessage {
        public static final HaveNone INSTANCE = new HaveNone();

        @Override
        public boolean isFast() {
            return true;
        }
    }

    record Reject(int piece, int begin, int length) implements PeerMessage {
        @Override
        public boolean isFast() {
            return true;
        }
    }

    record AllowedFast(int piece) implements PeerMessage {
        @Override
        public boolean isFast() {
            return true;
        }
    }

    /** BEP 10: extended message {@code extId} (0 is the extension handshake) with its raw payload. */
    record Extended(int extId, byte[] payload) implements PeerMessage {
    }

    /** A message id we do not know; its payload was skipped. */
    record Unknown(int id, int length) implements PeerMessage {
    }
}
