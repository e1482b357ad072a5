package torfs.transport.utp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UtpConnectionTest {
    private static final long SECOND = 1_000_000;
    private static final long CAPACITY = 256 * 1024;

    /** A host that only records what the connection sends. */
    static final class Wire implements UtpConnection.Host {
        final List<Packet> sent = new ArrayList<>();
        String closedWith = "open";
        int acksOwed;

        @Override
        public void send(Packet p) {
            sent.add(p);
        }

        @Override
        public void ackOwed() {
            acksOwed++;
        }

        @Override
        public void closed(String reason) {
            closedWith = reason;
        }

        Packet last() {
            return sent.get(sent.size() - 1);
        }
    }

    /** One end of a test pair: writes its outbox as the send buffer allows, reads everything at once. */
    static final class App implements UtpConnection.Host {
        final ScriptedNetwork net;
        UtpConnection conn;
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] outbox = new byte[0];
        int written;
        boolean reading = true;
        boolean closeWhenSent;
        boolean connected;
        String closedWith = "open";

        App(ScriptedNetwork net) {
            this.net = net;
        }

        void pump() {
            while (conn != null && !conn.isClosed() && conn.isConnected() && written < outbox.length
                    && conn.pendingBytes() < conn.sendBufferLimit()) {
                int n = Math.min(16 * 1024, outbox.length - written);
                written += n;
                conn.write(Arrays.copyOfRange(outbox, written - n, written), net.now());
            }
            if (closeWhenSent && written == outbox.length && conn != null && conn.isConnected()) {
                conn.close(net.now());
            }
        }

        void drain() {
            byte[] b;
            while (reading && conn != null && (b = conn.poll(net.now())) != null) {
                got.writeBytes(b);
            }
        }

        @Override
        public void send(Packet p) {
            throw new AssertionError("sent through the network's host");
        }

        @Override
        public void connected() {
            connected = true;
            pump();
        }

        @Override
        public void readable() {
            drain();
        }

        @Override
        public void writable() {
            pump();
        }

        @Override
        public void closed(String reason) {
            closedWith = reason;
        }
    }

    /** A dialler (side 0) and the end that accepts its SYN (side 1) on one scripted network. */
    static final class Pair {
        final ScriptedNetwork net;
        final App dialer;
        final App acceptor;

        Pair(long seed, int acceptorSeq) {
            net = new ScriptedNetwork(seed);
            dialer = new App(net);
            acceptor = new App(net);
            net.attach(0, new ScriptedNetwork.End() {
                @Override
                public void deliver(Packet p, long now) {
                    dialer.conn.receive(p, now);
                }

                @Override
                public void tick(long now) {
                    dialer.conn.tick(now);
                    dialer.pump();
                }
            });
            net.attach(1, new ScriptedNetwork.End() {
                @Override
                public void deliver(Packet p, long now) {
                    if (acceptor.conn == null && p.type() == PacketType.SYN) {
                        acceptor.conn = UtpConnection.accepting(p, now, CAPACITY, net.hostFor(1, acceptor), acceptorSeq);
                        acceptor.connected = true;
                        acceptor.pump();
                    } else if (acceptor.conn != null) {
                        acceptor.conn.receive(p, now);
                    }
                }

                @Override
                public void tick(long now) {
                    if (acceptor.conn != null) {
                        acceptor.conn.tick(now);
                        acceptor.pump();
                    }
                }
            });
        }

        void dial(int recvId) {
            dialer.conn = UtpConnection.dialing(recvId, net.now(), CAPACITY, net.hostFor(0, dialer));
        }

        boolean bothClosed() {
            return dialer.conn.isClosed() && acceptor.conn != null && acceptor.conn.isClosed();
        }
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void handshakeUsesConnectionIdsOneApart() {
        Pair pair = new Pair(1, 30_000);
        pair.dial(1000);
        pair.dialer.outbox = "hello".getBytes();
        assertThat(pair.net.runUntil(() -> pair.acceptor.got.size() == 5, 5 * SECOND)).isTrue();
        List<Packet> log = pair.net.log;
        assertThat(log.get(0)).extracting(Packet::type, Packet::connectionId, Packet::seqNr)
                .containsExactly(PacketType.SYN, 1000, 1);
        assertThat(log.get(1)).extracting(Packet::type, Packet::connectionId, Packet::seqNr, Packet::ackNr)
                .containsExactly(PacketType.STATE, 1000, 30_000, 1);
        assertThat(log.get(2)).extracting(Packet::type, Packet::connectionId, Packet::seqNr, Packet::ackNr)
                .containsExactly(PacketType.DATA, 1001, 2, 29_999);
        assertThat(pair.dialer.conn.recvId()).isEqualTo(1000);
        assertThat(pair.acceptor.conn.recvId()).isEqualTo(1001);
    }

    @Test
    void twoMegabytesArriveIntactUnderFivePercentLossReorderingAndDuplicates() {
        Pair pair = new Pair(42, 12_345);
        pair.net.loss = 0.05;
        pair.net.duplication = 0.02;
        pair.net.jitterMicros = 20_000; // packets overtake each other
        byte[] data = randomBytes(2 << 20, 7);
        pair.dialer.outbox = data;
        pair.dialer.closeWhenSent = true;
        pair.acceptor.closeWhenSent = true; // closes once it has nothing more to send (right after the peer's FIN)
        pair.dial(77);
        long start = pair.net.now();
        boolean done = pair.net.runUntil(pair::bothClosed, 600 * SECOND);
        System.out.printf("2 MiB at 5%% loss: %d packets sent, %d dropped, %.1f s of fake time%n",
                pair.net.sent, pair.net.dropped, (pair.net.now() - start) / 1e6);
        assertThat(done).isTrue();
        assertThat(Arrays.equals(pair.acceptor.got.toByteArray(), data)).as("bytes intact").isTrue();
        assertThat(pair.dialer.closedWith).isNull();
        assertThat(pair.acceptor.closedWith).isNull();
    }

    @Test
    void bothDirectionsAtOnceAcrossTheWrapUnderTenPercentLoss() {
        Pair pair = new Pair(99, 65_000);
        pair.net.loss = 0.10;
        pair.net.duplication = 0.05;
        pair.net.jitterMicros = 30_000;
        byte[] up = randomBytes(1 << 20, 1);
        byte[] down = randomBytes(1 << 20, 2);
        pair.dialer.outbox = up;
        pair.acceptor.outbox = down;
        pair.dialer.closeWhenSent = true;
        pair.acceptor.closeWhenSent = true;
        pair.dial(65_535); // the dialler sends with id 0
        boolean done = pair.net.runUntil(pair::bothClosed, 900 * SECOND);
        System.out.printf("1 MiB each way at 10%% loss: %d packets sent, %d dropped%n", pair.net.sent, pair.net.dropped);
        assertThat(done).isTrue();
        assertThat(Arrays.equals(pair.acceptor.got.toByteArray(), up)).as("upload intact").isTrue();
        assertThat(Arrays.equals(pair.dialer.got.toByteArray(), down)).as("download intact").isTrue();
        assertThat(pair.net.log.get(1).connectionId()).isEqualTo(65_535);
        assertThat(pair.net.log.stream().filter(p -> p.type() == PacketType.DATA && p.connectionId() == 0)).isNotEmpty();
    }

    @Test
    void sequenceNumbersWrapAroundMidTransfer() {
        Pair pair = new Pair(3, 65_500);
        byte[] data = randomBytes(300_000, 8); // ~215 packets from the acceptor: 65500 -> past 0
        pair.acceptor.outbox = data;
        pair.dial(5);
        assertThat(pair.net.runUntil(() -> pair.dialer.got.size() == data.length, 60 * SECOND)).isTrue();
        assertThat(Arrays.equals(pair.dialer.got.toByteArray(), data)).as("bytes intact").isTrue();
        assertThat(pair.net.log.stream().filter(p -> p.type() == PacketType.DATA).mapToInt(Packet::seqNr))
                .contains(65_535, 0, 1);
    }

    @Test
    void finHandshakeClosesBothEndsCleanly() {
        Pair pair = new Pair(4, 100);
        pair.dialer.outbox = "bye".getBytes();
        pair.dialer.closeWhenSent = true;
        pair.acceptor.closeWhenSent = true;
        pair.dial(9);
        assertThat(pair.net.runUntil(pair::bothClosed, 10 * SECOND)).isTrue();
        assertThat(pair.acceptor.got.toString()).isEqualTo("bye");
        assertThat(pair.dialer.conn.atEndOfStream()).isTrue();
        assertThat(pair.net.log.stream().filter(p -> p.type() == PacketType.FIN)).hasSize(2);
        assertThat(pair.dialer.closedWith).isNull();
    }

    @Test
    void aReceiverThatStopsReadingStopsTheSenderAtItsWindow() {
        Pair pair = new Pair(5, 100);
        byte[] data = randomBytes(1 << 20, 9);
        pair.dialer.outbox = data;
        pair.acceptor.reading = false;
        pair.dial(11);
        pair.net.runUntil(() -> false, 10 * SECOND);
        long dataPackets = pair.net.log.stream().filter(p -> p.type() == PacketType.DATA).count();
        pair.net.runUntil(() -> false, 20 * SECOND);
        assertThat(pair.dialer.written).isLessThan(data.length);
        assertThat(pair.acceptor.conn.receivedBytesHeld()).isLessThanOrEqualTo(CAPACITY + UtpConnection.MAX_PAYLOAD);
        assertThat(pair.net.log.stream().filter(p -> p.type() == PacketType.DATA).count() - dataPackets)
                .as("only zero-window probes while the window is shut").isLessThanOrEqualTo(10);
        assertThat(pair.dialer.conn.isClosed()).as("a peer answering probes is alive").isFalse();
        pair.acceptor.reading = true;
        pair.acceptor.drain();
        assertThat(pair.net.runUntil(() -> pair.acceptor.got.size() == data.length, 60 * SECOND)).isTrue();
        assertThat(Arrays.equals(pair.acceptor.got.toByteArray(), data)).as("bytes intact").isTrue();
    }

    @Test
    void timeoutsDoubleAndEndTheDial() {
        Wire wire = new Wire();
        UtpConnection c = UtpConnection.dialing(1, 0, CAPACITY, wire);
        List<Long> resentAt = new ArrayList<>();
        for (long t = 0; t <= 30 * SECOND && !c.isClosed(); t += 10_000) {
            int before = wire.sent.size();
            c.tick(t);
            if (wire.sent.size() > before) {
                resentAt.add(t / 10_000 * 10);
            }
        }
        // SYN at 0, again after 1 s, 2 s and 4 s; the fourth timeout ends the dial
        assertThat(resentAt).containsExactly(1000L, 3000L, 7000L);
        assertThat(wire.closedWith).isEqualTo("connect timed out");
    }

    @Test
    void threeDuplicateAcksResendTheOldestPacket() {
        Wire wire = new Wire();
        UtpConnection c = connected(wire, 500);
        c.write(new byte[5 * UtpConnection.MAX_PAYLOAD], 0);
        List<Packet> data = wire.sent.stream().filter(p -> p.type() == PacketType.DATA).toList();
        assertThat(data).hasSizeGreaterThanOrEqualTo(4);
        int first = data.get(0).seqNr();
        int sentBefore = wire.sent.size();
        for (int i = 0; i < 3; i++) {
            c.receive(ack(Seq.add(first, -1), null, 1 << 20), 10_000 + i);
        }
        assertThat(wire.sent.subList(sentBefore, wire.sent.size())).extracting(Packet::seqNr).contains(first);
    }

    @Test
    void aSelectiveAckShowingThreeLaterPacketsResendsTheHole() {
        Wire wire = new Wire();
        UtpConnection c = connected(wire, 500);
        c.write(new byte[5 * UtpConnection.MAX_PAYLOAD], 0);
        int first = wire.sent.stream().filter(p -> p.type() == PacketType.DATA).findFirst().orElseThrow().seqNr();
        int sentBefore = wire.sent.size();
        // first is missing; bits 0-2 (ack + 2 = first + 1 onwards): three later packets arrived
        c.receive(ack(first - 1 + 0, new byte[] {0b0111, 0, 0, 0}, 1 << 20), 10_000);
        assertThat(wire.sent.subList(sentBefore, wire.sent.size())).extracting(Packet::seqNr).contains(first);
    }

    @Test
    void aTimeoutResendsTheHolesWhoseFastResendWasLostTooNotOneATimeout() {
        Wire wire = new Wire();
        UtpConnection c = connected(wire, 500);
        for (int i = 0; i < 10; i++) {
            c.write(new byte[17], 0); // ten requests, a packet each
        }
        int first = wire.sent.stream().filter(p -> p.type() == PacketType.DATA).findFirst().orElseThrow().seqNr();
        // the peer has first+4 .. first+9 (bits 3-8: ack + 2 = first + 1 is bit 0)
        c.receive(ack(Seq.add(first, -1), new byte[] {(byte) 0xf8, 0x01, 0, 0}, 1 << 20), 10_000);
        // first .. first+3 were resent at once; say those copies were lost too: the timeout
        // sends all four again (small packets: they fit the one-packet window), none of the rest
        int beforeTimeout = wire.sent.size();
        c.tick(3_000_000);
        assertThat(wire.sent.subList(beforeTimeout, wire.sent.size())).extracting(Packet::seqNr)
                .containsExactly(first, Seq.add(first, 1), Seq.add(first, 2), Seq.add(first, 3));
    }

    @Test
    void aBurstLostWholeIsResentOldestFirstAsTheAcksReturnAfterATimeout() {
        Wire wire = new Wire();
        UtpConnection c = connected(wire, 500);
        c.write(new byte[4 * UtpConnection.MAX_PAYLOAD], 0); // four full packets, all lost, no selective ACK
        List<Integer> data = wire.sent.stream().filter(p -> p.type() == PacketType.DATA).map(Packet::seqNr).toList();
        assertThat(data).hasSize(4);
        int before = wire.sent.size();
        c.tick(1_100_000); // the first timeout (1 s before any sample): a one-packet window
        assertThat(wire.sent.subList(before, wire.sent.size())).extracting(Packet::seqNr).containsExactly(data.get(0));
        before = wire.sent.size();
        c.receive(ack(data.get(0), null, 1 << 20), 1_110_000); // it arrived: the next goes at once
        assertThat(wire.sent.subList(before, wire.sent.size())).extracting(Packet::seqNr).contains(data.get(1));
        assertThat(c.pendingBytes()).isEqualTo(3L * UtpConnection.MAX_PAYLOAD);
    }

    @Test
    void deferredAcksAnswerABatchOfInOrderDataOnceAndAGapAtOnce() {
        Wire wire = new Wire();
        UtpConnection c = connected(wire, 500);
        c.deferAcks(true);
        int before = wire.sent.size();
        c.receive(data(2), 10);
        c.receive(data(3), 20);
        assertThat(wire.sent).as("no ack per packet").hasSize(before);
        assertThat(wire.acksOwed).as("the batch's end is asked for once").isEqualTo(1);
        c.sendOwedAck(30);
        assertThat(wire.sent).hasSize(before + 1);
        assertThat(wire.last()).extracting(Packet::type, Packet::ackNr).containsExactly(PacketType.STATE, 3);
        c.sendOwedAck(40);
        assertThat(wire.sent).as("owed once, sent once").hasSize(before + 1);
        c.receive(data(5), 50); // 4 is missing: the selective ACK goes at once
        assertThat(wire.sent).hasSize(before + 2);
        assertThat(wire.last().ackNr()).isEqualTo(3);
        assertThat(wire.last().selectiveAck()).isNotNull();
    }

    @Test
    void hostilePacketsAreDroppedWithoutHarm() {
        Wire wire = new Wire();
        UtpConnection c = connected(wire, 500);
        long cwnd = c.congestionWindow();
        int before = wire.sent.size();
        c.receive(ack(40_000, null, 1 << 20), 10); // acks data never sent
        assertThat(wire.sent).hasSize(before);
        c.receive(ack(499, null, 0xffffffffL), 20); // a 4 GiB window
        c.write(new byte[64 * 1024], 30);
        long inFlight = wire.sent.stream().filter(p -> p.type() == PacketType.DATA)
                .mapToLong(p -> p.payload().length).sum();
        assertThat(inFlight).as("LEDBAT's window still bounds what is sent").isLessThanOrEqualTo(cwnd);
        c.receive(new Packet(PacketType.DATA, 101, 0, 0, 0, 12_000, 499, null, new byte[10]), 40); // far ahead
        c.receive(new Packet(PacketType.RESET, 101, 0, 0, 0, 0, 0, null, null), 50);
        assertThat(c.isClosed()).isTrue();
        assertThat(wire.closedWith).isEqualTo("reset by peer");
    }

    @Test
    void aRepeatedSynIsAnsweredWithTheFirstSequenceNumber() {
        Wire wire = new Wire();
        UtpConnection c = connected(wire, 500);
        c.write(new byte[3 * UtpConnection.MAX_PAYLOAD], 0); // 500, 501, 502 go out
        c.receive(new Packet(PacketType.SYN, 100, 0, 0, 1 << 20, 1, 0, null, null), 10);
        // the dialler missed our first STATE: this one tells it our data starts at 500, not 503
        assertThat(wire.last()).extracting(Packet::type, Packet::seqNr, Packet::ackNr)
                .containsExactly(PacketType.STATE, 500, 1);
    }

    /** An accepted connection whose first sequence number is {@code seq}; the SYN came with id 100. */
    private static UtpConnection connected(Wire wire, int seq) {
        Packet syn = new Packet(PacketType.SYN, 100, 0, 0, 1 << 20, 1, 0, null, null);
        return UtpConnection.accepting(syn, 0, CAPACITY, wire, seq);
    }

    /** The dialler's data packet {@code seq} (its SYN was 1), acking nothing of ours. */
    private static Packet data(int seq) {
        return new Packet(PacketType.DATA, 101, 0, 0, 1 << 20, seq, 499, null, new byte[100]);
    }

    private static Packet ack(int ackNr, byte[] sack, long window) {
        return new Packet(PacketType.STATE, 101, 0, 0, window, 2, ackNr, sack, null);
    }
}
