package torfs.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded set of open file channels. A channel evicted while some thread still uses it is
 * closed by its last user, not under that user's feet: users hold a {@link Lease} and each
 * handle counts its leases. Thread-safe.
 */
final class ChannelCache {
    /**
     * Which file, and whether it was opened for writing (reads may use a buffered write
     * channel) and around the page cache (O_DIRECT, write-only, used by nothing else).
     */
    record Key(int file, boolean write, boolean direct) {
        Key(int file, boolean write) {
            this(file, write, false);
        }
    }

    private final Cache<Key, Handle> cache;
    private final AtomicInteger openChannels = new AtomicInteger();

    ChannelCache(int maxOpen) {
        if (maxOpen < 1) {
            throw new IllegalArgumentException("need at least one open file");
        }
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxOpen)
                .executor(Runnable::run) // retire in the evicting thread: the bound holds promptly
                .<Key, Handle>removalListener((k, h, cause) -> {
                    if (h != null) {
                        h.retire();
                    }
                })
                .build();
    }

    /**
     * A lease on the channel of {@code key}, opening {@code path} when needed: for writing it
     * creates the file and its parent directories; for reading it returns null when the file
     * does not exist (nothing is created). A read prefers an already open write channel.
     */
    Lease acquire(Key key, Path path) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Handle h = null;
            if (!key.write()) {
                h = cache.getIfPresent(new Key(key.file(), true));
            }
            if (h == null) {
                try {
                    h = cache.get(key, k -> open(k, path));
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            }
            if (h == null) {
                return null; // read of a missing file
            }
            if (h.tryAcquire()) {
                return new Lease(this, key, h);
            }
            // retired between lookup and lease: it has left the cache, so the next lookup
            // finds or opens another; bounded in practice, guarded anyway
            if (attempt > 1000) {
                throw new IOException("cannot keep " + path + " open");
            }
        }
    }

    /** Drops {@code h} (e.g. closed by an interrupt) so the next lookup reopens the file. */
    void discard(Key key, Handle h) {
        cache.asMap().remove(key, h);
        cache.asMap().remove(new Key(key.file(), true), h);
    }

    void closeAll() {
        cache.invalidateAll();
        cache.cleanUp();
    }

    /** Channels open right now, leased or cached; for tests and diagnostics. */
    int openChannels() {
        return openChannels.get();
    }

    private Handle open(Key key, Path path) {
        try {
            FileChannel ch;
            if (key.write()) {
                try {
                    ch = openForWrite(path, key.direct());
                } catch (NoSuchFileException e) {
                    // its directory is new: made only now (Files.createDirectories of an existing
                    // one throws and catches three exceptions, 5,000 times in a torrent of as many files)
                    Files.createDirectories(path.getParent());
                    ch = openForWrite(path, key.direct());
                }
            } else {
                try {
                    ch = FileChannel.open(path, StandardOpenOption.READ);
                } catch (NoSuchFileException e) {
                    return null; // not cached: a later write creates it
                }
            }
            openChannels.incrementAndGet();
            return new Handle(ch, openChannels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FileChannel openForWrite(Path path, boolean direct) throws IOException {
        return direct
                ? FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)
                : FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** One open channel and the number of leases on it. */
    static final class Handle {
        private final FileChannel channel;
        private final AtomicInteger openCounter;
        private int leases;
        private boolean retired;
        private boolean closed;

        Handle(FileChannel channel, AtomicInteger openCounter) {
            this.channel = channel;
            this.openCounter = openCounter;
        }

        synchronized boolean tryAcquire() {
            if (retired) {
                return false;
            }
            leases++;
            return true;
        }

        synchronized void release() {
            leases--;
            if (leases == 0 && retired) {
                closeNow();
            }
        }

        /** Out of the cache: close now if unused, else when the last lease is released. */
        synchronized void retire() {
            retired = true;
            if (leases == 0) {
                closeNow();
            }
        }

        private void closeNow() {
            if (closed) {
                return;
            }
            closed = true;
            openCounter.decrementAndGet();
            try {
                channel.close();
            } catch (IOException e) {
                // nothing was written through close; a failing close loses nothing
                System.getLogger(ChannelCache.class.getName())
                        .log(System.Logger.Level.DEBUG, "closing a channel failed", e);
            }
        }
    }

    /** A channel borrowed from the cache; release it exactly once. */
    static final class Lease implements AutoCloseable {
        private final ChannelCache owner;
        private final Key key;
        private final Handle handle;

        Lease(ChannelCache owner, Key key, Handle handle) {
            this.owner = owner;
            this.key = key;
            this.handle = handle;
        }

        FileChannel channel() {
            return handle.channel;
        }

        /** The channel was closed under us (an interrupt): make the cache forget it. */
        void discard() {
            owner.discard(key, handle);
        }

        @Override
        public void close() {
            handle.release();
        }
    }
}
