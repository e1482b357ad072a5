package torfs.session;

import java.io.FileWriter;
import java.io.IOException;

/** TEMPORARY measurement aid: timestamps of urgent-piece events to a file (-Dtorfs.trace=FILE). */
final class UrgentTrace {
    private static final String FILE = System.getProperty("torfs.trace");
    private static final long T0 = System.nanoTime();

    static boolean on() {
        return FILE != null;
    }

    static synchronized void log(String what) {
        if (FILE == null) {
            return;
        }
        try (FileWriter w = new FileWriter(FILE, true)) {
            w.write(String.format("%.3f %s %s%n", System.currentTimeMillis() / 1e3, Thread.currentThread().getName(), what));
        } catch (IOException e) {
            // measurement only
        }
    }
}
