package torfs.stream;

import java.io.IOException;

/** A read that could not be served; {@link #reason()} decides the errno the kernel sees. */
public final class ReadFailure extends IOException {
    /** Why the read failed. */
    public enum Reason {
        /** The pieces did not arrive within the read timeout. */
        TIMEOUT,
        /** The thread was interrupted or the caller cancelled the read (EINTR). */
        INTERRUPTED,
        /** The reader or its source closed (unmount). */
        CLOSED,
        /** The store failed to return verified bytes. */
        IO
    }

    private final Reason reason;

    public ReadFailure(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ReadFailure(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
