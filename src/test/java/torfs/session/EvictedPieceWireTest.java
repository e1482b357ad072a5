package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.metainfo.Torrent;
import torfs.picker.Priority;
import torfs.storage.HolePunch;

/**
 * What a peer of a capped session sees on the wire, from a raw socket that speaks the fast
 * extension and BEP 54: a bitfield without the evicted pieces, a REJECT (not a disconnect) for a
 * block of one, the right bytes for a resident one, and an lt_donthave when another is evicted.
 */
class EvictedPieceWireTest {
    private static final int PIECE = 32768;
    private static final int OUR_DONTHAVE_ID = 9;

    @TempDir
    Path tmp;

    private static byte[] ints(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length);
        for (int x : v) {
            b.putInt(x);
        }
        return b.array();
    }

    @Test
    @Timeout(120)
    void peersHearOfEvictionsAndAreRefusedNotDropped() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Torrent t = TestTorrents.create(seedDir, "wire", PIECE, new long[] {10L * PIECE}, 5);
        byte[] original = Files.readAllBytes(seedDir.resolve("wire/file0.bin"));
        try (Client seeder = Client.start(SeedToDownloadTest.on("127.0.0.2"));
             Client leecher = Client.start(SeedToDownloadTest.on("127.0.0.1"))) {
            seeder.add(t, seedDir);
            TorrentSession s = leecher.add(t, tmp.resolve("leech"));
            s.setDefaultPriority(Priority.NONE);
            s.limitCache(new CacheBudget(4L * PIECE), HolePunch.open(s.layout()));
            s.addPeers(List.of(new InetSocketAddress("127.0.0.2", seeder.port())));
            for (int p = 0; p < 6; p++) {
                SessionSteps.fetch(s, p);
            }
            SessionSteps.until(() -> s.verifiedSnapshot().toString().equals("0011110000"), "pieces 2-5 kept");

            byte[] reserved = new byte[8];
            reserved[5] = 0x10; // BEP 10
            reserved[7] = 0x04; // BEP 6
            try (RawPeer peer = new RawPeer(leecher, t, reserved, "-XX0001-raw-peer-123", 30_000)) {
                peer.send(20, ("\0d1:md11:lt_donthavei" + OUR_DONTHAVE_ID + "eee").getBytes(StandardCharsets.US_ASCII));
                peer.send(15, new byte[0]); // HAVE_NONE
                peer.send(2, new byte[0]); // INTERESTED

                byte[] bitfield = peer.next(5);
                assertThat(bitfield[0] & 0xff).as("pieces 2-5 only").isEqualTo(0b0011_1100);
                peer.next(1); // UNCHOKE

                peer.send(6, ints(0, 0, 16384)); // a block of evicted piece 0
                assertThat(peer.next(16)).as("REJECT").isEqualTo(ints(0, 0, 16384));
                peer.send(6, ints(3, 0, 16384));
                byte[] block = peer.next(7);
                assertThat(Arrays.copyOfRange(block, 8, block.length))
                        .isEqualTo(Arrays.copyOfRange(original, 3 * PIECE, 3 * PIECE + 16384));

                SessionSteps.fetch(s, 6); // pushes out the least recently used: piece 2
                byte[] dontHave = peer.next(20);
                assertThat(dontHave[0]).as("our lt_donthave id").isEqualTo((byte) OUR_DONTHAVE_ID);
                assertThat(ByteBuffer.wrap(dontHave, 1, 4).getInt()).isEqualTo(2);
                assertThat(peer.socket.isClosed()).isFalse();
                peer.send(6, ints(4, 0, 16384)); // still served after all that
                assertThat(peer.next(7)).hasSize(8 + 16384);
            }
            s.stop().get(30, TimeUnit.SECONDS);
        }
    }
}
