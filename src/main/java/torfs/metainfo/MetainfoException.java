package torfs.metainfo;

/** A .torrent that cannot be used; the message is one line fit for the user. */
public final class MetainfoException extends Exception {
    public MetainfoException(String message) {
        super(message);
    }

    public MetainfoException(String message, Throwable cause) {
        super(message, cause);
    }
}
