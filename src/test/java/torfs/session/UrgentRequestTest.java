package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.geometry.PieceRange;
import torfs.metainfo.Torrent;
import torfs.picker.Priority;

/**
 * A read that needs a piece while the pipeline to the only peer is full of background requests:
 * the piece's blocks must not wait behind them.
 */
class UrgentRequestTest {
    private static final int PIECE = 65536; // 4 blocks

    @TempDir
    Path tmp;

    private static void waitUntil(BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 20 s");
            }
            Thread.sleep(10);
        }
    }

    @Test
    @Timeout(60)
    void nowWishWithAFullPipelineCancelsUnansweredBackgroundRequestsAndAsksForItsBlocksFirst()
            throws Exception {
        Path seedDir = tmp.resolve("seed");
        // more blocks than the deepest pipeline, so some piece is left untouched for the read
        Torrent t = TestTorrents.create(seedDir, "urgent", PIECE, new long[] {1024L * PIECE}, 5);
        byte[] content = Files.readAllBytes(seedDir.resolve("urgent/file0.bin"));
        int answered = 40; // grows our pipeline well past its starting depth, then silence
        try (ScriptedSeed seed = new ScriptedSeed("127.0.0.2", t, content, answered);
             Client leecher = Client.start(SeedToDownloadTest.on("127.0.0.1"))) {
            TorrentSession s = leecher.add(t, tmp.resolve("leech"));
            s.addPeers(List.of(new InetSocketAddress("127.0.0.2", seed.port())));
            // the pipeline fills up with NORMAL requests nobody answers
            waitUntil(() -> seed.requests() >= answered + 30);
            long settled;
            do {
                settled = seed.requests();
                Thread.sleep(300);
            } while (seed.requests() != settled);
            List<ScriptedSeed.Msg> before = List.copyOf(seed.received);
            List<ScriptedSeed.Msg> unanswered = new ArrayList<>(before.subList(answered, before.size()));
            Set<Integer> touched = before.stream().map(ScriptedSeed.Msg::piece).collect(Collectors.toSet());
            int urgent = 0;
            while (touched.contains(urgent)) {
                urgent++;
            }
            int urgentPiece = urgent;

            s.want(new Object(), new PieceRange(urgentPiece, urgentPiece + 1), Priority.NOW,
                    System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
            waitUntil(() -> seed.received.stream().filter(m -> !m.cancel() && m.piece() == urgentPiece).count() == 4);

            List<ScriptedSeed.Msg> after = List.copyOf(seed.received.subList(before.size(), seed.received.size()));
            int firstUrgent = 0;
            while (after.get(firstUrgent).piece() != urgentPiece) {
                firstUrgent++;
            }
            List<ScriptedSeed.Msg> cancels = after.subList(0, firstUrgent);
            assertThat(cancels).allMatch(ScriptedSeed.Msg::cancel);
            // every unanswered background request but the oldest few is withdrawn, before the
            // urgent blocks are asked for; the urgent blocks go out together, past the depth
            List<ScriptedSeed.Msg> expected = unanswered.subList(RequestFiller.KEEP_HEAD, unanswered.size()).stream()
                    .map(m -> new ScriptedSeed.Msg(true, m.piece(), m.begin())).collect(Collectors.toList());
            assertThat(cancels).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(after.subList(firstUrgent, firstUrgent + 4))
                    .allMatch(m -> !m.cancel() && m.piece() == urgentPiece);

            // until the urgent blocks arrive, the peer gets no background requests
            Thread.sleep(300);
            assertThat(seed.received.subList(before.size() + firstUrgent + 4, seed.received.size()))
                    .as("requests after the urgent ones").isEmpty();

            // a cancelled block the seed had already sent is taken, not wasted
            ScriptedSeed.Msg late = expected.get(expected.size() - 1);
            seed.sendBlock(late.piece(), late.begin());
            long wanted = (answered + 1L) * 16384;
            waitUntil(() -> s.stats().downloaded() >= wanted);
            assertThat(s.stats().downloaded()).isEqualTo(wanted);
            assertThat(s.stats().wasted()).isZero();

            // and the urgent piece, once sent, is verified; then the background goes on
            int seen = seed.received.size();
            for (int b = 0; b < 4; b++) {
                seed.sendBlock(urgentPiece, b * 16384);
            }
            s.whenVerified(urgentPiece).get(20, TimeUnit.SECONDS);
            waitUntil(() -> seed.received.stream().skip(seen).anyMatch(m -> !m.cancel() && m.piece() != urgentPiece));
        }
    }
}
