package torfs.stream;

import java.time.Duration;

/**
 * Settings of a {@link TorrentReader}.
 *
 * @param readTimeout   how long a read waits for missing pieces before it fails (EIO)
 * @param readaheadMax  cap of a handle's readahead window in bytes (it starts at two pieces)
 * @param cacheBytes    bound of the hot-piece cache in bytes (at least two pieces are kept)
 */
public record ReaderConfig(Duration readTimeout, long readaheadMax, long cacheBytes) {
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(120);
    public static final long DEFAULT_READAHEAD_MAX = 64L << 20;
    /**
     * The cache only needs to hold the pieces the kernel's 128 KiB reads are walking through
     * (readahead brings pieces to disk, not into it); 32 MiB keeps the mount's heap small.
     */
    public static final long DEFAULT_CACHE_BYTES = 32L << 20;

    public ReaderConfig {
        if (readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("read timeout must be positive");
        }
        if (readaheadMax < 0 || cacheBytes < 0) {
            throw new IllegalArgumentException("negative readahead or cache size");
        }
    }

    public static ReaderConfig defaults() {
        return new ReaderConfig(DEFAULT_READ_TIMEOUT, DEFAULT_READAHEAD_MAX, DEFAULT_CACHE_BYTES);
    }

    public ReaderConfig withReadTimeout(Duration timeout) {
        return new ReaderConfig(timeout, readaheadMax, cacheBytes);
    }

    public ReaderConfig withReadaheadMax(long bytes) {
        return new ReaderConfig(readTimeout, bytes, cacheBytes);
    }

    public ReaderConfig withCacheBytes(long bytes) {
        return new ReaderConfig(readTimeout, readaheadMax, bytes);
    }
}
