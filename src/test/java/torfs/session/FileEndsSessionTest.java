package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.metainfo.Torrent;
import torfs.picker.Priority;

/**
 * A full download asks its first peer for the files' ends first, in piece order, before any
 * read, also while a mount holds its background for a first read; a lazy one asks for nothing.
 * Two files of 200 and 150 one-block pieces: heads of 64 pieces (the cap for tiny pieces).
 */
class FileEndsSessionTest {
    private static final int PIECE = 16384;
    private static final long[] SIZES = {200L * PIECE, 150L * PIECE};
    /** A mount's policy holding its background for longer than the test: no read comes. */
    private static final RequestPolicy HOLDING = new RequestPolicy(64, Duration.ofMillis(100), Duration.ofMinutes(10));

    @TempDir
    Path tmp;

    /**
     * The pieces the seed was asked for, in order, once it has had at least {@code n} requests;
     * it answers those (our pipeline to it starts 4 deep and grows with answers).
     */
    private List<Integer> firstRequests(RequestPolicy policy, boolean lazy, int n) throws Exception {
        Path seedDir = tmp.resolve("seed");
        Torrent t = TestTorrents.create(seedDir, "ends", PIECE, SIZES, 3);
        byte[] content = new byte[(int) (SIZES[0] + SIZES[1])];
        byte[] f0 = Files.readAllBytes(seedDir.resolve("ends/file0.bin"));
        byte[] f1 = Files.readAllBytes(seedDir.resolve("ends/file1.bin"));
        System.arraycopy(f0, 0, content, 0, f0.length);
        System.arraycopy(f1, 0, content, f0.length, f1.length);
        try (ScriptedSeed seed = new ScriptedSeed("127.0.0.2", t, content, n);
             Client leecher = Client.start(SeedToDownloadTest.on("127.0.0.1").withRequests(policy))) {
            TorrentSession s = leecher.add(t, tmp.resolve("leech"));
            if (lazy) {
                s.setDefaultPriority(Priority.NONE);
            }
            s.addPeers(List.of(new InetSocketAddress("127.0.0.2", seed.port())));
            if (lazy) {
                Thread.sleep(1500); // connected and unchoked well before this
            } else {
                SessionSteps.until(() -> seed.requests() >= n, n + " requests at the seed");
            }
            return seed.received.stream().filter(m -> !m.cancel()).map(ScriptedSeed.Msg::piece)
                    .limit(n).collect(Collectors.toList());
        }
    }

    private static List<Integer> ends() {
        return IntStream.concat(IntStream.concat(IntStream.range(0, 64), IntStream.of(199)),
                IntStream.concat(IntStream.range(200, 264), IntStream.of(349))).boxed().toList();
    }

    @Test
    @Timeout(60)
    void aDownloadAsksForTheFilesEndsFirstInPieceOrder() throws Exception {
        List<Integer> first = firstRequests(RequestPolicy.BULK, false, 40);
        assertThat(first).containsExactlyElementsOf(ends().subList(0, 40));
    }

    @Test
    @Timeout(60)
    void aMountHoldingItsBackgroundStillAsksForTheEnds() throws Exception {
        List<Integer> first = firstRequests(HOLDING, false, 8);
        assertThat(first).containsExactlyElementsOf(ends().subList(0, 8));
    }

    @Test
    @Timeout(60)
    void aLazyMountAsksForNothingBeforeARead() throws Exception {
        assertThat(firstRequests(HOLDING, true, 1)).isEmpty();
    }
}
