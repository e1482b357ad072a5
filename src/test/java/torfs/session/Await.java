package torfs.session;

import java.util.function.BooleanSupplier;

/** Polls a condition a session reaches on its own loop (30 s at most, every 50 ms). */
final class Await {
    private Await() {
    }

    static void until(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("never: " + what);
    }
}
