package torfs.log;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * A log record as one line a person reads: {@code torfs: <message>[: <cause>]}, prefixed by the
 * local time when the lines go to a log file. java.util.logging's default puts a date and the
 * logger's method on a line of its own and the level before the message on the next; neither
 * helps a user, and two lines per event break grep. A stack trace follows only with --debug.
 */
public final class OneLineFormat extends Formatter {
    static final String PREFIX = "torfs: ";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private final ZoneId zone;
    private final boolean stackTraces;
    private volatile boolean timestamps;

    /**
     * @param zone        the time zone of timestamps
     * @param stackTraces append a record's stack trace (--debug)
     */
    public OneLineFormat(ZoneId zone, boolean stackTraces) {
        this.zone = zone;
        this.stackTraces = stackTraces;
    }

    /** From now on each line starts with its time (the lines go to a log file). */
    public void useTimestamps(boolean on) {
        timestamps = on;
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(line(record.getInstant(), body(record)));
        if (stackTraces && record.getThrown() != null) {
            java.io.StringWriter trace = new java.io.StringWriter();
            record.getThrown().printStackTrace(new java.io.PrintWriter(trace));
            line.append(System.lineSeparator()).append(trace.toString().stripTrailing());
        }
        return line.append(System.lineSeparator()).toString();
    }

    /**
     * What the record says, on one line and without the {@code torfs: } prefix (some messages
     * carry it already): the text repeats compare.
     */
    String body(LogRecord record) {
        String message = formatMessage(record);
        if (message == null) {
            message = "";
        }
        if (message.startsWith(PREFIX)) {
            message = message.substring(PREFIX.length());
        }
        Throwable thrown = record.getThrown();
        if (thrown != null) {
            message = message.isEmpty() ? describe(thrown) : message + ": " + describe(thrown);
        }
        return oneLine(message);
    }

    /** The line for {@code body} logged at {@code when}, without the line separator. */
    String line(Instant when, String body) {
        return timestamps ? STAMP.format(when.atZone(zone)) + " " + PREFIX + body : PREFIX + body;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + m;
    }

    /** Line breaks inside a message become spaces: one event, one line. */
    private static String oneLine(String s) {
        return s.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
