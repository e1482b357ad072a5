package torfs.webseed;

import java.net.URI;

/** How one HTTP range request ended. */
sealed interface Outcome {
    /** The range arrived whole. */
    record Done() implements Outcome {
    }

    /** Worth asking again later (5xx, a lost connection, a timeout, a short body). */
    record Retry(String why) implements Outcome {
    }

    /** The seed cannot serve this torrent (404, a 200 with a whole large file, a lying range). */
    record Drop(String why) implements Outcome {
    }

    /** Never sent: its run failed or its seed went meanwhile. Nobody's fault. */
    record Cancelled() implements Outcome {
    }

    /** 3xx: ask there instead. */
    record Redirect(URI to) implements Outcome {
    }

    Outcome DONE = new Done();

    Outcome CANCELLED = new Cancelled();
}
