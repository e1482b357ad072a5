package torfs.peer;

import torfs.wire.PexMessage;
import torfs.wire.WireException;

/**
 * What one peer may send us by ut_pex (BEP 11): a message a minute, the first two allowed close
 * together (a client may send its first as soon as the extension handshake is done and the next
 * on its timer), and at most {@link #MAX_ADDED_LATER} added peers in every message after the
 * first (the first may list up to {@link PexMessage#MAX_PER_LIST} a family, the decoder's cap).
 * A peer past these limits is flooding us with addresses: a protocol error.
 */
final class PexGate {
    /** libtorrent sends every 60 s; 50 s leaves room for its timer's jitter and ours. */
    static final long INTERVAL_NANOS = 50_000_000_000L;
    static final int BURST = 2;
    static final int MAX_ADDED_LATER = 50;

    private boolean seenAny;
    /** When the next message would be on schedule (the virtual time of a leaky bucket). */
    private long dueAt;

    /** Admits {@code m}, received at {@code now}, or throws. */
    void admit(PexMessage m, long now) {
        if (seenAny && m.added().size() > MAX_ADDED_LATER) {
            throw new WireException("ut_pex message adds " + m.added().size() + " peers, more than "
                    + MAX_ADDED_LATER + " after the first");
        }
        if (!seenAny || now - dueAt > 0) {
            dueAt = now;
        }
        if (dueAt - now > (BURST - 1) * INTERVAL_NANOS) {
            throw new WireException("ut_pex messages more often than one a minute");
        }
        dueAt += INTERVAL_NANOS;
        seenAny = true;
    }
}
