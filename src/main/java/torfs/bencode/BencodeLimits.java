package torfs.bencode;

/**
 * Bounds the decoder enforces so a hostile input cannot exhaust the stack or the heap.
 *
 * @param maxDepth  deepest nesting of lists and dictionaries
 * @param maxTokens total number of values (integers, strings, lists, dictionaries)
 */
public record BencodeLimits(int maxDepth, int maxTokens) {
    /** Enough for a 50 MB torrent with millions of files; libtorrent uses depth 100 and 2M tokens. */
    public static final BencodeLimits DEFAULT = new BencodeLimits(100, 10_000_000);

    public BencodeLimits {
        if (maxDepth < 1 || maxTokens < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
