package torfs.transport.utp;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * A fake clock and a fake network between two uTP endpoints: each packet is encoded, then
 * dropped, duplicated or delayed (latency plus jitter, so packets overtake each other) as
 * scripted, and delivered by {@link #runUntil}, which also ticks both ends every 10 ms.
 */
final class ScriptedNetwork {
    static final long TICK_MICROS = 10_000;

    interface End {
        void deliver(Packet p, long now);

        void tick(long now);
    }

    private record InFlight(long at, long order, int to, byte[] bytes) {
    }

    private final PriorityQueue<InFlight> queue = new PriorityQueue<>(
            (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    private final Random random;
    private final End[] ends = new End[2];
    private long now = 1_000_000;
    private long order;
    double loss;
    double duplication;
    long latencyMicros = 10_000;
    long jitterMicros;
    /** When set, decides per packet (sender side 0 or 1) whether it is dropped, after the random loss. */
    java.util.function.BiPredicate<Integer, Packet> dropIf = (side, p) -> false;
    final List<Packet> log = new ArrayList<>();
    long sent;
    long dropped;

    ScriptedNetwork(long seed) {
        random = new Random(seed);
    }

    long now() {
        return now;
    }

    void attach(int side, End end) {
        ends[side] = end;
    }

    /** A host for side {@code from}'s connection that puts its packets on this network. */
    UtpConnection.Host hostFor(int from, UtpConnection.Host events) {
        return new UtpConnection.Host() {
            @Override
            public void send(Packet p) {
                transmit(from, p);
            }

            @Override
            public void connected() {
                events.connected();
            }

            @Override
            public void readable() {
                events.readable();
            }

            @Override
            public void writable() {
                events.writable();
            }

            @Override
            public void closed(String reason) {
                events.closed(reason);
            }
        };
    }

    void transmit(int from, Packet p) {
        sent++;
        log.add(p);
        if (random.nextDouble() < loss || dropIf.test(from, p)) {
            dropped++;
            return;
        }
        int copies = random.nextDouble() < duplication ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            long delay = latencyMicros + (jitterMicros == 0 ? 0 : (long) (random.nextDouble() * jitterMicros));
            queue.add(new InFlight(now + delay, order++, 1 - from, p.encode()));
        }
    }

    /** Delivers and ticks until {@code done} holds or {@code limitMicros} of fake time passed; true if done. */
    boolean runUntil(java.util.function.BooleanSupplier done, long limitMicros) {
        long end = now + limitMicros;
        long nextTick = now + TICK_MICROS;
        while (!done.getAsBoolean() && now < end) {
            InFlight next = queue.peek();
            if (next != null && next.at <= nextTick) {
                queue.poll();
                now = next.at;
                Packet p = Packet.parse(next.bytes);
                if (ends[next.to] != null) {
                    ends[next.to].deliver(p, now);
                }
            } else {
                now = nextTick;
                nextTick += TICK_MICROS;
                for (End e : ends) {
                    if (e != null) {
                        e.tick(now);
                    }
                }
            }
        }
        return done.getAsBoolean();
    }
}
