package torfs.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import torfs.tracker.Transports;

/** Two endpoints on 127.0.0.1: bencoded datagrams go to the KRPC handler, the rest to the other one. */
class UdpEndpointTest {
    private final EventLoopGroup group = Transports.newEventLoopGroup(1);
    private final UdpEndpoint a = UdpEndpoint.bind(group, new InetSocketAddress("127.0.0.1", 0));
    private final UdpEndpoint b = UdpEndpoint.bind(group, new InetSocketAddress("127.0.0.1", 0));

    @AfterEach
    void close() {
        a.close();
        b.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void demultiplexesByFirstByte() throws Exception {
        BlockingQueue<String> krpc = new LinkedBlockingQueue<>();
        BlockingQueue<String> other = new LinkedBlockingQueue<>();
        b.onKrpc((from, buf) -> krpc.add(from.getPort() + " " + new String(ByteBufUtil.getBytes(buf))));
        b.onOther((from, buf) -> other.add(new String(ByteBufUtil.getBytes(buf))));
        a.send(b.localAddress(), Unpooled.copiedBuffer("d1:y1:qe".getBytes()));
        a.send(b.localAddress(), Unpooled.copiedBuffer("\u0041utp".getBytes()));
        assertThat(krpc.poll(5, TimeUnit.SECONDS)).isEqualTo(a.localAddress().getPort() + " d1:y1:qe");
        assertThat(other.poll(5, TimeUnit.SECONDS)).isEqualTo("Autp");
    }

    @Test
    void utpHeadersGoToTheUtpHandlerOnceOneIsRegistered() throws Exception {
        BlockingQueue<String> utp = new LinkedBlockingQueue<>();
        BlockingQueue<Integer> other = new LinkedBlockingQueue<>();
        b.onUtp((from, buf) -> utp.add(Integer.toHexString(buf.getByte(buf.readerIndex()) & 0xff)));
        b.onOther((from, buf) -> other.add(buf.getByte(buf.readerIndex()) & 0xff));
        byte[] syn = new byte[20];
        syn[0] = 0x41; // SYN, version 1
        byte[] trackerReply = new byte[20]; // action 0: first byte 0x00, version nibble 0
        byte[] shortOne = {0x41, 0};
        a.send(b.localAddress(), Unpooled.wrappedBuffer(syn));
        a.send(b.localAddress(), Unpooled.wrappedBuffer(trackerReply));
        a.send(b.localAddress(), Unpooled.wrappedBuffer(shortOne));
        assertThat(utp.poll(5, TimeUnit.SECONDS)).isEqualTo("41");
        assertThat(other.poll(5, TimeUnit.SECONDS)).isEqualTo(0);
        assertThat(other.poll(5, TimeUnit.SECONDS)).isEqualTo(0x41);
        assertThat(utp).isEmpty();
    }

    @Test
    void withoutAnOtherHandlerNonKrpcIsDroppedAndOversizeNeverDelivered() throws Exception {
        BlockingQueue<Integer> krpc = new LinkedBlockingQueue<>();
        b.onKrpc((from, buf) -> krpc.add(buf.readableBytes()));
        a.send(b.localAddress(), Unpooled.copiedBuffer(new byte[] {1, 2, 3}));
        byte[] big = new byte[4000];
        big[0] = 'd';
        a.send(b.localAddress(), Unpooled.wrappedBuffer(big));
        a.send(b.localAddress(), Unpooled.copiedBuffer("de".getBytes()));
        assertThat(krpc.poll(5, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(krpc.poll(200, TimeUnit.MILLISECONDS)).isNull();
        assertThat(b.eventLoop().submit(b::truncatedDrops).get()).isEqualTo(1);
    }

    @Test
    void aThrowingHandlerDoesNotCloseTheSocket() throws Exception {
        BlockingQueue<Integer> seen = new LinkedBlockingQueue<>();
        b.onKrpc((from, buf) -> {
            seen.add(1);
            throw new IllegalStateException("handler bug");
        });
        a.send(b.localAddress(), Unpooled.copiedBuffer("de".getBytes()));
        a.send(b.localAddress(), Unpooled.copiedBuffer("de".getBytes()));
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo(1);
    }
}
