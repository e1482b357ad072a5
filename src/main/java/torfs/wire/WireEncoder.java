package torfs.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes a {@link Handshake} or {@link PeerMessage}. A piece goes out as a 13-byte header plus
 * the block buffer itself, never copied. Stateless, so one instance serves every channel.
 */
@ChannelHandler.Sharable
public final class WireEncoder extends MessageToMessageEncoder<Object> {
    public static final WireEncoder INSTANCE = new WireEncoder();

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof PeerMessage || msg instanceof Handshake;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        if (msg instanceof Handshake h) {
            ByteBuf b = ctx.alloc().buffer(Handshake.LENGTH);
            b.writeByte(Handshake.PROTOCOL.length).writeBytes(Handshake.PROTOCOL)
                    .writeBytes(h.reserved()).writeBytes(h.infoHash().bytes()).writeBytes(h.peerId());
            out.add(b);
            return;
        }
        if (msg instanceof PeerMessage.Piece p) {
            ByteBuf header = ctx.alloc().buffer(13);
            header.writeInt(9 + p.data().readableBytes()).writeByte(PeerMessage.PIECE)
                    .writeInt(p.piece()).writeInt(p.begin());
            out.add(header);
            out.add(p.data().retain()); // the encoder releases the message after encode
            return;
        }
        out.add(encodeSmall(ctx, (PeerMessage) msg));
    }

    /** Every message but a piece, as one buffer. */
    static ByteBuf encodeSmall(ChannelHandlerContext ctx, PeerMessage msg) {
        if (msg instanceof PeerMessage.KeepAlive) {
            return ctx.alloc().buffer(4).writeInt(0);
        }
        if (msg instanceof PeerMessage.Choke) {
            return bare(ctx, PeerMessage.CHOKE);
        }
        if (msg instanceof PeerMessage.Unchoke) {
            return bare(ctx, PeerMessage.UNCHOKE);
        }
        if (msg instanceof PeerMessage.Interested) {
            return bare(ctx, PeerMessage.INTERESTED);
        }
        if (msg instanceof PeerMessage.NotInterested) {
            return bare(ctx, PeerMessage.NOT_INTERESTED);
        }
        if (msg instanceof PeerMessage.HaveAll) {
            return bare(ctx, PeerMessage.HAVE_ALL);
        }
        if (msg instanceof PeerMessage.HaveNone) {
            return bare(ctx, PeerMessage.HAVE_NONE);
        }
        if (msg instanceof PeerMessage.Have m) {
            return oneInt(ctx, PeerMessage.HAVE, m.piece());
        }
        if (msg instanceof PeerMessage.Suggest m) {
            return oneInt(ctx, PeerMessage.SUGGEST, m.piece());
        }
        if (msg instanceof PeerMessage.AllowedFast m) {
            return oneInt(ctx, PeerMessage.ALLOWED_FAST, m.piece());
        }
        if (msg instanceof PeerMessage.Request m) {
            return threeInts(ctx, PeerMessage.REQUEST, m.piece(), m.begin(), m.length());
        }
        if (msg instanceof PeerMessage.Cancel m) {
            return threeInts(ctx, PeerMessage.CANCEL, m.piece(), m.begin(), m.length());
        }
        if (msg instanceof PeerMessage.Reject m) {
            return threeInts(ctx, PeerMessage.REJECT, m.piece(), m.begin(), m.length());
        }
        if (msg instanceof PeerMessage.BitfieldMsg m) {
            return ctx.alloc().buffer(5 + m.bits().length).writeInt(1 + m.bits().length)
                    .writeByte(PeerMessage.BITFIELD).writeBytes(m.bits());
        }
        if (msg instanceof PeerMessage.Port m) {
            return ctx.alloc().buffer(7).writeInt(3).writeByte(PeerMessage.PORT).writeShort(m.port());
        }
        if (msg instanceof PeerMessage.Extended m) {
            return ctx.alloc().buffer(6 + m.payload().length).writeInt(2 + m.payload().length)
                    .writeByte(PeerMessage.EXTENDED).writeByte(m.extId()).writeBytes(m.payload());
        }
        throw new IllegalArgumentException("cannot send " + msg);
    }

    private static ByteBuf bare(ChannelHandlerContext ctx, byte id) {
        return ctx.alloc().buffer(5).writeInt(1).writeByte(id);
    }

    private static ByteBuf oneInt(ChannelHandlerContext ctx, byte id, int value) {
        return ctx.alloc().buffer(9).writeInt(5).writeByte(id).writeInt(value);
    }

    private static ByteBuf threeInts(ChannelHandlerContext ctx, byte id, int a, int b, int c) {
        return ctx.alloc().buffer(17).writeInt(13).writeByte(id).writeInt(a).writeInt(b).writeInt(c);
    }
}
