package torfs.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import torfs.metainfo.InfoHash;

class AllowedFastSetTest {
    private static final byte[] IP = {80, 4, 4, (byte) 200};
    private static final InfoHash HASH = InfoHash.of(filled((byte) 0xaa));

    private static byte[] filled(byte b) {
        byte[] a = new byte[20];
        Arrays.fill(a, b);
        return a;
    }

    @Test
    void bep6ExampleVectorOfSevenPieces() {
        assertThat(AllowedFastSet.generate(IP, HASH, 1313, 7))
                .containsExactly(1059, 431, 808, 1217, 287, 376, 1188);
    }

    @Test
    void bep6ExampleVectorOfNinePieces() {
        assertThat(AllowedFastSet.generate(IP, HASH, 1313, 9))
                .containsExactly(1059, 431, 808, 1217, 287, 376, 1188, 353, 508);
    }

    @Test
    void lastOctetIsMaskedOff() {
        byte[] neighbour = {80, 4, 4, 7};
        assertThat(AllowedFastSet.generate(neighbour, HASH, 1313, 10))
                .isEqualTo(AllowedFastSet.generate(IP, HASH, 1313, 10));
        assertThat(AllowedFastSet.generate(new byte[] {80, 4, 5, (byte) 200}, HASH, 1313, 10))
                .isNotEqualTo(AllowedFastSet.generate(IP, HASH, 1313, 10));
    }

    @Test
    void aTorrentWithFewerPiecesThanTheSetGrantsEveryPiece() {
        assertThat(AllowedFastSet.generate(IP, HASH, 4, 10)).containsExactly(0, 1, 2, 3);
    }

    @Test
    void ipv6IsRefused() {
        assertThatThrownBy(() -> AllowedFastSet.generate(new byte[16], HASH, 100, 10))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
