package torfs.fuse;

import java.io.IOException;

/** A mount that could not be made or ended; the message is one line for the user. */
public final class MountException extends IOException {
    public MountException(String message) {
        super(message);
    }

    public MountException(String message, Throwable cause) {
        super(message, cause);
    }
}
