package torfs.session;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import torfs.geometry.PieceRange;
import torfs.picker.Priority;

/** Steps tests of a running session take again and again. */
final class SessionSteps {
    private SessionSteps() {
    }

    /** Polls a condition the session reaches on its own loop (30 s at most, every 50 ms). */
    static void until(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("never: " + what);
    }

    /** Fetches one piece as a blocked read does (NOW), waits until it is verified, lets it go. */
    static void fetch(TorrentSession s, int piece) throws Exception {
        Object owner = new Object();
        s.want(owner, new PieceRange(piece, piece + 1), Priority.NOW, System.nanoTime());
        s.whenVerified(piece).get(30, TimeUnit.SECONDS);
        s.forget(owner);
    }
}
