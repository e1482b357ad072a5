package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import torfs.session.MetadataBlocks.Outcome;
import torfs.wire.MetadataMessage;

/** The bookkeeping of a metadata fetch, without a network: peers are numbers, time is a long. */
class MetadataBlocksTest {
    private static final int B = MetadataMessage.BLOCK;
    private final MetadataBlocks blocks = new MetadataBlocks(2 * B + 10);

    @Test
    void blocksAreHandedOutOnceEach() {
        assertThat(blocks.next(1, 100)).isZero();
        assertThat(blocks.next(2, 100)).isEqualTo(1);
        assertThat(blocks.next(1, 100)).isEqualTo(2);
        assertThat(blocks.next(3, 100)).isEqualTo(-1);
        assertThat(blocks.outstanding(1)).isEqualTo(2);
    }

    @Test
    void completeDictionaryIsAssembledInOrder() {
        for (int i = 0; i < 3; i++) {
            assertThat(blocks.next(1, 100)).isEqualTo(i);
        }
        assertThat(blocks.accept(1, 2, new byte[10])).isEqualTo(Outcome.STORED);
        assertThat(blocks.accept(1, 0, filled(B, 7))).isEqualTo(Outcome.STORED);
        assertThat(blocks.isComplete()).isFalse();
        assertThat(blocks.accept(1, 1, filled(B, 8))).isEqualTo(Outcome.STORED);
        byte[] all = blocks.assemble();
        assertThat(all).hasSize(2 * B + 10);
        assertThat(all[0]).isEqualTo((byte) 7);
        assertThat(all[B]).isEqualTo((byte) 8);
        assertThat(blocks.contributors()).containsExactly(1);
    }

    @Test
    void incompleteDictionaryCannotBeAssembled() {
        assertThatThrownBy(blocks::assemble).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void blockFromAPeerNotAskedIsBad() {
        blocks.next(1, 100);
        assertThat(blocks.accept(2, 0, new byte[B])).isEqualTo(Outcome.BAD);
    }

    @Test
    void blockOfTheWrongLengthIsBad() {
        blocks.next(1, 100);
        assertThat(blocks.accept(1, 0, new byte[B - 1])).isEqualTo(Outcome.BAD);
    }

    @Test
    void blockPastTheEndIsBadUnlessEmpty() {
        assertThat(blocks.accept(1, 3, new byte[0])).isEqualTo(Outcome.IGNORED);
        assertThat(blocks.accept(1, 3, new byte[1])).isEqualTo(Outcome.BAD);
        assertThat(blocks.accept(1, 4, new byte[0])).isEqualTo(Outcome.BAD);
    }

    @Test
    void lateAnswerAfterATimeoutIsStillTakenAndADuplicateIgnored() {
        blocks.next(1, 100);
        assertThat(blocks.expire(101)).containsExactly(1);
        assertThat(blocks.next(1, 200)).as("a peer is not asked again for what it let lapse").isEqualTo(1);
        assertThat(blocks.next(2, 200)).isZero();
        assertThat(blocks.accept(1, 0, new byte[B])).isEqualTo(Outcome.STORED);
        assertThat(blocks.accept(2, 0, new byte[B])).isEqualTo(Outcome.IGNORED);
    }

    @Test
    void rejectedBlockGoesToAnotherPeer() {
        blocks.next(1, 100);
        blocks.rejected(1, 0);
        assertThat(blocks.outstanding(1)).isZero();
        assertThat(blocks.next(2, 100)).isZero();
        assertThat(blocks.canHelp(1)).isTrue(); // blocks 1 and 2 are still missing
    }

    @Test
    void peerThatRefusedEverythingMissingCannotHelp() {
        for (int i = 0; i < 3; i++) {
            blocks.next(1, 100);
            blocks.rejected(1, i);
        }
        assertThat(blocks.canHelp(1)).isFalse();
        assertThat(blocks.next(1, 100)).isEqualTo(-1);
    }

    @Test
    void gonePeersRequestsAreFreed() {
        blocks.next(1, 100);
        blocks.peerGone(1);
        assertThat(blocks.next(2, 100)).isZero();
    }

    @Test
    void sizeBeyondTheCapIsRefused() {
        assertThatThrownBy(() -> new MetadataBlocks(MetadataMessage.MAX_SIZE + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MetadataBlocks(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void restartKeepsTheLateAnswersOfKeptPeersWelcome() {
        blocks.next(1, 100);
        blocks.next(2, 100);
        MetadataBlocks again = blocks.restart(java.util.Set.of(1));
        assertThat(again.accept(1, 0, new byte[B])).isEqualTo(Outcome.IGNORED);
        assertThat(again.accept(1, 0, new byte[B])).as("only once").isEqualTo(Outcome.BAD);
        assertThat(again.accept(2, 1, new byte[B])).as("a dropped peer's answer").isEqualTo(Outcome.BAD);
    }

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }
}
