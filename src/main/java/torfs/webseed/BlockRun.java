package torfs.webseed;

import io.netty.buffer.ByteBuf;
import java.util.List;
import torfs.geometry.BlockRef;

/**
 * Contiguous blocks asked of one web seed: one buffer for all of them, filled by one range
 * request per file it crosses (pad files are zeroed in place). Its blocks are handed on only
 * when every request succeeded; a failed one gives them all back to the picker at once.
 */
final class BlockRun {
    final WebSeed seed;
    final List<BlockRef> blocks;
    /** Global offset of the first block. */
    final long offset;
    final int length;
    final ByteBuf buffer;
    final boolean urgent;
    /** Range requests not finished yet. */
    int pending;
    /** The first failure, or null. */
    Outcome failure;

    BlockRun(WebSeed seed, List<BlockRef> blocks, long offset, int length, ByteBuf buffer, boolean urgent) {
        this.seed = seed;
        this.blocks = blocks;
        this.offset = offset;
        this.length = length;
        this.buffer = buffer;
        this.urgent = urgent;
    }
}
