package torfs.storage;

import java.io.IOException;

/** Another process (or a session of this one still stopping) serves the torrent's data in that directory ({@link DataLock}). */
public final class DataInUseException extends IOException {
    public DataInUseException(String message) {
        super(message);
    }
}
