package torfs.transport.utp;

import java.util.ArrayDeque;

/**
 * One uTP connection (BEP 29) as a pure state machine: packets in through {@link #receive},
 * time in through {@link #tick}, application bytes through {@link #write} and {@link #poll};
 * packets out and events through its {@link Host}. No sockets, threads or clocks of its own,
 * so tests drive it with a scripted network and a fake clock.
 *
 * <p>It tracks: the connection ids (we receive on {@code recvId}, send with {@code sendId},
 * one apart as the BEP says), our next sequence number and the packets sent but not acked
 * (retransmitted on timeout, after three duplicate acks, or when a selective ACK shows three
 * later packets arrived), the receive buffer, the round-trip timer, LEDBAT's window against the
 * peer's advertised one, and the FIN each way.
 */
public final class UtpConnection {
    /** Payload per packet: fits a 1500-byte MTU with IPv6, UDP and uTP headers. */
    public static final int MAX_PAYLOAD = 1400;
    static final long KEEPALIVE_MICROS = 29_000_000;
    /** Silence after which the peer is taken for gone (it keeps alive every 29 s). */
    static final long IDLE_LIMIT_MICROS = 120_000_000;
    static final int MAX_TIMEOUTS = 6;
    static final long LINGER_MICROS = 10_000_000;
    static final int MAX_SYN_TIMEOUTS = 3;
    private static final long MASK32 = 0xffffffffL;

    /** Where packets go and what the application hears. Called synchronously from the connection's methods. */
    public interface Host {
        void send(Packet p);

        default void connected() {
        }

        /** Bytes (or the peer's end of stream) can be polled. */
        default void readable() {
        }

        /** The send buffer drained below its low mark. */
        default void writable() {
        }

        /** The connection ended: {@code reason} is null for a clean close. */
        default void closed(String reason) {
        }

        /**
         * With deferred acks on, in-order data arrived and its ack waits: call
         * {@link #sendOwedAck} once the batch of datagrams being read is done.
         */
        default void ackOwed() {
        }
    }

    enum State { SYN_SENT, CONNECTED, CLOSED }

    private static final class Sent {
        final PacketType type;
        final int seq;
        final byte[] payload;
        long sentAt;
        int transmissions;
        boolean acked;
        boolean fastResent;
        /** Taken as lost at a timeout: out of the window until it is sent again. */
        boolean needResend;

        Sent(PacketType type, int seq, byte[] payload) {
            this.type = type;
            this.seq = seq;
            this.payload = payload;
        }
    }

    private final Host host;
    private final int recvId;
    private final int sendId;
    private final long sendBufferLimit;
    private final ReceiveBuffer received;
    private final RoundTripTimer timer = new RoundTripTimer();
    private final BaseDelay baseDelay = new BaseDelay();
    private final Ledbat ledbat = new Ledbat(4L * MAX_PAYLOAD);
    private final ArrayDeque<byte[]> toSend = new ArrayDeque<>();
    private final ArrayDeque<Sent> unacked = new ArrayDeque<>();
    private State state;
    private int seqNr;
    private long queuedBytes;
    private long inFlightBytes;
    /** Bytes of packets waiting to be sent again after a timeout (not in flight). */
    private long resendBytes;
    private int resendCount;
    private long peerWindow = MAX_PAYLOAD;
    private long replyMicros;
    private long ourDelay;
    private int duplicateAcks;
    private int lossRecoverySeq;
    private int timeouts;
    private long timeoutAt;
    private long lastTimeoutAt;
    private long closedAt;
    private long lastSendAt;
    private long lastReceiveAt;
    private long windowAdvertised;
    private boolean closing;
    /** Acks of in-order data wait for the end of the read batch (libtorrent's "socket drained"). */
    private boolean deferAcks;
    private boolean ackOwed;
    private boolean finSent;
    private int finSeq;
    private boolean eofReported;
    private boolean wasFull;
    private boolean closedCleanly;
    private boolean dialing;
    private boolean established;
    private final long openedAt;
    private final int initialSeq;
    private long finAckedAt = -1;

    private UtpConnection(Host host, int recvId, int sendId, int seqNr, int ackNr, long receiveCapacity,
            long now, State state) {
        this.host = host;
        this.recvId = recvId;
        this.sendId = sendId;
        this.seqNr = seqNr;
        this.received = new ReceiveBuffer(ackNr, receiveCapacity);
        this.sendBufferLimit = receiveCapacity;
        this.state = state;
        this.lossRecoverySeq = Seq.add(seqNr, -1);
        this.lastSendAt = now;
        this.lastReceiveAt = now;
        this.openedAt = now;
        this.initialSeq = seqNr;
    }

