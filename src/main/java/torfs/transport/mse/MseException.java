package torfs.transport.mse;

/** The peer broke the encryption handshake; its connection is closed. */
public final class MseException extends RuntimeException {
    public MseException(String message) {
        super(message, null, false, false);
    }
}
