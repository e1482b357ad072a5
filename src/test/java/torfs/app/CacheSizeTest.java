package torfs.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import torfs.metainfo.FileEntry;
import torfs.metainfo.InfoHash;
import torfs.metainfo.Torrent;

/** {@code --cache-size}: sizes as the other options take them, and one line when it is too small. */
class CacheSizeTest {
    private static Torrent torrentOfPieces(int pieceLength) {
        long length = 100L * pieceLength;
        return new Torrent("t", InfoHash.of(new byte[20]), pieceLength, new byte[100 * 20],
                List.of(new FileEntry(0, List.of("t"), 0, length, false, false, false, Optional.empty())), true,
                length, List.of(), List.of(), false, OptionalLong.empty(), "", "test", false, new byte[0]);
    }

    @Test
    void sizesReadAsTheOtherOptionsDo() {
        assertThat(CacheSize.parse("2G", null)).isEqualTo(2L << 30);
        assertThat(CacheSize.parse("64MiB", torrentOfPieces(1 << 20))).isEqualTo(64L << 20);
        assertThat(CacheSize.readaheadCap(64L << 20)).isEqualTo(16L << 20);
    }

    @Test
    void aCacheOfFewerThanEightPiecesIsOneLine() {
        assertThatThrownBy(() -> CacheSize.parse("4M", torrentOfPieces(1 << 20)))
                .isInstanceOf(UserError.class)
                .hasMessage("--cache-size 4.0 MiB is too small: it must hold at least 8 pieces of 1.0 MiB (8.0 MiB)");
        assertThat(CacheSize.parse("8M", torrentOfPieces(1 << 20))).isEqualTo(8L << 20);
    }

    @Test
    void aMountOfManyChecksEachTorrentAndNamesTheOneThatDoesNotFit() {
        long cap = 32L << 20;
        assertThat(CacheSize.tooSmall(cap, torrentOfPieces(4 << 20))).isNull();
        assertThat(CacheSize.tooSmall(cap, torrentOfPieces(8 << 20)))
                .isEqualTo("--cache-size 32.0 MiB is too small: it must hold at least 8 pieces of 8.0 MiB (64.0 MiB)");
        assertThatThrownBy(() -> CacheSize.checkPieces(cap, torrentOfPieces(8 << 20), "/t/big.torrent"))
                .isInstanceOf(UserError.class)
                .hasMessage("/t/big.torrent: --cache-size 32.0 MiB is too small: it must hold at least 8 pieces"
                        + " of 8.0 MiB (64.0 MiB)");
    }

    @Test
    void nonsenseIsOneLine() {
        assertThatThrownBy(() -> CacheSize.parse("lots", null)).isInstanceOf(UserError.class)
                .hasMessage("--cache-size: not a size: lots");
        assertThatThrownBy(() -> CacheSize.parse("0", null)).isInstanceOf(UserError.class)
                .hasMessage("--cache-size must be positive");
    }
}