    /** Dials: sends a SYN with {@code recvId} (a random id; we send with recvId + 1). */
    public static UtpConnection dialing(int recvId, long now, long receiveCapacity, Host host) {
        UtpConnection c = new UtpConnection(host, recvId & Seq.MASK, Seq.add(recvId, 1), 1, 0, receiveCapacity, now,
                State.SYN_SENT);
        c.dialing = true;
        c.transmit(c.enqueue(PacketType.SYN, new byte[0]), now);
        return c;
    }

    /** Answers a SYN: we receive on its id + 1, send with its id, and ack it at once. */
    public static UtpConnection accepting(Packet syn, long now, long receiveCapacity, Host host, int initialSeq) {
        UtpConnection c = new UtpConnection(host, Seq.add(syn.connectionId(), 1), syn.connectionId(),
                initialSeq & Seq.MASK, syn.seqNr(), receiveCapacity, now, State.CONNECTED);
        c.noteTimestamps(syn, now);
        c.peerWindow = Math.min(syn.windowSize(), Ledbat.MAX_WINDOW);
        c.sendState(now);
        return c;
    }

    public int recvId() {
        return recvId;
    }

    /**
     * One ack for a batch of in-order packets instead of one each: half the datagrams and the
     * sender's work. Gaps, FINs and a reopened window are still answered at once.
     */
    public void deferAcks(boolean on) {
        deferAcks = on;
    }

    /** Sends the ack {@link Host#ackOwed} announced, unless a packet sent since carried it. */
    public void sendOwedAck(long now) {
        if (ackOwed) {
            ackOwed = false;
            if (state == State.CONNECTED) {
                sendState(now);
            }
        }
    }

    int sendId() {
        return sendId;
    }

    /** Whether we dialled (rather than answered a SYN). */
    boolean isDialing() {
        return dialing;
    }

    /** Whether the peer said anything beyond its SYN (or answered ours): not half-open any more. */
    boolean established() {
        return established;
    }

    long openedAt() {
        return openedAt;
    }

    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    public boolean isClosed() {
        return state == State.CLOSED;
    }

    /** Bytes written and not yet acked: the send buffer the channel's writability follows. */
    public long pendingBytes() {
        return queuedBytes + inFlightBytes + resendBytes;
    }

    public long sendBufferLimit() {
        return sendBufferLimit;
    }

    long congestionWindow() {
        return ledbat.window();
    }

    long timeoutMicros() {
        return timer.timeoutMicros();
    }

    /** Queues application bytes; they go out as the windows allow. */
    public void write(byte[] data, long now) {
        if (state == State.CLOSED || closing || data.length == 0) {
            return;
        }
        toSend.add(data);
        queuedBytes += data.length;
        if (state == State.CONNECTED) {
            sendWhatFits(now);
        }
    }

    /** The next in-order bytes received, or null. */
    public byte[] poll(long now) {
        byte[] b = received.poll();
        if (b != null && state == State.CONNECTED && windowAdvertised < MAX_PAYLOAD
                && received.window() >= MAX_PAYLOAD) {
            sendState(now); // the window reopened: tell the peer, or it waits for a timeout
        }
        return b;
    }

    /** Whether the peer closed and every byte before its FIN has been polled. */
    public boolean atEndOfStream() {
        return received.eof() && received.readyBytes() == 0;
    }

    /** Sends what is queued, then a FIN; the connection ends when the FIN is acked. */
    public void close(long now) {
        if (state == State.CLOSED || closing) {
            return;
        }
        closing = true;
        if (state == State.SYN_SENT) {
            end(null);
            return;
        }
        sendWhatFits(now);
    }

    /** Ends at once with a RESET to the peer. */
    public void reset(long now) {
        if (state == State.CLOSED) {
            return;
        }
        host.send(header(PacketType.RESET, seqNr, now, null));
        end("reset");
    }

