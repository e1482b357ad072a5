package torfs.app;

/** Exit codes shared by every command. */
public final class ExitCodes {
    public static final int OK = 0;
    /** A runtime failure: I/O error, network failure, incomplete data. */
    public static final int FAILURE = 1;
    /** Bad input: usage, unreadable or invalid .torrent, bad paths. */
    public static final int BAD_INPUT = 2;

    /** A command cut short by a signal, as a shell reports it: 130 for Ctrl-C (SIGINT), 143 for SIGTERM. */
    public static int interrupted(int signal) {
        return 128 + signal;
    }

    private ExitCodes() {
    }
}
