package torfs.tracker;

/** The event an announce reports (BEP 3); NONE is a regular re-announce. */
public enum AnnounceEvent {
    NONE(0, null),
    COMPLETED(1, "completed"),
    STARTED(2, "started"),
    STOPPED(3, "stopped");

    private final int udpCode;
    private final String httpName;

    AnnounceEvent(int udpCode, String httpName) {
        this.udpCode = udpCode;
        this.httpName = httpName;
    }

    /** The event field of a BEP 15 announce. */
    int udpCode() {
        return udpCode;
    }

    /** The value of the HTTP {@code event} parameter, or null when it is omitted. */
    String httpName() {
        return httpName;
    }
}
