package torfs.bencode;

/** Malformed bencode; the message names the byte offset where decoding stopped. */
public final class BencodeException extends Exception {
    private final long offset;

    public BencodeException(String message, long offset) {
        super(message + " at byte " + offset);
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }
}