    public void receive(Packet p, long now) {
        if (state == State.CLOSED) {
            if (closedCleanly && (p.type() == PacketType.FIN || p.type() == PacketType.DATA)
                    && Seq.diff(p.seqNr(), received.ackNr()) <= 0) {
                sendStateClosed(now); // our last ack was lost: it would retry until it times out
            }
            return;
        }
        if (p.type() == PacketType.RESET) {
            end("reset by peer");
            return;
        }
        if (p.type() == PacketType.SYN) {
            if (state == State.CONNECTED && p.connectionId() == sendId && p.seqNr() == received.ackNr()) {
                // our answer to the SYN was lost: answer again with our first sequence number, which
                // the dialler takes as where our data starts (data already sent is resent from there)
                host.send(header(PacketType.STATE, initialSeq, now, null));
                lastSendAt = now;
            }
            return;
        }
        int lastAcked = unacked.isEmpty() ? Seq.add(seqNr, -1) : Seq.add(unacked.peek().seq, -1);
        if (Seq.diff(p.ackNr(), Seq.add(seqNr, -1)) > 0) {
            return; // acks what we never sent: a forgery or a confused peer
        }
        if (state == State.SYN_SENT) {
            if (p.type() != PacketType.STATE || p.ackNr() != unacked.peek().seq) {
                return;
            }
            state = State.CONNECTED;
            received.resetTo(Seq.add(p.seqNr(), -1));
            host.connected();
        } else if ((p.type() == PacketType.DATA || p.type() == PacketType.FIN)
                && Seq.diff(p.seqNr(), received.ackNr()) > ReceiveBuffer.REORDER_SPAN) {
            return; // far out of our window; not worth an answer
        }
        lastReceiveAt = now;
        established = true;
        noteTimestamps(p, now);
        peerWindow = Math.min(p.windowSize(), Ledbat.MAX_WINDOW);
        handleAcks(p, lastAcked, now);
        if (state == State.CLOSED) {
            return;
        }
        if (p.type() == PacketType.DATA || p.type() == PacketType.FIN) {
            ReceiveBuffer.Outcome o = received.accept(p.seqNr(), p.payload(), p.type() == PacketType.FIN);
            long sentBefore = lastSendAt;
            sendWhatFits(now);
            if (lastSendAt != sentBefore) {
                // the data just sent carried the ack
            } else if (deferAcks && o == ReceiveBuffer.Outcome.DELIVERED && p.type() == PacketType.DATA) {
                if (!ackOwed) {
                    ackOwed = true;
                    host.ackOwed();
                }
            } else {
                sendState(now); // every other data packet is answered, with the selective ACK if there is a gap
            }
            if (o == ReceiveBuffer.Outcome.DELIVERED) {
                host.readable();
            }
            if (received.eof() && !eofReported) {
                eofReported = true;
                host.readable();
            }
        } else {
            sendWhatFits(now);
        }
        maybeFinished();
    }

    /** Timeouts, retransmission, keep-alive. Call every few hundred ms and when {@link #nextTimerAt} comes. */
    public void tick(long now) {
        if (state == State.CLOSED) {
            return;
        }
        sendOwedAck(now); // in case no batch end came
        if (finAckedAt >= 0 && now - Math.max(finAckedAt, lastReceiveAt) > LINGER_MICROS) {
            closedCleanly = true; // the peer took our FIN, then fell silent without sending its own
            closedAt = now;
            end(null);
            return;
        }
        if (now - lastReceiveAt > IDLE_LIMIT_MICROS) {
            end("peer silent");
            return;
        }
        if (!unacked.isEmpty() && now >= timeoutAt) {
            // only timeouts with nothing heard in between count toward giving up: a peer
            // answering our zero-window probes is alive
            timeouts = lastReceiveAt > lastTimeoutAt ? 1 : timeouts + 1;
            lastTimeoutAt = now;
            if (timeouts > (state == State.SYN_SENT ? MAX_SYN_TIMEOUTS : MAX_TIMEOUTS)) {
                end(state == State.SYN_SENT ? "connect timed out" : "timed out");
                return;
            }
            timer.backOff();
            ledbat.onTimeout();
            lossRecoverySeq = Seq.add(seqNr, -1);
            if (state == State.SYN_SENT) {
                transmit(unacked.peek(), now);
            } else {
                // everything in flight is taken as lost (go-back-N, as libutp does): resent
                // oldest first as the window, one packet now, grows with the acks; a burst
                // lost whole left no selective ACK to find it by, and went one a timeout
                for (Sent s : unacked) {
                    s.fastResent = false;
                    if (!s.acked && !s.needResend) {
                        s.needResend = true;
                        inFlightBytes -= s.payload.length;
                        resendBytes += s.payload.length;
                        resendCount++;
                    }
                }
                sendWhatFits(now);
            }
        } else if (unacked.isEmpty() && queuedBytes > 0 && state == State.CONNECTED && now >= timeoutAt) {
            probeZeroWindow(now);
        }
        if (state == State.CONNECTED && now - lastSendAt >= KEEPALIVE_MICROS) {
            sendState(now);
        }
    }

