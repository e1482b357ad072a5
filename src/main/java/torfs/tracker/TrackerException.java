package torfs.tracker;

/** An announce failed; the message is one line: the tracker's failure reason, a timeout, a bad reply. */
public final class TrackerException extends Exception {
    public TrackerException(String message) {
        super(message);
    }

    public TrackerException(String message, Throwable cause) {
        super(message, cause);
    }
}
