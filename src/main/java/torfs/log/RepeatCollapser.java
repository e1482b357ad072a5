package torfs.log;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * Writes records as lines, collapsing a message that repeats: its first occurrence is written,
 * the copies right behind it are counted, and one line {@code <message> (repeated N times in
 * T s)} follows when another message comes, when {@link #WINDOW} has passed since the last
 * line for it (so a flood that never ends still shows every ten seconds), or on
 * {@link #flush}/{@link #close}. A failing disk or peer can log the same thing thousands of
 * times a second; the user needs it once and how often.
 */
public final class RepeatCollapser extends Handler {
    /** A repeating message gets at most one line per window. */
    static final Duration WINDOW = Duration.ofSeconds(10);

    private final OneLineFormat format;
    private final Consumer<String> out;
    private final InstantSource clock;
    /** The last message written, its line written at {@link #shownAt}. */
    private String last;
    private Instant shownAt;
    /** Copies of {@link #last} since it was shown, the latest at {@link #lastSeen}. */
    private int repeats;
    private Instant lastSeen;

    /** @param out takes each line, without its line separator */
    public RepeatCollapser(OneLineFormat format, Consumer<String> out, InstantSource clock) {
        this.format = format;
        this.out = out;
        this.clock = clock;
        setFormatter(format);
    }

    /** Lines to {@code stream()}, looked up per line (System.err may be replaced). */
    static Consumer<String> printingTo(java.util.function.Supplier<PrintStream> stream) {
        // on a terminal, a command's progress line (redrawn in place) is cleared first, so a
        // line logged meanwhile is not glued to its end
        String clear = System.console() != null ? "\r\033[K" : "";
        return line -> {
            PrintStream s = stream.get();
            s.println(clear + line);
            s.flush();
        };
    }

    @Override
    public synchronized void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        String body = format.body(record);
        Instant now = clock.instant();
        if (body.equals(last)) {
            repeats++;
            lastSeen = now;
            if (!now.isBefore(shownAt.plus(WINDOW))) {
                showRepeats(now);
            }
            return;
        }
        if (repeats > 0) {
            showRepeats(now);
        }
        String line = format.format(record);
        out.accept(line.substring(0, line.length() - System.lineSeparator().length()));
        last = body;
        shownAt = now;
    }

    /** Writes the count of held-back copies once the window since the last line has passed. */
    @Override
    public synchronized void flush() {
        Instant now = clock.instant();
        if (repeats > 0 && !now.isBefore(shownAt.plus(WINDOW))) {
            showRepeats(now);
        }
    }

    /** Writes the count of held-back copies, whatever the time. */
    @Override
    public synchronized void close() {
        if (repeats > 0) {
            showRepeats(clock.instant());
        }
    }

    private void showRepeats(Instant now) {
        double seconds = Duration.between(shownAt, lastSeen).toMillis() / 1000.0;
        String span = seconds >= 10 ? String.format(Locale.ROOT, "%.0f", seconds)
                : String.format(Locale.ROOT, "%.1f", seconds);
        out.accept(format.line(now, last + " (repeated " + repeats + (repeats == 1 ? " time" : " times")
                + " in " + span + " s)"));
        repeats = 0;
        shownAt = now;
    }
}
