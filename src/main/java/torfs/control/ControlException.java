package torfs.control;

/** A request the API refuses: an HTTP status and one line saying why. */
public final class ControlException extends Exception {
    private final int status;

    public ControlException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