    /** When {@link #tick} next has something to do. */
    public long nextTimerAt() {
        long keepAlive = lastSendAt + KEEPALIVE_MICROS;
        return unacked.isEmpty() && queuedBytes == 0 ? keepAlive : Math.min(keepAlive, timeoutAt);
    }

    private void handleAcks(Packet p, int lastAcked, long now) {
        long ackedBytes = 0;
        boolean progress = false;
        // packets acked only because a retransmitted hole before them was filled waited for
        // it: their round trips say nothing of the path (Karn's rule, extended past the hole)
        boolean behindHole = false;
        while (!unacked.isEmpty() && Seq.diff(p.ackNr(), unacked.peek().seq) >= 0) {
            Sent s = unacked.poll();
            behindHole |= s.transmissions > 1;
            ackedBytes += settle(s, now, !behindHole);
            progress = true;
        }
        byte[] sack = p.selectiveAck();
        if (sack != null) {
            for (Sent s : unacked) {
                int bit = Seq.diff(s.seq, Seq.add(p.ackNr(), 2));
                if (bit >= 0 && bit < sack.length * 8 && (sack[bit >> 3] & (1 << (bit & 7))) != 0 && !s.acked) {
                    ackedBytes += settle(s, now, true);
                    s.acked = true;
                }
            }
        }
        if (progress || ackedBytes > 0) {
            timer.acked();
            duplicateAcks = 0;
            timeouts = 0;
            timeoutAt = now + timer.timeoutMicros();
            ledbat.onAck(ackedBytes, ourDelay);
        } else if (p.type() == PacketType.STATE && p.ackNr() == lastAcked && !unacked.isEmpty()
                && ++duplicateAcks == 3) {
            lost(unacked.peek(), now);
        }
        if (sack != null) {
            resendHoles(now);
        }
        if (finSent && unacked.isEmpty() && finAckedAt < 0) {
            finAckedAt = now;
            maybeFinished();
        }
        if (wasFull && pendingBytes() <= sendBufferLimit / 2) {
            wasFull = false;
            host.writable();
        }
    }

    /** Bytes a newly acked packet frees from the window, after taking its round-trip sample if {@code sample}. */
    private long settle(Sent s, long now, boolean sample) {
        if (s.acked) {
            return 0;
        }
        if (sample && s.transmissions == 1) {
            timer.sample(now - s.sentAt);
        }
        if (s.needResend) {
            unmarkResend(s);
        } else {
            inFlightBytes -= s.payload.length;
        }
        return s.payload.length;
    }

    /** A packet with three selectively acked packets after it is taken as lost. */
    private void resendHoles(long now) {
        Sent[] all = unacked.toArray(new Sent[0]);
        boolean[] hole = new boolean[all.length];
        int laterAcked = 0;
        for (int i = all.length - 1; i >= 0; i--) {
            if (all[i].acked) {
                laterAcked++;
            } else {
                hole[i] = laterAcked >= 3 && !all[i].fastResent;
            }
        }
        // oldest first, as the receiver needs them, and no more than a window at once
        long budget = Math.max(MAX_PAYLOAD, ledbat.window());
        for (int i = 0; i < all.length && budget > 0; i++) {
            if (hole[i]) {
                lost(all[i], now);
                budget -= Math.max(1, all[i].payload.length);
            }
        }
    }

    private void unmarkResend(Sent s) {
        s.needResend = false;
        resendBytes -= s.payload.length;
        resendCount--;
    }

    private void lost(Sent s, long now) {
        s.fastResent = true;
        if (s.needResend) {
            unmarkResend(s);
            inFlightBytes += s.payload.length;
        }
        if (Seq.diff(s.seq, lossRecoverySeq) > 0) {
            ledbat.onLoss(); // once per window of packets, not per lost packet
            lossRecoverySeq = Seq.add(seqNr, -1);
        }
        transmit(s, now);
    }

