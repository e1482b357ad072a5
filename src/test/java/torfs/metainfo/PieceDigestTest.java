package torfs.metainfo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PieceDigestTest {
    @Test
    void libcryptoLoadsHere() {
        // Debian ships libssl3 with the JDK's dependencies; without it hashing still works (JDK)
        assertThat(PieceDigest.isNative()).isTrue();
    }

    @Test
    void nativeAndJdkAgreeOnDirectHeapAndSlicedBuffersInAnyChunking() {
        byte[] data = new byte[3 * 1024 * 1024 + 12345];
        new Random(3).nextBytes(data);
        byte[] want = InfoHash.newSha1().digest(data);
        for (PieceDigest d : new PieceDigest[] {PieceDigest.create(), new JdkSha1()}) {
            Random r = new Random(5);
            int pos = 0;
            boolean direct = false;
            while (pos < data.length) {
                int n = Math.min(data.length - pos, 1 + r.nextInt(70_000));
                ByteBuffer b;
                if (direct) { // a direct buffer whose bytes start at a nonzero position
                    b = ByteBuffer.allocateDirect(n + 7).position(7).put(data, pos, n).flip().position(7);
                } else { // a heap slice of a larger array
                    b = ByteBuffer.wrap(data, pos, n);
                }
                d.update(b);
                assertThat(b.hasRemaining()).isFalse();
                pos += n;
                direct = !direct;
            }
            assertThat(d.digest()).as(d.getClass().getSimpleName()).isEqualTo(want);
            // digest() reset it: the empty message next
            assertThat(d.digest()).isEqualTo(InfoHash.newSha1().digest());
        }
    }

    @Test
    void resetForgetsWhatWasHashed() {
        PieceDigest d = PieceDigest.create();
        d.update(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        d.reset();
        d.update(ByteBuffer.wrap("abc".getBytes()));
        assertThat(d.digest()).isEqualTo(InfoHash.newSha1().digest("abc".getBytes()));
    }
}
