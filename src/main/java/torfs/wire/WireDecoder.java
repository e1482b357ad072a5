package torfs.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.Arrays;
import java.util.List;
import torfs.metainfo.InfoHash;

/**
 * Turns the byte stream of one peer connection into a {@link Handshake} followed by
 * {@link PeerMessage}s. Every length is checked before anything is buffered: a frame longer
 * than {@link #MAX_FRAME} closes the connection at once (a 4 GiB prefix costs nothing), as
 * does a known message whose length does not fit its type. Unknown message ids are skipped
 * and surfaced as {@link PeerMessage.Unknown}; the peer layer decides (it disconnects as
 * libtorrent does, except for the BEP 52 hash messages 21-23, which it ignores).
 */
public final class WireDecoder extends ByteToMessageDecoder {
    /** The biggest frame we accept: a 1 MiB payload plus the largest header (piece: 13). */
    public static final int MAX_FRAME = (1 << 20) + 13;
    /** A piece message carries at most one 16 KiB block: id, index, begin and the block. */
    public static final int MAX_PIECE_FRAME = 9 + 16 * 1024;

    private boolean handshakeDone;
    private boolean broken;

    /** @param expectHandshake false to decode messages only (tests, or after a handshake elsewhere) */
    public WireDecoder(boolean expectHandshake) {
        this.handshakeDone = !expectHandshake;
    }

    public WireDecoder() {
        this(true);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            if (!handshakeDone) {
                decodeHandshake(in, out);
            } else {
                decodeMessage(in, out);
            }
        } catch (WireException e) {
            broken = true;
            in.skipBytes(in.readableBytes());
            ctx.fireExceptionCaught(e);
            ctx.close();
        }
    }

    private void decodeHandshake(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        if (in.readableBytes() >= 1 && in.getUnsignedByte(start) != Handshake.PROTOCOL.length) {
            throw new WireException("not a BitTorrent handshake");
        }
        if (in.readableBytes() < Handshake.LENGTH) {
            return;
        }
        byte[] protocol = new byte[Handshake.PROTOCOL.length];
        in.getBytes(start + 1, protocol);
        if (!Arrays.equals(protocol, Handshake.PROTOCOL)) {
            throw new WireException("not a BitTorrent handshake");
        }
        in.skipBytes(1 + protocol.length);
        byte[] reserved = new byte[8];
        byte[] hash = new byte[InfoHash.LENGTH];
        byte[] peerId = new byte[20];
        in.readBytes(reserved).readBytes(hash).readBytes(peerId);
        handshakeDone = true;
        out.add(new Handshake(reserved, InfoHash.of(hash), peerId));
    }

    private void decodeMessage(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 4) {
            return;
        }
        int start = in.readerIndex();
        long length = in.getUnsignedInt(start);
        if (length > MAX_FRAME) {
            throw new WireException("frame of " + length + " bytes exceeds " + MAX_FRAME);
        }
        if (length == 0) {
            in.skipBytes(4);
            out.add(PeerMessage.KeepAlive.INSTANCE);
            return;
        }
        int len = (int) length;
        if (in.readableBytes() >= 5 && in.getUnsignedByte(start + 4) == PeerMessage.PIECE
                && len > MAX_PIECE_FRAME) {
            // we never request more than one 16 KiB block: do not buffer a bigger one
            throw new WireException("piece frame of " + len + " bytes exceeds " + MAX_PIECE_FRAME);
        }
        if (in.readableBytes() < 4 + len) {
            return; // wait for the rest of the frame
        }
        int id = in.getUnsignedByte(start + 4);
        in.skipBytes(5);
        int payload = len - 1;
        out.add(parse(id, payload, in));
    }

    private static PeerMessage parse(int id, int payload, ByteBuf in) {
        switch (id) {
            case PeerMessage.CHOKE:
                expect(id, payload, 0);
                return PeerMessage.Choke.INSTANCE;
            case PeerMessage.UNCHOKE:
                expect(id, payload, 0);
                return PeerMessage.Unchoke.INSTANCE;
            case PeerMessage.INTERESTED:
                expect(id, payload, 0);
                return PeerMessage.Interested.INSTANCE;
            case PeerMessage.NOT_INTERESTED:
                expect(id, payload, 0);
                return PeerMessage.NotInterested.INSTANCE;
            case PeerMessage.HAVE:
                expect(id, payload, 4);
                return new PeerMessage.Have(in.readInt());
            case PeerMessage.BITFIELD: {
                byte[] bits = new byte[payload];
                in.readBytes(bits);
                return new PeerMessage.BitfieldMsg(bits);
            }
            case PeerMessage.REQUEST:
                expect(id, payload, 12);
                return new PeerMessage.Request(in.readInt(), in.readInt(), in.readInt());
            case PeerMessage.PIECE: {
                if (payload < 8) {
                    throw new WireException("piece message of " + payload + " bytes");
                }
                int piece = in.readInt();
                int begin = in.readInt();
                return new PeerMessage.Piece(piece, begin, in.readRetainedSlice(payload - 8));
            }
            case PeerMessage.CANCEL:
                expect(id, payload, 12);
                return new PeerMessage.Cancel(in.readInt(), in.readInt(), in.readInt());
            case PeerMessage.PORT:
                expect(id, payload, 2);
                return new PeerMessage.Port(in.readUnsignedShort());
            case PeerMessage.SUGGEST:
                expect(id, payload, 4);
                return new PeerMessage.Suggest(in.readInt());
            case PeerMessage.HAVE_ALL:
                expect(id, payload, 0);
                return PeerMessage.HaveAll.INSTANCE;
            case PeerMessage.HAVE_NONE:
                expect(id, payload, 0);
                return PeerMessage.HaveNone.INSTANCE;
            case PeerMessage.REJECT:
                expect(id, payload, 12);
                return new PeerMessage.Reject(in.readInt(), in.readInt(), in.readInt());
            case PeerMessage.ALLOWED_FAST:
                expect(id, payload, 4);
                return new PeerMessage.AllowedFast(in.readInt());
            case PeerMessage.EXTENDED: {
                if (payload < 1) {
                    throw new WireException("extended message without an id");
                }
                int extId = in.readUnsignedByte();
                byte[] body = new byte[payload - 1];
                in.readBytes(body);
                return new PeerMessage.Extended(extId, body);
            }
            default:
                in.skipBytes(payload);
                return new PeerMessage.Unknown(id, payload);
        }
    }

    private static void expect(int id, int payload, int expected) {
        if (payload != expected) {
            throw new WireException("message " + id + " has " + payload + " payload bytes, expected "
                    + expected);
        }
    }
}
