package torfs.tracker;

/** Makes the {@link Tracker} for an announce URL; one instance per (torrent, URL). */
public interface TrackerFactory {
    /** @throws TrackerException when the URL is malformed or its scheme unsupported */
    Tracker create(String announceUrl) throws TrackerException;
}
