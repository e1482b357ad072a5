package torfs.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import torfs.geometry.BlockRef;
import torfs.geometry.PieceGeometry;
import torfs.peer.PeerConnection;
import torfs.storage.PieceStore;

/**
 * Serves peers' requests from verified pieces: reads a block on the disk pool into a direct
 * buffer and hands it to the connection, a few reads per peer at a time, only while the
 * channel is writable and the upload limit grants the bytes. Confined to the torrent's loop.
 */
final class Uploader {
    private static final int READS_PER_PEER = 4;

    private final PieceGeometry geometry;
    private final PieceStore store;
    private final ConcurrentBits verified;
    private final EventLoop loop;
    private final DiskPool disk;
    private final AtomicInteger diskTasks;
    private final RateLimiter limit;
    private final Map<Integer, Integer> reads = new HashMap<>();
    private final Map<Integer, Boolean> retryScheduled = new HashMap<>();
    private long uploaded;
    private boolean closed;

    Uploader(PieceGeometry geometry, PieceStore store, ConcurrentBits verified, EventLoop loop,
             DiskPool disk, AtomicInteger diskTasks, RateLimiter limit) {
        this.geometry = geometry;
        this.store = store;
        this.verified = verified;
        this.loop = loop;
        this.disk = disk;
        this.diskTasks = diskTasks;
        this.limit = limit;
    }

    long uploaded() {
        return uploaded;
    }

    void close() {
        closed = true;
    }

    void peerGone(PeerConnection p) {
        reads.remove(p.id());
        retryScheduled.remove(p.id());
        limit.forget(p.id());
    }

    void serve(PeerConnection p) {
        int inFlight = reads.getOrDefault(p.id(), 0);
        while (!closed && p.isOpen() && p.channel().isWritable() && inFlight < READS_PER_PEER
                && p.incomingCount() > 0) {
            long now = System.nanoTime();
            if (limit.tryAcquire(p.id(), PieceGeometry.BLOCK_SIZE, now) == 0) {
                retryLater(p, limit.nanosUntilAvailable(p.id(), now));
                return;
            }
            BlockRef r = p.pollUpload();
            if (r == null) {
                return;
            }
            if (!verified.get(r.piece())) {
                continue; // never serve unverified bytes (the peer checked our have-set too)
            }
            inFlight++;
            reads.put(p.id(), inFlight);
            read(p, r);
        }
    }

    private void retryLater(PeerConnection p, long nanos) {
        if (retryScheduled.putIfAbsent(p.id(), Boolean.TRUE) == null) {
            loop.schedule(() -> {
                retryScheduled.remove(p.id());
                serve(p);
            }, Math.max(nanos, 1_000_000), TimeUnit.NANOSECONDS);
        }
    }

    private void read(PeerConnection p, BlockRef r) {
        ByteBuf buf = p.channel().alloc().directBuffer(r.length());
        long offset = geometry.pieceStart(r.piece()) + r.begin();
        diskTasks.incrementAndGet();
        disk.executor().execute(() -> {
            boolean ok = true;
            try {
                store.readAt(offset, buf.nioBuffer(0, r.length()));
                buf.writerIndex(r.length());
            } catch (IOException | RuntimeException e) {
                ok = false;
            }
            boolean success = ok;
            loop.execute(() -> {
                diskTasks.decrementAndGet();
                reads.computeIfPresent(p.id(), (k, v) -> v - 1);
                if (success && !closed) {
                    uploaded += r.length();
                    p.sendBlock(r, buf);
                    serve(p);
                } else {
                    buf.release();
                }
            });
        });
    }
}
