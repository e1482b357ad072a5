package torfs.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import torfs.geometry.BlockRef;
import torfs.geometry.PieceGeometry;
import torfs.peer.PeerConnection;
import torfs.storage.PieceStore;

/**
 * Serves peers' requests from verified pieces, each held by a lease from the request's pick
 * until its block is read (a capped cache may evict pieces): reads a block on the disk pool into a direct
 * buffer and hands it to the connection, a few reads per peer at a time, only while the
 * channel is writable and the upload limit grants the bytes. Confined to the torrent's loop.
 */
final class Uploader {
    private static final int READS_PER_PEER = 4;
    private static final int BATCH = 8;

    private final PieceGeometry geometry;
    private final PieceStore store;
    private final PieceLeases leases;
    private final EventLoop loop;
    private final DiskPool disk;
    private final AtomicInteger diskTasks;
    private final RateLimiter limit;
    private final Map<Integer, Integer> reads = new HashMap<>();
    private final Map<Integer, Boolean> retryScheduled = new HashMap<>();
    private long uploaded;
    private boolean closed;

    Uploader(PieceGeometry geometry, PieceStore store, PieceLeases leases, EventLoop loop,
             DiskPool disk, AtomicInteger diskTasks, RateLimiter limit) {
        this.geometry = geometry;
        this.store = store;
        this.leases = leases;
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
            // a batch of blocks per disk task: one hop each way and one flush for all of them
            List<BlockRef> batch = new ArrayList<>(BATCH);
            while (batch.size() < BATCH && p.incomingCount() > 0) {
                long now = System.nanoTime();
                if (limit.tryAcquire(p.id(), PieceGeometry.BLOCK_SIZE, now) == 0) {
                    retryLater(p, limit.nanosUntilAvailable(p.id(), now));
                    break;
                }
                BlockRef r = p.pollUpload();
                if (r == null) {
                    break;
                }
                if (leases.tryLeaseToUpload(r.piece())) {
                    batch.add(r); // held until read: a capped cache cannot punch it out meanwhile
                } else {
                    p.refuseUpload(r); // never unverified bytes; an evicted piece is refused, not fatal
                }
            }
            if (batch.isEmpty()) {
                return;
            }
            inFlight++;
            reads.put(p.id(), inFlight);
            read(p, batch);
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

    private void read(PeerConnection p, List<BlockRef> batch) {
        List<ByteBuf> bufs = new ArrayList<>(batch.size());
        for (BlockRef r : batch) {
            bufs.add(p.channel().alloc().directBuffer(r.length()));
        }
        diskTasks.incrementAndGet();
        disk.executor().execute(() -> {
            boolean ok = true;
            try {
                for (int i = 0; i < batch.size(); i++) {
                    BlockRef r = batch.get(i);
                    ByteBuf buf = bufs.get(i);
                    store.readAt(geometry.pieceStart(r.piece()) + r.begin(), buf.nioBuffer(0, r.length()));
                    buf.writerIndex(r.length());
                }
            } catch (IOException | RuntimeException e) {
                ok = false;
            } finally {
                batch.forEach(r -> leases.release(r.piece()));
            }
            boolean success = ok;
            loop.execute(() -> {
                diskTasks.decrementAndGet();
                reads.computeIfPresent(p.id(), (k, v) -> v - 1);
                if (success && !closed) {
                    for (int i = 0; i < batch.size(); i++) {
                        uploaded += batch.get(i).length();
                        p.sendBlock(batch.get(i), bufs.get(i));
                    }
                    p.flush();
                    serve(p);
                } else {
                    bufs.forEach(ByteBuf::release);
                }
            });
        });
    }
}
