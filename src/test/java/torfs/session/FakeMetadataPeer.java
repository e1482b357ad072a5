package torfs.session;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import torfs.metainfo.InfoHash;
import torfs.wire.ExtensionHandshake;
import torfs.wire.MetadataMessage;

/**
 * A peer on blocking sockets that offers an info dictionary with ut_metadata and misbehaves as
 * its {@link Behaviour} says. It speaks BEP 10 only (no fast bit), sends its extension
 * handshake right after the BitTorrent one, and answers requests one by one.
 */
final class FakeMetadataPeer implements AutoCloseable {
    enum Behaviour {
        /** Serves every block correctly. */
        GOOD,
        /** Serves the right size, but one byte of every block is flipped. */
        WRONG_HASH,
        /** Advertises a 64 MiB metadata_size. */
        OVERSIZE_SIZE,
        /** Advertises metadata_size -5. */
        NEGATIVE_SIZE,
        /** Answers every request with a block one byte short. */
        WRONG_LENGTH,
        /** Answers a request for block i with block i + 1's index. */
        WRONG_INDEX,
        /** Sends block 0 before anything was asked. */
        UNASKED,
        /** Before the last block, sends an empty block one past the end (rtorrent). */
        EXTRA_EMPTY_LAST,
        /** Never answers a request. */
        STALL,
        /** Rejects every request. */
        REJECT
    }

    private static final int OUR_ID = 7;
    private final ServerSocket server;
    private final InfoHash hash;
    private final byte[] info;
    private final Behaviour behaviour;
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger closedByRemote = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();

    FakeMetadataPeer(InfoHash hash, byte[] info, Behaviour behaviour) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.hash = hash;
        this.info = info;
        this.behaviour = behaviour;
        Thread t = new Thread(this::acceptLoop, "fake-metadata-" + behaviour);
        t.setDaemon(true);
        t.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "fake-metadata-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        byte[] served = info.clone();
        if (behaviour == Behaviour.WRONG_HASH) {
            for (int i = 0; i < served.length; i += MetadataMessage.BLOCK) {
                served[i] ^= 1; // every block it sends is wrong
            }
        }
        int size = switch (behaviour) {
            case OVERSIZE_SIZE -> 64 << 20;
            case NEGATIVE_SIZE -> -5;
            default -> info.length;
        };
        try (s; DataInputStream in = new DataInputStream(s.getInputStream());
             DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
            in.readFully(new byte[68]);
            out.writeByte(19);
            out.write("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII));
            byte[] reserved = new byte[8];
            reserved[5] = 0x10;
            out.write(reserved);
            out.write(hash.bytes());
            out.write(new byte[20]);
            String ext = "d1:md11:ut_metadatai" + OUR_ID + "ee13:metadata_sizei" + size + "ee";
            extended(out, 0, ext.getBytes(StandardCharsets.US_ASCII));
            if (behaviour == Behaviour.UNASKED) {
                block(out, 0, served);
            }
            int theirId = 0;
            while (true) {
                int len = in.readInt();
                if (len == 0) {
                    continue;
                }
                byte[] body = new byte[len];
                in.readFully(body);
                if (body[0] != 20) {
                    continue;
                }
                byte[] payload = Arrays.copyOfRange(body, 2, body.length);
                if (body[1] == 0) {
                    theirId = ExtensionHandshake.parse(payload).extensions().getOrDefault("ut_metadata", 0);
                    continue;
                }
                if (body[1] != OUR_ID) {
                    continue;
                }
                MetadataMessage m = MetadataMessage.parse(payload);
                requests.incrementAndGet();
                int piece = m.piece();
                int last = MetadataMessage.blockCount(served.length) - 1;
                switch (behaviour) {
                    case STALL -> { }
                    case REJECT -> extended(out, theirId, MetadataMessage.reject(piece).encode());
                    case WRONG_LENGTH -> extended(out, theirId, MetadataMessage.data(piece, served.length,
                            Arrays.copyOf(slice(served, piece), slice(served, piece).length - 1)).encode());
                    case WRONG_INDEX -> extended(out, theirId, MetadataMessage.data(piece + 1, served.length,
                            slice(served, Math.min(piece + 1, last))).encode());
                    case EXTRA_EMPTY_LAST -> {
                        if (piece == last) {
                            extended(out, theirId, MetadataMessage.data(last + 1, served.length, new byte[0]).encode());
                        }
                        extended(out, theirId, MetadataMessage.data(piece, served.length, slice(served, piece)).encode());
                    }
                    default -> extended(out, theirId, MetadataMessage.data(piece, served.length, slice(served, piece)).encode());
                }
            }
        } catch (IOException | RuntimeException e) {
            closedByRemote.incrementAndGet(); // EOF or reset: the fetch dropped us
        }
    }

    private static void block(DataOutputStream out, int piece, byte[] served) throws IOException {
        extended(out, MetadataMessage.LOCAL_ID, MetadataMessage.data(piece, served.length, slice(served, piece)).encode());
    }

    private static byte[] slice(byte[] all, int piece) {
        int from = piece * MetadataMessage.BLOCK;
        return Arrays.copyOfRange(all, from, from + MetadataMessage.blockLength(all.length, piece));
    }

    private static void extended(DataOutputStream out, int id, byte[] payload) throws IOException {
        out.writeInt(2 + payload.length);
        out.writeByte(20);
        out.writeByte(id);
        out.write(payload);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
