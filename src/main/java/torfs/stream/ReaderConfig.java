package torfs.stream;

import java.time.Duration;

/**
 * Settings of a {@link TorrentReader}.
 *
 * @param readTimeout   how long a read waits for missing pieces before it fails (EIO)
 * @param readaheadMax  cap of a handle's readahead window in bytes (it starts at two pieces)
 * @param provenReadahead a window never runs further ahead than half of what its reader has read
 *                      since its last seek (at least two pieces), nor past where the file's recent
 *                      read runs ended ({@link RunLengths}): for a capped cache, where every
 *                      piece fetched for nobody pushes out one somebody read
 */
public record ReaderConfig(Duration readTimeout, long readaheadMax, boolean provenReadahead) {
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(120);
    public static final long DEFAULT_READAHEAD_MAX = 64L << 20;

    public ReaderConfig {
        if (readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("read timeout must be positive");
        }
        if (readaheadMax < 0) {
            throw new IllegalArgumentException("negative readahead");
        }
    }

    public ReaderConfig(Duration readTimeout, long readaheadMax) {
        this(readTimeout, readaheadMax, false);
    }

    public static ReaderConfig defaults() {
        return new ReaderConfig(DEFAULT_READ_TIMEOUT, DEFAULT_READAHEAD_MAX);
    }

    public ReaderConfig withReadTimeout(Duration timeout) {
        return new ReaderConfig(timeout, readaheadMax, provenReadahead);
    }

    public ReaderConfig withReadaheadMax(long bytes) {
        return new ReaderConfig(readTimeout, bytes, provenReadahead);
    }
}