    private void sendWhatFits(long now) {
        if (state != State.CONNECTED) {
            return;
        }
        if (resendCount > 0) {
            for (Sent s : unacked) {
                if (!s.needResend) {
                    continue;
                }
                long room = Math.min(ledbat.window(), peerWindow) - inFlightBytes;
                if (room < s.payload.length && inFlightBytes > 0) {
                    return; // what was lost goes before anything new
                }
                unmarkResend(s);
                inFlightBytes += s.payload.length;
                transmit(s, now);
            }
        }
        while (queuedBytes > 0) {
            int want = (int) Math.min(MAX_PAYLOAD, queuedBytes);
            long room = Math.min(ledbat.window(), peerWindow) - inFlightBytes;
            if (room < want && !(inFlightBytes == 0 && room > 0)) {
                if (unacked.isEmpty()) {
                    timeoutAt = now + timer.timeoutMicros(); // zero window: probe later
                }
                break;
            }
            transmit(enqueue(PacketType.DATA, take((int) Math.min(want, room))), now);
        }
        if (closing && queuedBytes == 0 && !finSent) {
            finSent = true;
            finSeq = seqNr;
            transmit(enqueue(PacketType.FIN, new byte[0]), now);
        }
        if (pendingBytes() >= sendBufferLimit) {
            wasFull = true;
        }
    }

    private void probeZeroWindow(long now) {
        transmit(enqueue(PacketType.DATA, take((int) Math.min(MAX_PAYLOAD, queuedBytes))), now);
    }

    private byte[] take(int n) {
        byte[] out = new byte[n];
        int at = 0;
        while (at < n) {
            byte[] head = toSend.poll();
            int k = Math.min(head.length, n - at);
            System.arraycopy(head, 0, out, at, k);
            at += k;
            if (k < head.length) {
                toSend.addFirst(java.util.Arrays.copyOfRange(head, k, head.length));
            }
        }
        queuedBytes -= n;
        return out;
    }

    private Sent enqueue(PacketType type, byte[] payload) {
        Sent s = new Sent(type, seqNr, payload);
        seqNr = Seq.add(seqNr, 1);
        unacked.add(s);
        inFlightBytes += payload.length;
        return s;
    }

    private void transmit(Sent s, long now) {
        if (unacked.peek() == s || timeoutAt <= now || s.transmissions == 0 && unacked.size() == 1) {
            timeoutAt = now + timer.timeoutMicros();
        }
        s.transmissions++;
        s.sentAt = now;
        Packet p = s.type == PacketType.SYN
                ? new Packet(PacketType.SYN, recvId, now & MASK32, 0, received.window(), s.seq, 0, null, null)
                : header(s.type, s.seq, now, s.payload);
        host.send(p);
        lastSendAt = now;
    }

    private void sendStateClosed(long now) {
        host.send(header(PacketType.STATE, seqNr, now, null));
    }

    /** A cleanly closed connection lingers a while to ack the peer's repeated FIN (TCP's TIME_WAIT). */
    public boolean canForget(long now) {
        return state == State.CLOSED && (!closedCleanly || now - closedAt > LINGER_MICROS);
    }

    private void sendState(long now) {
        host.send(header(PacketType.STATE, seqNr, now, null));
        lastSendAt = now;
    }

    private Packet header(PacketType type, int seq, long now, byte[] payload) {
        ackOwed = false; // every packet carries our latest ack
        windowAdvertised = received.window();
        return new Packet(type, sendId, now & MASK32, replyMicros, windowAdvertised, seq, received.ackNr(),
                received.selectiveAck(), payload);
    }

    private void noteTimestamps(Packet p, long now) {
        replyMicros = ((now & MASK32) - p.timestampMicros()) & MASK32;
        long theirs = p.timestampDiffMicros();
        if (theirs != 0) { // 0: the peer has not heard from us yet
            baseDelay.add(theirs, now);
            ourDelay = baseDelay.above(theirs);
        }
    }

    private void maybeFinished() {
        if (finSent && unacked.isEmpty() && received.eof()) {
            closedCleanly = true;
            closedAt = lastReceiveAt;
            end(null);
        }
    }

    private void end(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        unacked.clear();
        toSend.clear();
        queuedBytes = 0;
        inFlightBytes = 0;
        resendBytes = 0;
        resendCount = 0;
        host.closed(reason);
    }

    @Override
    public String toString() {
        return "utp(" + recvId + "/" + sendId + " " + state + " seq " + seqNr + " ack " + received.ackNr()
                + " cwnd " + ledbat.window() + " inflight " + inFlightBytes + ")";
    }

    long receivedBytesHeld() {
        return received.readyBytes();
    }
}
